// The directory's result table: one row per camera, labels from the dictionaries.
import { h } from '../core/dom.js';
import { dateTime } from '../core/format.js';
import { t } from '../core/i18n.js';
import { divisionLabel, label } from '../core/reference.js';
import { fillBody } from './data-table.js';

export function statusBadge(all, networkStatus) {
  const kind = networkStatus === '1' ? 'online' : networkStatus === '2' ? 'offline' : 'unknown';
  return h('span', { class: `badge badge-${kind}`, dataset: { status: networkStatus || '' } }, label(all, 'networkStatus', networkStatus) || t('status.unknown'));
}

export function findingsBadge(camera) {
  if (camera.errorCount) return h('span', { class: 'badge badge-error', title: t('camera.errors', { count: camera.errorCount }) }, `${camera.errorCount} ${t('camera.errorShort')}`);
  if (camera.warningCount) return h('span', { class: 'badge badge-warning', title: t('camera.warnings', { count: camera.warningCount }) }, `${camera.warningCount} ${t('camera.warningShort')}`);
  return h('span', { class: 'badge badge-ok', text: t('camera.ok') });
}

export function cameraColumns(all) {
  const link = (camera, text) => h('a', { href: `#/directory/camera/id-${camera.id}`, text });
  return [
    { label: t('field.code'), class: 'mono', cell: (c) => link(c, c.code || t('camera.noCode')) },
    { label: t('field.name'), cell: (c) => link(c, c.record.name || '—') },
    { label: t('field.division'), cell: (c) => h('span', { dataset: { division: c.record.division } }, divisionLabel(c.record.division)) },
    { label: t('field.department'), cell: (c) => label(all, 'department', c.record.department) },
    { label: t('field.pointClass'), cell: (c) => label(all, 'pointClass', c.record.pointClass) },
    { label: t('field.networkStatus'), cell: (c) => statusBadge(all, c.record.networkStatus) },
    { label: t('field.deviceStatus'), cell: (c) => label(all, 'deviceStatus', c.record.deviceStatus) },
    { label: t('field.shareAttribute'), cell: (c) => label(all, 'shareAttribute', c.record.shareAttribute) },
    { label: t('camera.findings'), cell: (c) => findingsBadge(c) },
    { label: t('camera.updated'), class: 'nowrap', cell: (c) => dateTime(c.updatedAt) },
  ];
}

/**
 * The directory's table. With `selection` (a Set of codes, kept across pages), each row has a box to
 * tick and the header one for the whole page; `onSelect()` is called after every change.
 */
export function cameraTable(all, { selection = null, onSelect = () => {} } = {}) {
  const columns = cameraColumns(all);
  const boxes = new Map();
  const pageBox = selection ? h('input', { type: 'checkbox', id: 'select-page', 'aria-label': t('directory.selectPage') }) : null;
  if (selection) {
    columns.unshift({
      label: '', header: pageBox, class: 'select-cell',
      cell: (c) => {
        if (!c.code) return '';
        const box = h('input', { type: 'checkbox', class: 'select-camera', value: c.code, checked: selection.has(c.code), 'aria-label': t('directory.selectCamera', { code: c.code }) });
        box.addEventListener('change', () => {
          if (box.checked) selection.add(c.code); else selection.delete(c.code);
          syncPageBox();
          onSelect();
        });
        boxes.set(c.code, box);
        return box;
      },
    });
    pageBox.addEventListener('change', () => {
      for (const [code, box] of boxes) {
        box.checked = pageBox.checked;
        if (pageBox.checked) selection.add(code); else selection.delete(code);
      }
      onSelect();
    });
  }
  function syncPageBox() {
    if (!pageBox) return;
    const states = [...boxes.values()].map((box) => box.checked);
    pageBox.checked = states.length > 0 && states.every(Boolean);
    pageBox.indeterminate = states.some(Boolean) && !pageBox.checked;
  }
  const body = h('tbody');
  const table = h('table', { class: 'data-table camera-table', id: 'camera-table' },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.class || null }, column.header || column.label)))), body);
  return {
    el: h('div', { class: 'table-wrap' }, table),
    table,
    show(items) {
      boxes.clear();
      fillBody(body, columns, items, t('directory.noResults'), (camera) => ({ dataset: { id: camera.id, code: camera.code } }));
      syncPageBox();
    },
    refreshSelection() {
      for (const [code, box] of boxes) box.checked = Boolean(selection && selection.has(code));
      syncPageBox();
    },
    refreshDivisions() {
      for (const span of body.querySelectorAll('[data-division]')) span.textContent = divisionLabel(span.dataset.division);
    },
  };
}
