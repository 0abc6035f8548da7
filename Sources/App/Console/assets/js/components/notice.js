// Messages on the page: errors from the API in words, successes, and short toasts.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

export function notice(kind, text) {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
}

/** An API error as a message; 403 and network failures get a hint of what to do. */
export function errorNotice(error) {
  const text = error && error.message ? error.message : String(error);
  const el = notice('error', text);
  if (error && error.code) el.dataset.code = error.code;
  return el;
}

/** A slot on a page where the latest message replaces the previous one. */
export function messageSlot() {
  const slot = h('div', { class: 'message-slot', 'aria-live': 'polite' });
  return {
    el: slot,
    error(error) { slot.replaceChildren(errorNotice(error)); },
    success(text) { slot.replaceChildren(notice('success', text)); },
    info(text) { slot.replaceChildren(notice('info', text)); },
    clear() { slot.replaceChildren(); },
  };
}

export function toast(text, kind = 'success') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const item = h('div', { class: `toast toast-${kind}`, text });
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}

export function loading() {
  return h('p', { class: 'loading', text: t('common.loading') });
}
