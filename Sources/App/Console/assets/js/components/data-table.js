// A plain table: columns [{label, cell(row) → node|string, class}], rows appended in one fragment.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

export function dataTable(columns, rows, { caption = '', empty = t('common.empty'), rowAttrs = null, className = '' } = {}) {
  const body = h('tbody');
  fillBody(body, columns, rows, empty, rowAttrs);
  return h('div', { class: 'table-wrap' },
    h('table', { class: `data-table ${className}` },
      caption ? h('caption', { text: caption }) : null,
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.class || null, text: column.label })))),
      body));
}

export function fillBody(body, columns, rows, empty = t('common.empty'), rowAttrs = null) {
  const fragment = document.createDocumentFragment();
  if (!rows.length) {
    fragment.append(h('tr', { class: 'empty-row' }, h('td', { colspan: String(columns.length), text: empty })));
  }
  for (const row of rows) {
    const tr = h('tr', rowAttrs ? rowAttrs(row) : {});
    for (const column of columns) {
      const value = column.cell(row);
      tr.append(h('td', { class: column.class || null }, value === null || value === undefined ? '' : value));
    }
    fragment.append(tr);
  }
  body.replaceChildren(fragment);
}
