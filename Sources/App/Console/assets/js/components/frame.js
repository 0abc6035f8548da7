// The console's frame: side navigation and the user bar (name, department, role, language, logout).
import { h } from '../core/dom.js';
import { t, language } from '../core/i18n.js';
import { routes } from '../routes.js';
import { can } from '../core/permissions.js';
import { user } from '../core/session.js';
import { dictionaries, label } from '../core/reference.js';

export function renderNav(navEl, current) {
  const me = user();
  const active = current && current.route ? (current.route.section || current.route.path) : '';
  const items = routes.filter((route) => route.nav && (!route.requires || can(me, route.requires)));
  navEl.replaceChildren(h('ul', {}, items.map((route) => h('li', {},
    h('a', {
      href: `#${route.path}`, class: route.path === active ? 'active' : null, 'aria-current': route.path === active ? 'page' : null,
      dataset: { nav: route.path.slice(1) },
    },
    h('span', { class: 'nav-icon', 'aria-hidden': 'true', text: route.icon || '' }),
    h('span', { class: 'nav-label', text: t(route.nav) }),
    route.coming ? h('span', { class: 'badge badge-coming', text: t('nav.coming') }) : null)))));
}

export async function renderUserBar(barEl, { onLogout }) {
  const me = user();
  if (!me) {
    barEl.replaceChildren();
    return;
  }
  const department = h('span', { class: 'user-department', dataset: { department: me.departmentCode || '' } },
    me.departmentCode ? me.departmentCode : t('user.noDepartment'));
  barEl.replaceChildren(
    h('span', { class: 'user-name', title: me.username }, me.displayName || me.username),
    department,
    h('span', { class: 'user-role', dataset: { role: me.role } }, t(`role.${me.role}`)),
    h('a', { class: 'user-link', href: '#/account/password', text: t('user.changePassword') }),
    h('button', { type: 'button', class: 'link-button', id: 'logout-button', on: { click: onLogout }, text: t('user.logout') }),
  );
  if (me.departmentCode) {
    try {
      const all = await dictionaries();
      const text = label(all, 'department', me.departmentCode);
      department.textContent = text && text !== me.departmentCode ? text : me.departmentCode;
    } catch {
      // The code stays visible when the dictionary cannot be read.
    }
  }
  document.getElementById('lang-switch').textContent = language() === 'en' ? '中文' : 'English';
}
