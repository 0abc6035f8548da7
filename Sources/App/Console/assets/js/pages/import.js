// Import a directory file: upload → every finding by row → confirm (one transaction) or discard.
// Nothing reaches the directory before the clerk confirms.
import { api } from '../core/api.js';
import { fill, h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dataTable, fillBody } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';

const pageSize = 100;

export default {
  title: () => t('import.title'),
  async render(container, { query }) {
    const messages = messageSlot();
    const result = h('div', { id: 'import-result' });
    container.append(pageHeader(t('import.title')), directoryTabs('/directory/import'), messages.el);

    const file = field({ label: t('import.file'), name: 'file', type: 'file', required: true, hint: t('import.fileHint'), attrs: { accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    const sheet = field({ label: t('import.sheet'), name: 'sheet', hint: t('import.sheetHint') });
    const upload = h('button', { type: 'submit', class: 'primary', id: 'import-upload', text: t('import.upload') });
    const form = h('form', { id: 'import-form', class: 'form narrow', novalidate: true }, file.el, sheet.el, h('div', { class: 'form-actions' }, upload));
    container.append(h('ol', { class: 'steps' },
      h('li', { text: t('import.step1') }), h('li', { text: t('import.step2') }), h('li', { text: t('import.step3') })), form, result);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      messages.clear();
      const chosen = file.input.files[0];
      file.setMessage(chosen ? '' : t('import.chooseFile'));
      if (!chosen) {
        file.input.focus();
        return;
      }
      const data = new FormData();
      data.append('file', chosen, chosen.name);
      if (sheet.value().trim()) data.append('sheet', sheet.value().trim());
      try {
        const checked = await busy(upload, () => api('/directory/imports', { method: 'POST', form: data }));
        router.replaceQuery({ id: checked.id });
        showImport(result, checked, messages);
      } catch (error) {
        messages.error(error);
      }
    });

    if (query.id) {
      try {
        showImport(result, await api(`/directory/imports/${encodeURIComponent(query.id)}`), messages);
      } catch (error) {
        messages.error(error);
      }
    }
  },
};

function summaryList(summary, status, refusals = []) {
  const items = [
    ['import.rows', summary.rows],
    ['import.rowsWithErrors', summary.rowsWithErrors],
    ['import.rowsWithWarnings', summary.rowsWithWarnings],
  ];
  if (status === 'applied') {
    items.push(['import.inserted', summary.inserted], ['import.updated', summary.updated], ['import.unchanged', summary.unchanged],
      ['import.refused', refusals.length]);
  }
  return h('dl', { class: 'summary-grid', id: 'import-summary' },
    items.map(([key, value]) => h('div', { dataset: { summary: key.split('.')[1] } }, h('dt', { text: t(key) }), h('dd', { text: number(value) }))),
    h('div', {}, h('dt', { text: t('import.format') }), h('dd', { text: [summary.format, summary.layout, summary.charset].filter(Boolean).join(' · ') })));
}

/** Rows not written because they change cameras the importer may not edit (the server decides each row). */
function refusalList(refusals) {
  if (!refusals.length) return null;
  return h('section', { class: 'notice notice-warning', id: 'import-refusals' },
    h('p', { class: 'strong', text: t('import.refusedTitle', { count: number(refusals.length) }) }),
    dataTable([
      { label: t('import.row'), class: 'num', cell: (r) => number(r.row) },
      { label: t('field.code'), class: 'mono', cell: (r) => r.code },
      { label: t('import.reason'), cell: (r) => r.message },
    ], refusals.slice(0, 200), { className: 'refusal-table', rowAttrs: (r) => ({ dataset: { row: r.row, reason: r.reason } }) }));
}

function showImport(result, imported, messages) {
  const statusText = t(`import.status.${imported.status}`);
  const rules = Object.entries(imported.summary.findingsByRule || {}).sort((a, b) => b[1] - a[1]);
  fill(result,
    h('h2', {}, t('import.checked', { file: imported.filename || '' }), ' ', h('span', { class: `badge badge-${imported.status}`, id: 'import-status', dataset: { status: imported.status }, text: statusText })),
    h('p', { class: 'muted', text: t('import.uploadedAt', { time: dateTime(imported.createdAt) }) }),
    summaryList(imported.summary, imported.status, imported.refusals || []),
    refusalList(imported.refusals || []),
    imported.summary.ignoredColumns && imported.summary.ignoredColumns.length
      ? h('p', { class: 'notice notice-warning', text: t('import.ignoredColumns', { columns: imported.summary.ignoredColumns.join('、') }) }) : null,
    rules.length ? h('details', { class: 'rule-counts' }, h('summary', { text: t('import.byRule', { count: rules.length }) }),
      dataTable([{ label: t('import.rule'), class: 'mono', cell: (r) => r[0] }, { label: t('import.count'), class: 'num', cell: (r) => number(r[1]) }], rules)) : null);

  if (imported.status === 'checked') {
    const confirm = h('button', { type: 'button', class: 'primary', id: 'import-confirm', text: t('import.confirm', { rows: number(imported.summary.rows) }) });
    const discard = h('button', { type: 'button', class: 'secondary', id: 'import-discard', text: t('import.discard') });
    confirm.addEventListener('click', () => busy(confirm, async () => {
      try {
        const applied = await api(`/directory/imports/${imported.id}/confirm`, { method: 'POST' });
        showImport(result, applied, messages);
        messages.success(t('import.applied', { inserted: number(applied.summary.inserted), updated: number(applied.summary.updated), unchanged: number(applied.summary.unchanged) }));
      } catch (error) {
        messages.error(error);
      }
    }));
    discard.addEventListener('click', () => busy(discard, async () => {
      try {
        await api(`/directory/imports/${imported.id}`, { method: 'DELETE' });
        showImport(result, { ...imported, status: 'discarded' }, messages);
        messages.info(t('import.discarded'));
      } catch (error) {
        messages.error(error);
      }
    }));
    result.append(h('div', { class: 'form-actions' }, confirm, discard));
  }
  if (imported.status === 'applied') result.append(h('p', {}, h('a', { href: '#/directory', text: t('import.toDirectory') })));
  result.append(findingsBrowser(imported));
}

/** Every finding by row, a page at a time, filtered by severity. */
function findingsBrowser(imported) {
  const columns = [
    { label: t('import.row'), class: 'num', cell: (f) => String(f.row) },
    { label: t('field.code'), class: 'mono', cell: (f) => f.code },
    { label: t('import.field'), cell: (f) => f.fieldLabel || f.field || '' },
    { label: t('import.severity'), cell: (f) => h('span', { class: `badge badge-${f.severity}`, text: t(`severity.${f.severity}`) }) },
    { label: t('import.value'), class: 'mono', cell: (f) => f.value },
    { label: t('import.message'), cell: (f) => f.message },
    { label: t('import.rule'), class: 'mono small', cell: (f) => f.rule },
  ];
  const severity = field({ label: t('import.severity'), name: 'severity', options: [{ code: 'error', label: t('severity.error') }, { code: 'warning', label: t('severity.warning') }], emptyOption: t('filter.any') });
  const body = h('tbody');
  const table = h('table', { class: 'data-table findings-table', id: 'findings-table' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c.label })))), body);
  const prev = h('button', { type: 'button', class: 'secondary', id: 'findings-prev', text: t('pager.prev') });
  const next = h('button', { type: 'button', class: 'secondary', id: 'findings-next', text: t('pager.next') });
  const position = h('span', { class: 'page-number' });
  const slot = messageSlot();
  let offset = 0;
  async function load() {
    try {
      const list = await api(`/directory/imports/${imported.id}/findings`, { query: { offset, limit: pageSize, severity: severity.value() } });
      fillBody(body, columns, list, t('import.noFindings'), (f) => ({ dataset: { row: f.row, rule: f.rule }, class: f.severity === 'error' ? 'row-error' : 'row-warning' }));
      position.textContent = list.length ? t('import.findingsRange', { from: number(offset + 1), to: number(offset + list.length) }) : '';
      prev.disabled = offset === 0;
      next.disabled = list.length < pageSize;
      slot.clear();
    } catch (error) {
      slot.error(error);
    }
  }
  severity.input.addEventListener('change', () => { offset = 0; load(); });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - pageSize); load(); });
  next.addEventListener('click', () => { offset += pageSize; load(); });
  load();
  return h('section', { class: 'findings-browser' }, h('h3', { text: t('import.findings') }), severity.el, slot.el,
    h('div', { class: 'table-wrap' }, table), h('div', { class: 'pager' }, prev, position, next));
}
