// One share request: where each camera stands, the reviews so far, its grants; for a reviewer with
// cameras waiting, approve all, approve part (fewer cameras, fewer permissions) or refuse with a
// reason; for the requester, withdraw while it is pending.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime } from '../core/format.js';
import { t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dictionaries, label } from '../core/reference.js';
import { dataTable } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot, notice } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { deadlineCell } from '../components/request-table.js';
import { departmentText, outcomeBadge, permissionChoices, permissionText, requestStatusBadge, sharingTabs, stepText } from '../components/sharing.js';

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([term, value]) => h('div', {}, h('dt', { text: term }), h('dd', {}, value))));
}

export default {
  title: () => t('share.requestTitle'),
  async render(container, { params, query }) {
    const messages = messageSlot();
    container.append(pageHeader(t('share.requestTitle')), sharingTabs(''), messages.el);
    let view;
    let all;
    let mayReview = false;
    try {
      [view, all] = await Promise.all([api(`/share-requests/${encodeURIComponent(params.id)}`), dictionaries()]);
      // The server marks what this user may answer (the one rule, in Sharing); the console only shows it.
      mayReview = view.request.status === 'pending' && view.cameras.some((c) => c.mayAnswer === true);
    } catch (error) {
      messages.error(error);
      return;
    }
    if (query.submitted) messages.success(t('share.submitted'));
    const request = view.request;
    const body = h('div', { id: 'share-request', dataset: { id: request.id, status: request.status } });
    container.append(body);
    body.append(facts([
      [t('sharing.col.status'), requestStatusBadge(request.status)],
      [t('sharing.col.requester'), request.requester],
      [t('sharing.col.department'), departmentText(all, request.department)],
      [t('sharing.col.created'), dateTime(request.createdAt)],
      [t('sharing.col.permissions'), permissionText(all, request.permissions)],
      [t('sharing.col.purpose'), request.purpose],
      [t('share.period'), `${dateTime(request.validFrom)} – ${dateTime(request.validUntil)}`],
      [t('sharing.col.deadline'), deadlineCell(view)],
      [t('share.selection'), request.selection && request.selection.query ? t('share.selectionQuery', { query: Object.entries(request.selection.query).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ') }) : t('share.selectionList')],
    ]));
    if (!request.frozen) body.append(notice('info', t('share.notFrozen')));

    body.append(h('h2', { text: t('share.cameraOutcomes') }), dataTable([
      { label: t('field.code'), class: 'mono', cell: (c) => c.code },
      { label: t('share.owner'), cell: (c) => (c.owner ? label(all, 'department', c.owner) : '—') },
      { label: t('field.division'), cell: (c) => c.division || '—' },
      { label: t('field.shareAttribute'), cell: (c) => (c.shareAttribute ? label(all, 'shareAttribute', c.shareAttribute) : '—') },
      { label: t('share.steps'), cell: (c) => (c.steps.length ? c.steps.map(stepText).join(' → ') : '—') },
      { label: t('share.state'), cell: (c) => outcomeBadge(c.state) },
      { label: t('share.waitingFor'), cell: (c) => (c.waitingFor ? stepText(c.waitingFor) : '') },
      { label: t('sharing.col.permissions'), cell: (c) => (c.state === 'granted' ? permissionText(all, c.permissions) : '') },
    ], view.cameras, { className: 'outcome-table', rowAttrs: (c) => ({ dataset: { code: c.code, state: c.state } }) }));

    if (mayReview) body.append(reviewForm(all, view, messages));
    if (view.mayWithdraw) {
      const withdraw = h('button', { type: 'button', class: 'danger', id: 'withdraw-request', text: t('share.withdraw') });
      withdraw.addEventListener('click', () => busy(withdraw, async () => {
        if (!window.confirm(t('share.confirmWithdraw'))) return;
        try {
          await api(`/share-requests/${request.id}/withdraw`, { method: 'POST' });
          router.render();
        } catch (error) {
          messages.error(error);
        }
      }));
      body.append(h('div', { class: 'form-actions' }, withdraw));
    }

    body.append(h('h2', { text: t('share.reviews') }), dataTable([
      { label: t('history.at'), class: 'nowrap', cell: (r) => dateTime(r.at) },
      { label: t('share.step'), cell: (r) => stepText(r.step) },
      { label: t('share.reviewer'), cell: (r) => `${r.reviewer}（${departmentText(all, r.department)}）` },
      { label: t('share.decision'), cell: (r) => h('span', { class: r.decision === 'approve' ? 'badge badge-ok' : 'badge badge-error', text: t(`share.decision.${r.decision}`) }) },
      { label: t('sharing.col.cameras'), cell: (r) => String(r.cameras.length) },
      { label: t('sharing.col.permissions'), cell: (r) => (r.decision === 'approve' ? permissionText(all, r.permissions) : '') },
      { label: t('share.comment'), cell: (r) => r.comment },
    ], request.reviews, { className: 'review-table', empty: t('share.noReviews') }));

    if (view.grantIDs.length) {
      body.append(h('h2', { text: t('share.grants') }),
        h('ul', { class: 'plain-list', id: 'request-grants' }, view.grantIDs.map((id) => h('li', {},
          h('a', { href: `#/sharing/grants?id=${id}`, class: 'mono', text: id })))));
    }
  },
};

function reviewForm(all, view, messages) {
  const request = view.request;
  // Only the cameras the server says this reviewer may answer now (mayAnswer): the others wait for
  // someone else, and offering them made "approve all" record fewer than it showed.
  const pending = view.cameras.filter((c) => c.state === 'pending' && c.mayAnswer === true);
  const boxes = pending.map((c) => {
    const input = h('input', { type: 'checkbox', name: 'camera', value: c.code, checked: true });
    return { input, el: h('label', { class: 'inline-check mono' }, input, c.code, c.waitingFor ? h('span', { class: 'muted small', text: ` ${stepText(c.waitingFor)}` }) : null) };
  });
  const requested = String(request.permissions).split(',').filter(Boolean);
  const permissions = permissionChoices(all, { name: 'reviewPermissions', legend: t('share.reviewPermissions'), checked: requested, only: requested });
  const comment = field({ label: t('share.comment'), name: 'comment', type: 'textarea', hint: t('share.commentHint'), attrs: { maxlength: '500' } });
  const cameraMessage = h('div', { class: 'field-message' });
  const approveAll = h('button', { type: 'button', class: 'primary', id: 'approve-all', text: t('share.approveAll') });
  const approvePart = h('button', { type: 'button', class: 'secondary', id: 'approve-part', text: t('share.approvePart') });
  const reject = h('button', { type: 'button', class: 'danger', id: 'reject-request', text: t('share.reject') });
  const form = h('form', { id: 'review-form', class: 'form', novalidate: true },
    h('h2', { text: t('share.reviewTitle') }),
    h('fieldset', { class: 'choice-group' }, h('legend', { text: t('share.reviewCameras') }), h('div', { class: 'choices' }, boxes.map((b) => b.el)), cameraMessage),
    permissions.el, comment.el,
    h('div', { class: 'form-actions' }, approveAll, approvePart, reject));
  form.addEventListener('submit', (event) => event.preventDefault());

  async function send(button, payload) {
    try {
      await busy(button, () => api(`/share-requests/${request.id}/reviews`, { method: 'POST', json: payload }));
      router.render();
    } catch (error) {
      messages.error(error);
    }
  }
  approveAll.addEventListener('click', () => send(approveAll, { decision: 'approve', comment: comment.value().trim() }));
  approvePart.addEventListener('click', () => {
    cameraMessage.replaceChildren();
    permissions.setMessage('');
    const cameras = boxes.filter((b) => b.input.checked).map((b) => b.input.value);
    const chosen = permissions.values();
    if (!cameras.length) { cameraMessage.append(h('span', { class: 'msg msg-error', text: t('share.pickCameras') })); return; }
    if (!chosen.length) { permissions.setMessage(t('share.noPermissions')); return; }
    send(approvePart, { decision: 'approve', cameras, permissions: chosen.join(','), comment: comment.value().trim() });
  });
  reject.addEventListener('click', () => {
    comment.setMessage('');
    if (!comment.value().trim()) {
      comment.setMessage(t('share.reasonRequired'));
      comment.input.focus();
      return;
    }
    send(reject, { decision: 'reject', comment: comment.value().trim() });
  });
  return form;
}
