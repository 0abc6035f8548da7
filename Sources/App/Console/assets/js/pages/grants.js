// Grants: those the department holds, those on its cameras, or (reviewers, administrators) every one;
// revoke with a reason, which cuts the streams running under the grant.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { canRevokeGrant, canSeeAllRequests } from '../core/permissions.js';
import { dictionaries } from '../core/reference.js';
import { user } from '../core/session.js';
import { dataTable } from '../components/data-table.js';
import { busy } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { departmentText, grantBadge, grantState, permissionText, sharingTabs } from '../components/sharing.js';

export default {
  title: () => t('grant.title'),
  async render(container, { query }) {
    const me = user();
    const messages = messageSlot();
    container.append(pageHeader(t('grant.title')), sharingTabs('grants'), messages.el);
    const scope = h('select', { id: 'grant-scope', name: 'scope', 'aria-label': t('grant.scope') },
      h('option', { value: 'held', text: canSeeAllRequests(me) ? t('grant.scope.all') : t('grant.scope.held') }),
      me.departmentCode ? h('option', { value: 'owned', text: t('grant.scope.owned') }) : null);
    scope.value = query.scope === 'owned' && me.departmentCode ? 'owned' : 'held';
    const activeOnly = h('input', { type: 'checkbox', id: 'grant-active', name: 'active', checked: query.active === 'true' });
    const summary = h('p', { class: 'result-summary', id: 'grant-summary', 'aria-live': 'polite' });
    const box = h('div', { id: 'grant-list' });
    container.append(h('div', { class: 'toolbar' }, summary,
      h('div', { class: 'toolbar-group' },
        h('label', { class: 'inline-check' }, t('grant.scope'), scope),
        h('label', { class: 'inline-check' }, activeOnly, t('grant.activeOnly')))), box);
    let all;
    const revoker = canRevokeGrant(me);

    async function load() {
      try {
        all = all || await dictionaries();
        const grants = await api('/grants', { query: { owned: scope.value === 'owned' ? 'true' : '', active: activeOnly.checked ? 'true' : '' } });
        const list = query.id ? [...grants.filter((g) => g.id === query.id), ...grants.filter((g) => g.id !== query.id)] : grants;
        summary.textContent = t('grant.count', { count: number(list.length) });
        summary.dataset.count = String(list.length);
        box.replaceChildren(dataTable([
          { label: t('grant.grantee'), cell: (g) => departmentText(all, g.grantee) },
          { label: t('sharing.col.cameras'), cell: (g) => cameraList(all, g) },
          { label: t('sharing.col.purpose'), cell: (g) => g.purpose },
          { label: t('share.period'), class: 'nowrap', cell: (g) => h('span', {}, dateTime(g.validFrom), h('br'), dateTime(g.validUntil)) },
          { label: t('share.state'), cell: (g) => stateCell(g) },
          { label: t('grant.createdBy'), cell: (g) => g.createdBy },
          { label: t('grant.request'), cell: (g) => (g.requestID ? h('a', { href: `#/sharing/requests/${g.requestID}`, text: t('sharing.open') }) : '—') },
          revoker ? { label: '', cell: (g) => (grantState(g) === 'active' || grantState(g) === 'pending' ? revokeControl(g) : '') } : null,
        ].filter(Boolean), list, {
          empty: t('grant.none'), className: 'grant-table',
          rowAttrs: (g) => ({ dataset: { id: g.id, state: grantState(g) }, class: g.id === query.id ? 'row-highlight' : null }),
        }));
        box.dataset.loaded = 'true';
      } catch (error) {
        messages.error(error);
      }
    }

    function stateCell(grant) {
      const state = grantState(grant);
      return h('div', {}, grantBadge(state),
        state === 'revoked' ? h('div', { class: 'muted small', text: t('grant.revokedBy', { who: grant.revokedBy || '', time: dateTime(grant.revokedAt), reason: grant.revokeReason || '—' }) }) : null);
    }

    function revokeControl(grant) {
      const open = h('button', { type: 'button', class: 'danger small revoke-grant', text: t('grant.revoke') });
      const reason = h('input', { type: 'text', name: 'revokeReason', 'aria-label': t('grant.reason'), placeholder: t('grant.reason'), maxlength: '500' });
      const confirm = h('button', { type: 'submit', class: 'danger small confirm-revoke', text: t('grant.confirmRevoke') });
      const cancel = h('button', { type: 'button', class: 'secondary small', text: t('common.cancel') });
      const form = h('form', { class: 'revoke-form', hidden: true, novalidate: true }, reason, h('div', { class: 'form-actions' }, confirm, cancel));
      open.addEventListener('click', () => { form.hidden = false; open.hidden = true; reason.focus(); });
      cancel.addEventListener('click', () => { form.hidden = true; open.hidden = false; open.focus(); });
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!reason.value.trim()) {
          reason.setAttribute('aria-invalid', 'true');
          reason.placeholder = t('grant.reasonRequired');
          reason.focus();
          return;
        }
        try {
          const after = await busy(confirm, () => api(`/grants/${grant.id}/revoke`, { method: 'POST', json: { reason: reason.value.trim() } }));
          // An owner of some of the grant's cameras takes only those out; the server says which.
          const own = after && !after.revokedAt ? after.cameras.filter((c) => c.revokedAt).length : 0;
          messages.success(own ? t('grant.revokedOwnCameras', { count: number(own) }) : t('grant.revoked'));
          load();
        } catch (error) {
          messages.error(error);
        }
      });
      return h('div', {}, open, form);
    }

    scope.addEventListener('change', load);
    activeOnly.addEventListener('change', load);
    await load();
  },
};

function cameraList(all, grant) {
  return h('details', { class: 'grant-cameras' },
    h('summary', {}, t('grant.cameraCount', { count: number(grant.cameras.length) })),
    h('ul', { class: 'plain-list small' }, grant.cameras.map((c) => h('li', { dataset: { camera: c.code, revoked: c.revokedAt ? 'true' : 'false' } },
      h('span', { class: 'mono', text: c.code }), ` ${permissionText(all, c.permissions)}`,
      c.revokedAt ? h('span', { class: 'muted', text: ` — ${t('grant.cameraRevoked', { who: c.revokedBy || '', time: dateTime(c.revokedAt) })}` }) : null))));
}
