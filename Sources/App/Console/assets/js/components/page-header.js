// The heading of a page, with optional actions on the right.
import { h } from '../core/dom.js';

export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-header' },
    h('h1', { text: title, tabindex: '-1' }),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}
