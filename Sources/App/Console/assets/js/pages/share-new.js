// A new share request: the cameras ticked in the directory (or typed), or a directory query (its
// filters, resolved by the server when the first reviewer answers); permissions, purpose, period.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { canRequestShare } from '../core/permissions.js';
import * as router from '../core/router.js';
import { dictionaries, options } from '../core/reference.js';
import { user } from '../core/session.js';
import { busy, field } from '../components/form.js';
import { messageSlot, notice, toast } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { permissionChoices, queryFilters, sharingTabs } from '../components/sharing.js';


function divisionPrefix(code) {
  let text = String(code || '').replace(/\D/g, '');
  while (text.length >= 2 && text.endsWith('00')) text = text.slice(0, -2);
  return text;
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export default {
  title: () => t('share.newTitle'),
  async render(container, { query }) {
    const messages = messageSlot();
    container.append(pageHeader(t('share.newTitle')), sharingTabs('new'), messages.el);
    if (!canRequestShare(user())) {
      messages.info(t('share.cannotRequest'));
      return;
    }
    let all;
    const lists = {};
    try {
      all = await dictionaries();
      for (const name of ['department', 'pointClass', 'shareAttribute']) lists[name] = await options(name);
    } catch (error) {
      messages.error(error);
      return;
    }
    const byQuery = query.mode === 'query';
    const codes = (query.cameras || '').split(',').map((c) => c.trim()).filter(Boolean);

    const cameraField = field({
      label: t('share.cameras'), name: 'cameras', type: 'textarea', value: codes.join('\n'),
      hint: t('share.camerasHint'), attrs: { rows: Math.min(8, Math.max(3, codes.length + 1)), spellcheck: 'false', class: 'mono' },
    });
    const q = {
      division: field({ label: t('field.division'), name: 'division', value: query.division || '', attrs: { inputmode: 'numeric', placeholder: '441502' } }),
      department: field({ label: t('field.department'), name: 'department', value: query.department || '', options: lists.department, emptyOption: t('filter.any') }),
      pointClass: field({ label: t('field.pointClass'), name: 'pointClass', value: query.pointClass || '', options: lists.pointClass, emptyOption: t('filter.any') }),
      shareAttribute: field({ label: t('field.shareAttribute'), name: 'shareAttribute', value: query.shareAttribute || '', options: lists.shareAttribute, emptyOption: t('filter.any') }),
      q: field({ label: t('filter.q'), name: 'q', value: query.q || '' }),
    };
    const dropped = Object.keys(query).filter((name) => !['mode', 'cameras', 'limit', 'sort', 'cursor', ...queryFilters].includes(name) && query[name]);

    const selection = byQuery
      ? h('fieldset', { class: 'card', id: 'share-query' }, h('legend', { text: t('share.byQuery') }),
        h('p', { class: 'muted small', text: t('share.byQueryHint') }),
        dropped.length ? notice('warning', t('share.droppedFilters', { names: dropped.join(', ') })) : null,
        h('div', { class: 'form-grid' }, Object.values(q).map((f) => f.el)))
      : h('fieldset', { class: 'card', id: 'share-selection' }, h('legend', { text: t('share.bySelection', { count: number(codes.length) }) }),
        cameraField.el,
        h('p', { class: 'muted small' }, t('share.pickInDirectory'), ' ', h('a', { href: '#/directory', text: t('nav.directory') })));

    const permissions = permissionChoices(all, { legend: t('share.permissions'), checked: ['1'] });
    const purpose = field({ label: t('share.purpose'), name: 'purpose', type: 'textarea', required: true, hint: t('share.purposeHint'), attrs: { maxlength: '1000' } });
    const from = field({ label: t('share.validFrom'), name: 'validFrom', type: 'datetime-local', value: localInput(new Date()) });
    const days = field({ label: t('share.days'), name: 'days', type: 'number', value: '30', required: true, hint: t('share.daysHint'), attrs: { min: '1', max: '366', step: '1' } });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'share-submit', text: t('share.submit') });
    const form = h('form', { id: 'share-form', class: 'form share-form', novalidate: true },
      selection, permissions.el, purpose.el, h('div', { class: 'form-grid' }, from.el, days.el),
      h('div', { class: 'form-actions' }, submit, h('a', { href: '#/sharing', class: 'button secondary', text: t('common.cancel') })));
    container.append(form);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      messages.clear();
      [cameraField, purpose, days, from, q.division].forEach((f) => f.setMessage(''));
      permissions.setMessage('');
      const body = { permissions: permissions.values().join(','), purpose: purpose.value().trim() };
      let ok = true;
      if (byQuery) {
        const selectionQuery = {
          divisionPrefix: divisionPrefix(q.division.value()) || undefined,
          department: q.department.value() || undefined,
          pointClass: q.pointClass.value() || undefined,
          shareAttribute: q.shareAttribute.value() || undefined,
          text: q.q.value().trim() || undefined,
        };
        if (!Object.values(selectionQuery).some(Boolean)) { q.division.setMessage(t('share.queryEmpty')); ok = false; }
        body.query = selectionQuery;
      } else {
        const list = [...new Set(cameraField.value().split(/[\s,，;；]+/).map((c) => c.trim()).filter(Boolean))];
        if (!list.length) { cameraField.setMessage(t('share.noCameras')); ok = false; }
        const bad = list.filter((c) => !/^\d{20}$/.test(c));
        if (bad.length) { cameraField.setMessage(t('share.badCodes', { codes: bad.slice(0, 5).join(', ') })); ok = false; }
        body.cameras = list;
      }
      if (!body.permissions) { permissions.setMessage(t('share.noPermissions')); ok = false; }
      if (!body.purpose) { purpose.setMessage(t('share.purposeRequired')); ok = false; }
      const dayCount = Number(days.value());
      if (!Number.isFinite(dayCount) || dayCount <= 0 || dayCount > 366) { days.setMessage(t('share.daysRange')); ok = false; }
      const start = from.value() ? new Date(from.value()) : new Date();
      if (Number.isNaN(start.getTime())) { from.setMessage(t('share.badDate')); ok = false; }
      if (!ok) {
        form.querySelector('[aria-invalid="true"], .msg-error')?.closest('.field, fieldset')?.querySelector('input, textarea, select')?.focus();
        return;
      }
      // A start a few minutes in the past is "now": the server wants the period to end in the future.
      body.validFrom = start.toISOString();
      body.validUntil = new Date(start.getTime() + dayCount * 86400000).toISOString();
      try {
        const view = await busy(submit, () => api('/share-requests', { method: 'POST', json: body }));
        toast(t('share.submitted'));
        router.go(`/sharing/requests/${view.request.id}`, { submitted: '1' });
      } catch (error) {
        messages.error(error);
      }
    });
  },
};
