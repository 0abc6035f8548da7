// Change one's own password. The server's rules (length, classes, not the user name) answer in place.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import * as router from '../core/router.js';
import * as session from '../core/session.js';
import { field, busy } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

export default {
  title: () => t('password.title'),
  render(container) {
    const messages = messageSlot();
    const oldPassword = field({ label: t('password.old'), name: 'oldPassword', type: 'password', required: true, attrs: { autocomplete: 'current-password' } });
    const newPassword = field({ label: t('password.new'), name: 'newPassword', type: 'password', required: true, hint: t('password.rules'), attrs: { autocomplete: 'new-password' } });
    const again = field({ label: t('password.again'), name: 'again', type: 'password', required: true, attrs: { autocomplete: 'new-password' } });
    const submit = h('button', { type: 'submit', class: 'primary', text: t('password.submit') });
    const form = h('form', { id: 'password-form', class: 'form narrow', novalidate: true }, oldPassword.el, newPassword.el, again.el, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      messages.clear();
      [oldPassword, newPassword, again].forEach((f) => f.setMessage(''));
      let ok = true;
      if (!oldPassword.value()) { oldPassword.setMessage(t('form.required')); ok = false; }
      if (newPassword.value().length < 8) { newPassword.setMessage(t('password.tooShort')); ok = false; }
      if (newPassword.value() !== again.value()) { again.setMessage(t('password.mismatch')); ok = false; }
      if (newPassword.value() && newPassword.value() === (session.user() || {}).username) { newPassword.setMessage(t('password.sameAsName')); ok = false; }
      if (!ok) {
        form.querySelector('[aria-invalid="true"]')?.focus();
        return;
      }
      try {
        await busy(submit, () => api('/auth/password', { method: 'POST', json: { oldPassword: oldPassword.value(), newPassword: newPassword.value() } }));
        // The server ends every token of the user, this one included: log in again with the new password.
        form.reset();
        session.clear();
        router.go('/login', { changed: '1' });
      } catch (error) {
        if (error.code === 'invalid_credentials') oldPassword.setMessage(error.message);
        else if (error.code === 'weak_password') newPassword.setMessage(error.message);
        else messages.error(error);
        form.querySelector('[aria-invalid="true"]')?.focus();
      }
    });
    container.append(pageHeader(t('password.title')), messages.el, form);
  },
};
