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

export function cameraTable(all) {
  const columns = cameraColumns(all);
  const body = h('tbody');
  const table = h('table', { class: 'data-table camera-table', id: 'camera-table' },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', text: column.label })))), body);
  return {
    el: h('div', { class: 'table-wrap' }, table),
    table,
    show(items) {
      fillBody(body, columns, items, t('directory.noResults'), (camera) => ({ dataset: { id: camera.id, code: camera.code } }));
    },
    refreshDivisions() {
      for (const span of body.querySelectorAll('[data-division]')) span.textContent = divisionLabel(span.dataset.division);
    },
  };
}
