// Video platforms the departments run (spec section 3): the list with each record's problems, the
// platform form's import, and filing or updating one platform. Live registration state (online,
// last keepalive, catalog refresh) is on the devices page.
import { api } from '../core/api.js';
import { fill, h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { language, t } from '../core/i18n.js';
import { canManagePlatforms } from '../core/permissions.js';
import { user } from '../core/session.js';
import { platformFields } from '../fields.js';
import { dataTable } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

const fieldLabel = (spec) => (language() === 'en' ? spec.en : spec.zh);
const listed = ['code', 'name', 'vendor', 'compliant', 'network', 'connected', 'cameraCount', 'directoryStatus'];

export default {
  title: () => t('nav.platforms'),
  async render(container) {
    const messages = messageSlot();
    container.append(pageHeader(t('nav.platforms')), messages.el,
      h('p', { class: 'muted' }, t('platforms.liveState'), ' ', h('a', { href: '#/devices', text: t('nav.devices') })));
    const listBox = h('div', { id: 'platform-list' });
    container.append(listBox);
    const manage = canManagePlatforms(user());
    let editForm = null;
    async function refresh() {
      try {
        const platforms = await api('/platforms');
        listBox.replaceChildren(h('p', { class: 'result-summary', dataset: { count: platforms.length }, text: t('platforms.count', { count: number(platforms.length) }) }),
          dataTable([
            ...listed.map((key) => {
              const spec = platformFields.find((s) => s.key === key);
              return { label: fieldLabel(spec), class: key === 'code' ? 'mono' : null, cell: (p) => p.record[key] || '' };
            }),
            { label: t('platforms.problems'), cell: (p) => (p.problems.length
              ? h('ul', { class: 'plain-list small' }, p.problems.map((text) => h('li', { class: 'msg msg-warning', text })))
              : h('span', { class: 'badge badge-ok', text: t('camera.ok') })) },
            { label: t('camera.updated'), class: 'nowrap', cell: (p) => dateTime(p.updatedAt) },
            manage ? { label: '', cell: (p) => h('button', { type: 'button', class: 'link-button', text: t('platforms.edit'), on: { click: () => editForm && editForm.load(p.record) } }) } : null,
          ].filter(Boolean), platforms, { empty: t('platforms.none'), className: 'platform-table', rowAttrs: (p) => ({ dataset: { key: p.record.code || p.record.name } }) }));
      } catch (error) {
        messages.error(error);
      }
    }
    await refresh();
    if (!manage) return;
    container.append(importForm(messages, refresh));
    editForm = platformForm(messages, refresh);
    container.append(editForm.el);
  },
};

function importForm(messages, refresh) {
  const file = field({ label: t('platforms.importFile'), name: 'file', type: 'file', required: true, hint: t('platforms.importHint'), attrs: { accept: '.csv,.xlsx' } });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'platform-import', text: t('platforms.import') });
  const outcome = h('div', { id: 'platform-import-outcome' });
  const form = h('form', { id: 'platform-import-form', class: 'form narrow', novalidate: true }, file.el, h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.input.files[0];
    file.setMessage(chosen ? '' : t('import.chooseFile'));
    if (!chosen) { file.input.focus(); return; }
    const data = new FormData();
    data.append('file', chosen, chosen.name);
    try {
      const result = await busy(submit, () => api('/platforms/imports', { method: 'POST', form: data }));
      fill(outcome,
        h('p', { class: 'notice notice-success', dataset: { saved: result.saved }, text: t('platforms.imported', { rows: number(result.rows), saved: number(result.saved), unchanged: number(result.unchanged) }) }),
        result.problems.length ? dataTable([
          { label: t('import.row'), class: 'num', cell: (p) => String(p.row) },
          { label: t('import.message'), cell: (p) => p.message },
        ], result.problems, { className: 'platform-problems' }) : null);
      messages.clear();
      refresh();
    } catch (error) {
      messages.error(error);
    }
  });
  return h('section', { class: 'card' }, h('h2', { text: t('platforms.importTitle') }), form, outcome);
}

function platformForm(messages, refresh) {
  const inputs = Object.fromEntries(platformFields.map((spec) => [spec.key, field({
    label: fieldLabel(spec), name: spec.key, type: spec.key === 'description' || spec.key === 'remark' ? 'textarea' : 'text',
  })]));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'platform-save', text: t('platforms.save') });
  const form = h('form', { id: 'platform-form', class: 'form', novalidate: true },
    h('div', { class: 'form-grid' }, Object.values(inputs).map((f) => f.el)), h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const record = {};
    for (const [key, input] of Object.entries(inputs)) if (input.value().trim()) record[key] = input.value().trim();
    inputs.name.setMessage(record.code || record.name ? '' : t('platforms.needKey'));
    if (!record.code && !record.name) { inputs.name.input.focus(); return; }
    try {
      const saved = await busy(submit, () => api('/platforms', { method: 'POST', json: record }));
      messages.success(saved.problems.length ? t('platforms.savedWithProblems', { count: saved.problems.length }) : t('platforms.saved'));
      refresh();
    } catch (error) {
      messages.error(error);
    }
  });
  const el = h('section', { class: 'card' }, h('h2', { text: t('platforms.formTitle') }), form);
  return {
    el,
    load(record) {
      for (const [key, input] of Object.entries(inputs)) input.input.value = record[key] || '';
      inputs.code.input.focus();
      el.scrollIntoView({ block: 'start' });
    },
  };
}
