// Devices and lower platforms connected over GB/T 28181: online state and last keepalive; refused
// registrations (unfiled codes, wrong passwords); channels reported but not filed (先注册后接入).
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dataTable } from '../components/data-table.js';
import { ago, deviceTabs, onlineBadge } from '../components/devices.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

const refreshEvery = 15000;

export default {
  title: () => t('nav.devices'),
  async render(container, { query }) {
    const view = ['refused', 'discovered'].includes(query.view) ? query.view : 'devices';
    const messages = messageSlot();
    const reload = h('button', { type: 'button', class: 'secondary', id: 'devices-reload', text: t('devices.reload') });
    container.append(pageHeader(t('nav.devices'), reload), deviceTabs(view), messages.el);
    const summary = h('p', { class: 'result-summary', id: 'devices-summary', 'aria-live': 'polite' });
    const box = h('div', { id: 'devices-list' });
    let onlineFilter = null;
    if (view === 'devices') {
      onlineFilter = h('select', { id: 'devices-online', name: 'online', 'aria-label': t('devices.state') },
        h('option', { value: '', text: t('filter.any') }), h('option', { value: 'true', text: t('devices.online') }), h('option', { value: 'false', text: t('devices.offline') }));
      onlineFilter.value = query.online || '';
      container.append(h('div', { class: 'toolbar' }, summary, h('label', { class: 'inline-check' }, t('devices.state'), onlineFilter)), box);
    } else {
      container.append(h('p', { class: 'muted', text: t(`devices.${view}Intro`) }), summary, box);
    }
    let timer = null;
    let gone = false;

    async function load() {
      clearTimeout(timer);
      try {
        if (view === 'devices') await showDevices(); else if (view === 'refused') await showRefused(); else await showDiscovered();
        box.dataset.loaded = 'true';
        messages.clear();
      } catch (error) {
        messages.error(error);
      }
      if (!gone && view === 'devices') timer = setTimeout(load, refreshEvery);
    }

    async function showDevices() {
      const devices = await api('/devices', { query: { online: onlineFilter.value } });
      const online = devices.filter((d) => d.online).length;
      summary.textContent = t('devices.count', { count: number(devices.length), online: number(online) });
      summary.dataset.count = String(devices.length);
      box.replaceChildren(dataTable([
        { label: t('devices.code'), class: 'mono', cell: (d) => h('a', { href: `#/devices/${encodeURIComponent(d.code)}`, text: d.code }) },
        { label: t('devices.state'), cell: (d) => onlineBadge(d.online) },
        { label: t('devices.lastKeepalive'), class: 'nowrap', cell: (d) => (d.lastKeepaliveAt ? h('span', { title: dateTime(d.lastKeepaliveAt) }, ago(d.silentSeconds)) : '—') },
        { label: t('devices.registeredAt'), class: 'nowrap', cell: (d) => dateTime(d.registeredAt) },
        { label: t('devices.changedAt'), class: 'nowrap', cell: (d) => dateTime(d.changedAt) },
        { label: t('devices.transport'), cell: (d) => d.transport },
        { label: t('devices.address'), class: 'mono', cell: (d) => d.address },
        { label: t('devices.gbVersion'), cell: (d) => d.gbVersion },
        { label: t('devices.channels'), class: 'num', cell: (d) => number(d.channelCount) },
      ], devices, { className: 'device-table', empty: t('devices.none'), rowAttrs: (d) => ({ dataset: { code: d.code, online: String(d.online) } }) }));
    }

    async function showRefused() {
      const refused = await api('/devices/refused');
      summary.textContent = t('devices.refusedCount', { count: number(refused.length) });
      summary.dataset.count = String(refused.length);
      box.replaceChildren(dataTable([
        { label: t('devices.code'), class: 'mono', cell: (r) => r.code },
        { label: t('devices.reason'), cell: (r) => h('span', { dataset: { reason: r.reason } }, r.message || r.reason) },
        { label: t('devices.source'), class: 'mono', cell: (r) => r.source },
        { label: t('devices.transport'), cell: (r) => r.transport },
        { label: t('devices.attempts'), class: 'num', cell: (r) => number(r.attempts) },
        { label: t('devices.firstAt'), class: 'nowrap', cell: (r) => dateTime(r.firstAt) },
        { label: t('devices.lastAt'), class: 'nowrap', cell: (r) => dateTime(r.lastAt) },
      ], refused, { className: 'refused-table', empty: t('devices.noneRefused'), rowAttrs: (r) => ({ dataset: { code: r.code, reason: r.reason } }) }));
    }

    async function showDiscovered() {
      const channels = await api('/devices/discovered');
      summary.textContent = t('devices.discoveredCount', { count: number(channels.length) });
      summary.dataset.count = String(channels.length);
      box.replaceChildren(dataTable([
        { label: t('devices.channelCode'), class: 'mono', cell: (c) => c.code },
        { label: t('devices.channelName'), cell: (c) => c.name },
        { label: t('devices.parent'), class: 'mono', cell: (c) => (c.parentID ? h('a', { href: `#/devices/${encodeURIComponent(c.parentID)}`, text: c.parentID }) : '') },
        { label: t('devices.civilCode'), class: 'mono', cell: (c) => c.civilCode },
        { label: t('devices.channelStatus'), cell: (c) => c.status },
        { label: '', cell: () => h('a', { href: '#/directory/new', text: t('devices.fileIt') }) },
      ], channels, { className: 'discovered-table', empty: t('devices.noneDiscovered'), rowAttrs: (c) => ({ dataset: { code: c.code } }) }));
    }

    reload.addEventListener('click', load);
    if (onlineFilter) onlineFilter.addEventListener('change', load);
    await load();
    return () => { gone = true; clearTimeout(timer); };
  },
};
