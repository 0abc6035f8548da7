// Pieces of the device pages: tabs, online state, "how long ago".
import { h } from '../core/dom.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';

export function deviceTabs(active) {
  const items = [
    { key: 'devices', href: '#/devices', text: t('devices.tab.devices') },
    { key: 'refused', href: '#/devices?view=refused', text: t('devices.tab.refused') },
    { key: 'discovered', href: '#/devices?view=discovered', text: t('devices.tab.discovered') },
  ];
  return h('nav', { class: 'tabs', 'aria-label': t('devices.tabs') }, items.map((item) => h('a', {
    href: item.href, class: item.key === active ? 'tab active' : 'tab', 'aria-current': item.key === active ? 'page' : null, dataset: { tab: item.key }, text: item.text,
  })));
}

export function onlineBadge(online) {
  return h('span', { class: `badge badge-${online ? 'online' : 'offline'}`, dataset: { online: String(Boolean(online)) }, text: online ? t('devices.online') : t('devices.offline') });
}

/** 75 → "1 分 15 秒前" */
export function ago(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('devices.secondsAgo', { s: number(s) });
  if (s < 3600) return t('devices.minutesAgo', { m: number(Math.floor(s / 60)), s: number(s % 60) });
  return t('devices.hoursAgo', { h: number(Math.floor(s / 3600)), m: number(Math.floor((s % 3600) / 60)) });
}
