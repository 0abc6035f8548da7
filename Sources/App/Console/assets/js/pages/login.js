// Log in. After a forced logout the page says why and returns the user to where they were.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import * as router from '../core/router.js';
import * as session from '../core/session.js';
import { field, busy } from '../components/form.js';
import { messageSlot, notice } from '../components/notice.js';

export default {
  title: () => t('login.title'),
  render(container, { query }) {
    if (session.user() && !query.expired) {
      router.go(query.next ? router.parse(`#${query.next}`).path : '/dashboard', query.next ? router.parse(`#${query.next}`).query : {}, { replace: true });
      return;
    }
    const messages = messageSlot();
    if (query.expired) messages.el.append(notice('warning', t('login.expired')));
    if (query.bye) messages.el.append(notice('info', t('login.loggedOut')));
    if (query.changed) messages.el.append(notice('success', t('login.passwordChanged')));
    const username = field({ label: t('login.username'), name: 'username', required: true, attrs: { autocomplete: 'username', autofocus: true } });
    const password = field({ label: t('login.password'), name: 'password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit', text: t('login.submit') });
    const form = h('form', { id: 'login-form', class: 'login-form', novalidate: true }, username.el, password.el, submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      messages.clear();
      username.setMessage(username.value().trim() ? '' : t('form.required'));
      password.setMessage(password.value() ? '' : t('form.required'));
      if (!username.value().trim() || !password.value()) {
        (username.value().trim() ? password : username).input.focus();
        return;
      }
      try {
        await busy(submit, () => session.login(username.value().trim(), password.value()));
      } catch (error) {
        messages.error(error);
        password.input.value = '';
        password.input.focus();
        return;
      }
      const next = query.next ? router.parse(`#${query.next}`) : { path: '/dashboard', query: {} };
      router.go(next.path === '/login' ? '/dashboard' : next.path, next.query, { replace: true });
    });
    container.append(h('div', { class: 'login-card' },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true', text: 'GB' }),
        h('div', {}, h('h1', { text: t('login.heading') }), h('p', { class: 'muted', text: t('login.subtitle') }))),
      messages.el, form));
    setTimeout(() => username.input.focus(), 0);
  },
};
