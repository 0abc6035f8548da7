// Pieces the sharing pages share: their tabs, states as badges, permissions and departments in words.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { label } from '../core/reference.js';
import { user } from '../core/session.js';
import { canRequestShare, canReviewShare, canSeeAllRequests } from '../core/permissions.js';

/** The directory filters a share query can carry (Sharing's SelectionQuery); the rest do not travel. */
export const queryFilters = ['division', 'department', 'pointClass', 'shareAttribute', 'q'];

export function sharingTabs(active) {
  const me = user();
  const items = [
    { key: 'mine', href: '#/sharing?view=mine', text: t('sharing.tab.mine'), show: Boolean(me && me.departmentCode) },
    { key: 'review', href: '#/sharing?view=review', text: t('sharing.tab.review'), show: canReviewShare(me) },
    { key: 'all', href: '#/sharing?view=all', text: t('sharing.tab.all'), show: canSeeAllRequests(me) },
    { key: 'grants', href: '#/sharing/grants', text: t('sharing.tab.grants'), show: true },
    { key: 'new', href: '#/sharing/new', text: t('sharing.tab.new'), show: canRequestShare(me) },
  ].filter((item) => item.show);
  return h('nav', { class: 'tabs', 'aria-label': t('sharing.tabs') },
    items.map((item) => h('a', {
      href: item.href, class: item.key === active ? 'tab active' : 'tab', 'aria-current': item.key === active ? 'page' : null,
      dataset: { tab: item.key }, text: item.text,
    })));
}

/** The view a user lands on: reviewers without a department of their own see the queue. */
export function defaultView() {
  const me = user();
  if (me && me.departmentCode) return 'mine';
  if (canReviewShare(me)) return 'review';
  return canSeeAllRequests(me) ? 'all' : 'mine';
}

const statusKinds = { pending: 'warning', approved: 'ok', partial: 'checked', rejected: 'error', withdrawn: 'unknown' };

export function requestStatusBadge(status) {
  return h('span', { class: `badge badge-${statusKinds[status] || 'unknown'}`, dataset: { status }, text: t(`sharing.status.${status}`) });
}

const outcomeKinds = { pending: 'warning', granted: 'ok', refused: 'error', own: 'unknown', unavailable: 'unknown' };

export function outcomeBadge(state) {
  return h('span', { class: `badge badge-${outcomeKinds[state] || 'unknown'}`, dataset: { state }, text: t(`sharing.outcome.${state}`) });
}

/** A grant's state now: revoked, expired, not yet valid, active. */
export function grantState(grant, now = new Date()) {
  if (grant.revokedAt) return 'revoked';
  if (now >= new Date(grant.validUntil)) return 'expired';
  if (now < new Date(grant.validFrom)) return 'pending';
  return 'active';
}

const grantKinds = { active: 'ok', expired: 'unknown', revoked: 'error', pending: 'warning' };

export function grantBadge(state) {
  return h('span', { class: `badge badge-${grantKinds[state]}`, dataset: { state }, text: t(`grant.state.${state}`) });
}

/** "1,2" → "实时视频点播、历史视频回放" */
export function permissionText(all, set) {
  if (!set) return '—';
  return String(set).split(',').filter(Boolean).map((code) => label(all, 'permission', code.trim())).join('、') || '—';
}

/** A DepartmentRef {code, division} in words. */
export function departmentText(all, ref) {
  if (!ref || !ref.code) return t('user.noDepartment');
  const name = label(all, 'department', ref.code) || ref.code;
  return ref.division ? `${name}（${ref.division}）` : name;
}

export function stepText(step) {
  return t(`sharing.step.${step}`);
}

/** Permission checkboxes; `only` limits the choice (a reviewer may narrow, never widen). */
export function permissionChoices(all, { name = 'permissions', checked = ['1'], only = null, legend }) {
  const entries = (all.permission || []).filter((entry) => !only || only.includes(entry.code));
  const boxes = entries.map((entry) => {
    const input = h('input', { type: 'checkbox', name, value: entry.code, checked: checked.includes(entry.code) });
    return { input, el: h('label', { class: 'inline-check' }, input, label(all, 'permission', entry.code)) };
  });
  const message = h('div', { class: 'field-message' });
  const el = h('fieldset', { class: 'choice-group', dataset: { name } }, h('legend', { text: legend }), h('div', { class: 'choices' }, boxes.map((b) => b.el)), message);
  return {
    el,
    values: () => boxes.filter((b) => b.input.checked).map((b) => b.input.value),
    setMessage(text) { message.replaceChildren(text ? h('span', { class: 'msg msg-error', text }) : ''); },
  };
}
