// The audit log, for auditors: search by time, actor, department, action, camera, grant and result;
// older pages; CSV export of the same filters; and the hash chain's verification.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { download } from '../core/download.js';
import { dateTime, number } from '../core/format.js';
import { pick, t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dataTable } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot, notice } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

/** Sharing's AuditAction, as stored (auditors filter by these strings). */
export const auditActions = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.token_rejected', 'auth.user_created', 'auth.api_key_issued', 'auth.api_key_revoked',
  'access.check', 'access.denied', 'media.view_start', 'media.view_stop', 'media.playback', 'media.download', 'media.clip_recording',
  'device.ptz', 'device.record_query', 'directory.edit', 'directory.import', 'directory.platform_edit',
  'share.request', 'share.approve', 'share.reject', 'share.withdraw', 'share.escalate',
  'grant.issued', 'grant.revoked', 'grant.expired', 'media.stream_cut', 'audit.export', 'audit.verify',
  'cascade.upper_platform_edit', 'cascade.catalog_read',
];
const filterNames = ['from', 'to', 'actor', 'department', 'action', 'camera', 'grant', 'result'];

/** datetime-local ("2026-11-20T08:00") ⇄ ISO 8601 with the browser's offset, as the API wants. */
function isoFromLocal(text) {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const actionLabel = (action) => {
  const key = `audit.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
};

export default {
  title: () => t('nav.audit'),
  async render(container, { query }) {
    const messages = messageSlot();
    const verifyButton = h('button', { type: 'button', class: 'secondary', id: 'audit-verify', text: t('audit.verify') });
    const exportButton = h('button', { type: 'button', class: 'secondary', id: 'audit-export', text: t('audit.export') });
    container.append(pageHeader(t('nav.audit'), verifyButton, exportButton), messages.el);
    const verification = h('div', { id: 'audit-verification', 'aria-live': 'polite' });
    container.append(verification);

    const f = {
      from: field({ label: t('audit.from'), name: 'from', type: 'datetime-local', value: query.from || '' }),
      to: field({ label: t('audit.to'), name: 'to', type: 'datetime-local', value: query.to || '' }),
      actor: field({ label: t('audit.actor'), name: 'actor', value: query.actor || '' }),
      department: field({ label: t('audit.department'), name: 'department', value: query.department || '', attrs: { placeholder: '19@441500' } }),
      action: field({ label: t('audit.action'), name: 'action', value: query.action || '', emptyOption: t('filter.any'), options: auditActions.map((code) => ({ code, label: actionLabel(code) })) }),
      camera: field({ label: t('audit.camera'), name: 'camera', value: query.camera || '', attrs: { spellcheck: 'false' } }),
      grant: field({ label: t('audit.grant'), name: 'grant', value: query.grant || '', attrs: { spellcheck: 'false' } }),
      result: field({ label: t('audit.result'), name: 'result', value: query.result || '', emptyOption: t('filter.any'), options: ['ok', 'denied', 'failed'].map((code) => ({ code, label: t(`audit.result.${code}`) })) }),
    };
    for (const option of f.action.input.options) if (option.value) option.textContent = `${actionLabel(option.value)}（${option.value}）`;
    for (const option of f.result.input.options) if (option.value) option.textContent = t(`audit.result.${option.value}`);
    const search = h('button', { type: 'submit', class: 'primary', id: 'audit-search', text: t('filter.search') });
    const reset = h('button', { type: 'reset', class: 'secondary', text: t('filter.reset') });
    const form = h('form', { id: 'audit-form', class: 'filters', role: 'search', novalidate: true },
      h('div', { class: 'filter-grid' }, Object.values(f).map((x) => x.el)), h('div', { class: 'form-actions' }, search, reset));
    const summary = h('p', { class: 'result-summary', id: 'audit-summary', 'aria-live': 'polite' });
    const box = h('div', { id: 'audit-list' });
    const newer = h('button', { type: 'button', class: 'secondary', id: 'audit-newer', text: t('audit.newer'), disabled: true });
    const older = h('button', { type: 'button', class: 'secondary', id: 'audit-older', text: t('audit.older'), disabled: true });
    container.append(form, summary, box, h('div', { class: 'pager' }, newer, older));

    const values = () => {
      const result = {};
      for (const name of filterNames) {
        const value = String(f[name].value()).trim();
        if (value) result[name] = name === 'from' || name === 'to' ? isoFromLocal(value) : value;
      }
      return result;
    };
    // befores[i] opens page i (newest first); page 0 has none.
    let befores = [null];
    let page = 0;
    async function load() {
      try {
        const result = await api('/audit', { query: { ...values(), before: befores[page] || '', limit: 100 } });
        if (result.nextBefore) befores[page + 1] = result.nextBefore; else befores = befores.slice(0, page + 1);
        messages.clear();
        summary.textContent = result.entries.length ? t('audit.shown', { count: number(result.entries.length), first: result.entries[0].seq, last: result.entries[result.entries.length - 1].seq }) : '';
        summary.dataset.count = String(result.entries.length);
        box.replaceChildren(entryTable(result.entries));
        box.dataset.loaded = 'true';
        newer.disabled = page === 0;
        older.disabled = !result.nextBefore;
      } catch (error) {
        messages.error(error);
      }
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const raw = {};
      for (const name of filterNames) if (String(f[name].value()).trim()) raw[name] = String(f[name].value()).trim();
      router.replaceQuery(raw);
      befores = [null];
      page = 0;
      load();
    });
    newer.addEventListener('click', () => { if (page > 0) { page -= 1; load(); } });
    older.addEventListener('click', () => { if (befores[page + 1]) { page += 1; load(); } });
    exportButton.addEventListener('click', () => busy(exportButton, async () => {
      try {
        await download('/audit/export', values(), 'audit.csv');
        messages.success(t('export.done'));
      } catch (error) {
        messages.error(error);
      }
    }));
    verifyButton.addEventListener('click', () => busy(verifyButton, async () => {
      try {
        const result = await api('/audit/verify');
        verification.replaceChildren(verificationNotice(result));
      } catch (error) {
        messages.error(error);
      }
    }));
    container.addEventListener('draft-restored', () => form.requestSubmit());
    await load();
  },
};

function verificationNotice(result) {
  const intact = !result.firstBreak;
  const el = intact
    ? notice('success', t('audit.intact', { checked: number(result.checked), head: result.headSeq, anchors: number(result.anchorsChecked) }))
    : notice('error', t('audit.broken', { kind: t(`audit.break.${result.firstBreak.kind}`), seq: result.firstBreak.seq, message: pick(result.firstBreak.message) }));
  el.dataset.intact = String(intact);
  el.id = 'audit-verify-result';
  if (intact && result.unreadableAnchors) el.append(h('span', { class: 'block', text: t('audit.unreadableAnchors', { count: result.unreadableAnchors }) }));
  if (intact) el.append(h('span', { class: 'block mono small', text: `head ${result.headSeq} ${result.headHash}` }));
  return el;
}

function entryTable(entries) {
  return dataTable([
    { label: '#', class: 'num', cell: (e) => String(e.seq) },
    { label: t('audit.at'), class: 'nowrap', cell: (e) => dateTime(new Date(e.atMillis)) },
    { label: t('audit.actor'), cell: (e) => h('span', {}, e.draft.actor, e.draft.actorRole ? h('span', { class: 'muted small', text: ` ${t(`role.${e.draft.actorRole}`)}` }) : null) },
    { label: t('audit.department'), class: 'nowrap', cell: (e) => e.draft.department },
    { label: t('audit.action'), cell: (e) => h('span', { title: e.draft.action, dataset: { action: e.draft.action } }, actionLabel(e.draft.action)) },
    { label: t('audit.object'), class: 'mono', cell: (e) => [e.draft.camera, e.draft.target].filter(Boolean).join(' ') },
    { label: t('audit.grant'), class: 'mono small', cell: (e) => e.draft.grantID },
    { label: t('audit.purpose'), cell: (e) => e.draft.purpose },
    { label: t('audit.client'), class: 'mono small', cell: (e) => e.draft.clientAddress },
    { label: t('audit.result'), cell: (e) => h('span', { class: `badge ${e.draft.result === 'ok' ? 'badge-ok' : 'badge-error'}`, text: t(`audit.result.${e.draft.result}`) }) },
    { label: t('audit.detail'), class: 'small', cell: (e) => e.draft.detail },
  ], entries, { className: 'audit-table compact', empty: t('audit.none'), rowAttrs: (e) => ({ dataset: { seq: e.seq, action: e.draft.action, actor: e.draft.actor } }) });
}
