// A table of share requests: who asked, what, for how long, where it stands, the deadline.
import { h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dataTable } from './data-table.js';
import { departmentText, permissionText, requestStatusBadge } from './sharing.js';

export function deadlineCell(view) {
  const request = view.request;
  if (request.status !== 'pending') return h('span', { class: 'muted', text: dateTime(request.decidedAt) });
  return h('span', { class: view.overdue ? 'deadline overdue' : 'deadline' },
    dateTime(request.deadline),
    view.overdue ? [' ', h('span', { class: 'badge badge-error', dataset: { overdue: 'true' }, text: t('sharing.overdue') })] : null,
    request.escalatedAt ? [' ', h('span', { class: 'badge badge-warning', text: t('sharing.escalated') })] : null);
}

export function requestTable(all, views, { empty }) {
  return dataTable([
    { label: t('sharing.col.created'), class: 'nowrap', cell: (v) => dateTime(v.request.createdAt) },
    { label: t('sharing.col.requester'), cell: (v) => v.request.requester },
    { label: t('sharing.col.department'), cell: (v) => departmentText(all, v.request.department) },
    { label: t('sharing.col.cameras'), class: 'num', cell: (v) => number(v.cameras.length) },
    { label: t('sharing.col.permissions'), cell: (v) => permissionText(all, v.request.permissions) },
    { label: t('sharing.col.purpose'), cell: (v) => v.request.purpose },
    { label: t('sharing.col.until'), class: 'nowrap', cell: (v) => dateTime(v.request.validUntil) },
    { label: t('sharing.col.status'), cell: (v) => requestStatusBadge(v.request.status) },
    { label: t('sharing.col.deadline'), class: 'nowrap', cell: (v) => deadlineCell(v) },
    { label: '', cell: (v) => h('a', { href: `#/sharing/requests/${v.request.id}`, class: 'open-request', text: t('sharing.open') }) },
  ], views, {
    empty, className: 'request-table',
    rowAttrs: (v) => ({ dataset: { id: v.request.id, status: v.request.status }, class: v.overdue ? 'row-overdue' : null }),
  });
}
