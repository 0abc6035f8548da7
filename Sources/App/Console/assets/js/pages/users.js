// Users, for the system administrator: the list, a new user with role, department and division
// scope, and API keys for system accounts (shown once, at issue; revoked by id).
import { api } from '../core/api.js';
import { fill, h } from '../core/dom.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dictionaries, label, options } from '../core/reference.js';
import { dataTable } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

export const roles = ['system_admin', 'data_bureau_reviewer', 'police_reviewer', 'department_admin', 'department_operator', 'auditor', 'system_account'];
// Keys issued in this tab: the server lists none back (only their hashes are kept).
const issuedKeys = [];

export default {
  title: () => t('nav.users'),
  async render(container) {
    const messages = messageSlot();
    container.append(pageHeader(t('nav.users')), messages.el);
    let all;
    let departments;
    try {
      all = await dictionaries();
      departments = await options('department');
    } catch (error) {
      messages.error(error);
      return;
    }
    const listBox = h('div', { id: 'user-list' });
    const keyBox = h('section', { class: 'card', id: 'api-keys' });
    container.append(listBox);

    async function refresh() {
      try {
        const users = await api('/users');
        listBox.replaceChildren(h('p', { class: 'result-summary', dataset: { count: users.length }, text: t('users.count', { count: number(users.length) }) }),
          dataTable([
            { label: t('login.username'), class: 'mono', cell: (u) => u.username },
            { label: t('users.displayName'), cell: (u) => u.displayName },
            { label: t('users.role'), cell: (u) => t(`role.${u.role}`) },
            { label: t('field.department'), cell: (u) => (u.departmentCode ? `${u.departmentCode} ${label(all, 'department', u.departmentCode)}` : '—') },
            { label: t('users.division'), class: 'mono', cell: (u) => u.divisionScope || t('users.allDivisions') },
            { label: t('users.state'), cell: (u) => accountState(u) },
            { label: '', cell: (u) => h('div', { class: 'row-actions' },
              u.role === 'system_account' ? h('button', { type: 'button', class: 'secondary small issue-key', text: t('users.issueKey'), on: { click: () => pickAccount(u.username) } }) : null,
              h('button', { type: 'button', class: 'secondary small edit-user', text: t('users.edit'), on: { click: () => editor.open(u) } }),
              u.lockedUntil ? h('button', { type: 'button', class: 'secondary small unlock-user', text: t('users.unlock'), on: { click: (e) => act(e.currentTarget, `/users/${encodeURIComponent(u.username)}/unlock`, 'POST', null, t('users.unlocked', { username: u.username })) } }) : null,
              h('button', { type: 'button', class: 'secondary small reset-password', text: t('users.resetPassword'), on: { click: (e) => resetPassword(u, e.currentTarget) } }),
              h('button', { type: 'button', class: `${u.active ? 'danger' : 'secondary'} small toggle-user`, text: u.active ? t('users.disable') : t('users.enable'),
                on: { click: (e) => act(e.currentTarget, `/users/${encodeURIComponent(u.username)}`, 'PATCH', { active: !u.active }, t(u.active ? 'users.disabled' : 'users.enabled', { username: u.username })) } })) },
          ], users, { className: 'user-table', rowAttrs: (u) => ({ dataset: { username: u.username, role: u.role, active: String(u.active), locked: String(Boolean(u.lockedUntil)) } }) }));
        const accounts = users.filter((u) => u.role === 'system_account').map((u) => u.username);
        const chosen = account.input.value;
        fill(account.input, h('option', { value: '', text: accounts.length ? t('form.choose') : t('users.noSystemAccounts') }),
          accounts.map((name) => h('option', { value: name, text: name })));
        account.input.value = accounts.includes(chosen) ? chosen : '';
      } catch (error) {
        messages.error(error);
      }
    }

    function accountState(u) {
      if (!u.active) return h('span', { class: 'badge badge-error', text: t('users.stateDisabled') });
      if (u.lockedUntil) return h('span', { class: 'badge badge-warning', text: t('users.stateLocked') });
      return h('span', { class: 'badge badge-ok', text: t('users.stateActive') });
    }

    // Every change goes to the server, which decides (manage_users) and records it in the audit log.
    async function act(button, path, method, json, done) {
      try {
        await busy(button, () => api(path, json ? { method, json } : { method }));
        messages.success(done);
        refresh();
      } catch (error) {
        messages.error(error);
      }
    }

    async function resetPassword(u, button) {
      const password = window.prompt(t('users.resetPrompt', { username: u.username }));
      if (!password) return;
      await act(button, `/users/${encodeURIComponent(u.username)}/password`, 'PUT', { password }, t('users.passwordReset', { username: u.username }));
    }

    const editor = userEditor(departments, messages, refresh);
    container.append(editor.el);

    const issuedNow = h('div', { id: 'issued-key', 'aria-live': 'polite' });
    const keyList = h('div', { id: 'key-list' });
    const account = field({ label: t('users.systemAccount'), name: 'account', required: true, options: [], emptyOption: t('form.choose') });
    const keyLabel = field({ label: t('users.keyLabel'), name: 'keyLabel', hint: t('users.keyLabelHint'), attrs: { maxlength: '100' } });
    const issueButton = h('button', { type: 'submit', class: 'primary', id: 'issue-key', text: t('users.issueKey') });
    const issueForm = h('form', { id: 'issue-key-form', class: 'inline-form', novalidate: true }, account.el, keyLabel.el, issueButton);
    function pickAccount(username) {
      account.input.value = username;
      keyBox.scrollIntoView({ block: 'start' });
      keyLabel.input.focus();
    }
    issueForm.addEventListener('submit', (event) => {
      event.preventDefault();
      account.setMessage(account.value() ? '' : t('form.required'));
      if (account.value()) issue(account.value(), keyLabel.value().trim());
    });
    async function issue(username, labelText) {
      try {
        const key = await busy(issueButton, () => api(`/users/${encodeURIComponent(username)}/api-keys`, { method: 'POST', json: { label: labelText } }));
        keyLabel.input.value = '';
        issuedKeys.unshift({ id: key.id, prefix: key.prefix, username: key.username, label: key.label, revoked: false });
        const value = h('input', { type: 'text', id: 'issued-key-value', class: 'mono', readonly: true, value: key.key, 'aria-label': t('users.keyValue') });
        const copy = h('button', { type: 'button', class: 'secondary small', text: t('users.copy') });
        copy.addEventListener('click', async () => {
          value.select();
          try { await navigator.clipboard.writeText(key.key); copy.textContent = t('users.copied'); } catch { document.execCommand('copy'); }
        });
        issuedNow.replaceChildren(h('div', { class: 'notice notice-warning', role: 'status' },
          h('p', { class: 'strong', text: t('users.keyOnce', { username }) }), h('div', { class: 'key-row' }, value, copy)));
        showKeys();
        value.focus();
        value.select();
      } catch (error) {
        messages.error(error);
      }
    }

    function showKeys() {
      keyList.replaceChildren(dataTable([
        { label: t('users.keyPrefix'), class: 'mono', cell: (k) => `${k.prefix}…` },
        { label: t('login.username'), cell: (k) => k.username },
        { label: t('users.keyLabel'), cell: (k) => k.label },
        { label: 'ID', class: 'mono small', cell: (k) => k.id },
        { label: '', cell: (k) => (k.revoked ? h('span', { class: 'badge badge-error', text: t('users.keyRevoked') })
          : h('button', { type: 'button', class: 'danger small revoke-key', text: t('users.revokeKey'), on: { click: (event) => revoke(k.id, event.currentTarget) } })) },
      ], issuedKeys, { className: 'key-table', empty: t('users.noKeysThisSession'), rowAttrs: (k) => ({ dataset: { id: k.id } }) }));
    }

    async function revoke(id, button) {
      if (!window.confirm(t('users.confirmRevoke'))) return;
      try {
        await busy(button, () => api(`/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }));
        const known = issuedKeys.find((k) => k.id === id);
        if (known) known.revoked = true;
        messages.success(t('users.keyRevokedDone'));
        showKeys();
      } catch (error) {
        messages.error(error);
      }
    }

    const revokeId = field({ label: t('users.revokeById'), name: 'keyId', hint: t('users.revokeByIdHint'), attrs: { spellcheck: 'false' } });
    const revokeButton = h('button', { type: 'submit', class: 'danger', text: t('users.revokeKey') });
    const revokeForm = h('form', { id: 'revoke-key-form', class: 'inline-form', novalidate: true }, revokeId.el, revokeButton);
    revokeForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const id = revokeId.value().trim();
      revokeId.setMessage(/^[0-9a-fA-F-]{36}$/.test(id) ? '' : t('users.badKeyId'));
      if (/^[0-9a-fA-F-]{36}$/.test(id)) revoke(id, revokeButton);
    });
    keyBox.append(h('h2', { text: t('users.apiKeys') }), h('p', { class: 'muted small', text: t('users.apiKeysIntro') }), issueForm, issuedNow, keyList, revokeForm);
    showKeys();

    container.append(newUserForm(departments, messages, refresh), keyBox);
    await refresh();
  },
};

function newUserForm(departments, messages, refresh) {
  const f = {
    username: field({ label: t('login.username'), name: 'username', required: true, attrs: { autocomplete: 'off', maxlength: '64' } }),
    displayName: field({ label: t('users.displayName'), name: 'displayName', attrs: { maxlength: '64' } }),
    role: field({ label: t('users.role'), name: 'role', required: true, value: 'department_operator', options: roles.map((code) => ({ code, label: '' })) }),
    departmentCode: field({ label: t('field.department'), name: 'departmentCode', options: departments, emptyOption: t('users.noDepartmentOption') }),
    divisionScope: field({ label: t('users.division'), name: 'divisionScope', hint: t('users.divisionHint'), attrs: { inputmode: 'numeric', maxlength: '12' } }),
    password: field({ label: t('users.initialPassword'), name: 'password', type: 'password', required: true, hint: t('password.rules'), attrs: { autocomplete: 'new-password' } }),
  };
  for (const option of f.role.input.options) {
    option.textContent = t(`role.${option.value}`);
    option.defaultSelected = option.value === 'department_operator';
  }
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-user', text: t('users.create') });
  const form = h('form', { id: 'user-form', class: 'form', novalidate: true }, h('div', { class: 'form-grid' }, Object.values(f).map((x) => x.el)),
    h('div', { class: 'form-actions' }, submit));
  const needsDepartment = ['department_admin', 'department_operator', 'police_reviewer'];
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    Object.values(f).forEach((x) => x.setMessage(''));
    const body = {
      username: f.username.value().trim(), displayName: f.displayName.value().trim() || undefined, password: f.password.value(),
      role: f.role.value(), departmentCode: f.departmentCode.value() || undefined, divisionScope: f.divisionScope.value().trim() || undefined,
    };
    let ok = true;
    if (!body.username) { f.username.setMessage(t('form.required')); ok = false; }
    if (body.password.length < 8) { f.password.setMessage(t('password.tooShort')); ok = false; }
    if (needsDepartment.includes(body.role) && !body.departmentCode) { f.departmentCode.setMessage(t('users.departmentNeeded')); ok = false; }
    if (body.divisionScope && !/^\d{2,12}$/.test(body.divisionScope)) { f.divisionScope.setMessage(t('users.badDivision')); ok = false; }
    if (!ok) { form.querySelector('[aria-invalid="true"]')?.focus(); return; }
    try {
      const created = await busy(submit, () => api('/users', { method: 'POST', json: body }));
      form.reset();
      messages.success(t('users.created', { username: created.username }));
      refresh();
    } catch (error) {
      if (error.code === 'weak_password') f.password.setMessage(error.message);
      else messages.error(error);
    }
  });
  return h('section', { class: 'card', id: 'new-user' }, h('h2', { text: t('users.newTitle') }), form);
}

/** Role, department, division and display name of an existing account. */
function userEditor(departments, messages, refresh) {
  const f = {
    displayName: field({ label: t('users.displayName'), name: 'displayName', attrs: { maxlength: '64' } }),
    role: field({ label: t('users.role'), name: 'role', required: true, options: roles.map((code) => ({ code, label: '' })) }),
    departmentCode: field({ label: t('field.department'), name: 'departmentCode', options: departments, emptyOption: t('users.noDepartmentOption') }),
    divisionScope: field({ label: t('users.division'), name: 'divisionScope', hint: t('users.divisionHint'), attrs: { inputmode: 'numeric', maxlength: '12' } }),
    allowedNetworks: field({ label: t('users.terminals'), name: 'allowedNetworks', hint: t('users.terminalsHint'), attrs: { spellcheck: 'false', maxlength: '500' } }),
  };
  for (const option of f.role.input.options) option.textContent = t(`role.${option.value}`);
  const title = h('h2', { text: t('users.editTitle') });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save-user', text: t('users.save') });
  const cancel = h('button', { type: 'button', class: 'secondary', text: t('common.cancel') });
  const form = h('form', { id: 'edit-user-form', class: 'form', novalidate: true }, h('div', { class: 'form-grid' }, Object.values(f).map((x) => x.el)),
    h('div', { class: 'form-actions' }, save, cancel));
  const el = h('section', { class: 'card', id: 'edit-user', hidden: true }, title, form);
  let editing = null;
  cancel.addEventListener('click', () => { el.hidden = true; editing = null; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!editing) return;
    const division = f.divisionScope.value().trim();
    f.divisionScope.setMessage(division && !/^\d{2,12}$/.test(division) ? t('users.badDivision') : '');
    if (division && !/^\d{2,12}$/.test(division)) return;
    try {
      await busy(save, () => api(`/users/${encodeURIComponent(editing)}`, { method: 'PATCH', json: {
        displayName: f.displayName.value().trim(), role: f.role.value(), departmentCode: f.departmentCode.value(), divisionScope: division,
        allowedNetworks: f.allowedNetworks.value().trim() } }));
      messages.success(t('users.saved', { username: editing }));
      el.hidden = true;
      editing = null;
      refresh();
    } catch (error) {
      if (error.code === 'invalid_networks') f.allowedNetworks.setMessage(error.message);
      else messages.error(error);
    }
  });
  return {
    el,
    open(u) {
      editing = u.username;
      title.textContent = t('users.editTitleFor', { username: u.username });
      f.displayName.input.value = u.displayName || '';
      f.role.input.value = u.role;
      f.departmentCode.input.value = u.departmentCode || '';
      f.divisionScope.input.value = u.divisionScope || '';
      f.allowedNetworks.input.value = u.allowedNetworks || '';
      el.hidden = false;
      el.scrollIntoView({ block: 'start' });
      f.role.input.focus();
    },
  };
}
