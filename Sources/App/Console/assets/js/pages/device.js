// One device: online state and keepalive, catalog refresh with progress, DeviceInfo/DeviceStatus
// queries, the channels its catalog reports (filed or not), and its event history.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { canManageDevices } from '../core/permissions.js';
import { user } from '../core/session.js';
import { dataTable } from '../components/data-table.js';
import { ago, deviceTabs, onlineBadge } from '../components/devices.js';
import { busy } from '../components/form.js';
import { errorNotice, messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([term, value]) => h('div', {}, h('dt', { text: term }), h('dd', {}, value))));
}

function valuesTable(values) {
  const rows = Object.entries(values || {});
  return dataTable([
    { label: t('camera.field'), class: 'mono', cell: ([key]) => key },
    { label: t('camera.reportedValue'), cell: ([, value]) => value },
  ], rows, { className: 'compact' });
}

export default {
  title: (ctx) => t('devices.title', { code: ctx.params.code }),
  async render(container, { params }) {
    const code = params.code;
    const path = `/devices/${encodeURIComponent(code)}`;
    const messages = messageSlot();
    container.append(pageHeader(t('devices.title', { code })), deviceTabs(''), messages.el);
    let device;
    try {
      device = await api(path);
    } catch (error) {
      messages.error(error);
      return;
    }
    let gone = false;
    let poll = null;
    container.append(facts([
      [t('devices.state'), onlineBadge(device.online)],
      [t('devices.lastKeepalive'), device.lastKeepaliveAt ? `${ago(device.silentSeconds)}（${dateTime(device.lastKeepaliveAt)}）` : '—'],
      [t('devices.registeredAt'), dateTime(device.registeredAt)],
      [t('devices.changedAt'), dateTime(device.changedAt)],
      [t('devices.transport'), device.transport || '—'],
      [t('devices.address'), device.address || '—'],
      [t('devices.gbVersion'), device.gbVersion || '—'],
      [t('devices.channels'), number(device.channelCount)],
    ]));

    // Catalog refresh: 202 at once, then the progress is read until the query ends.
    const catalogBox = h('div', { id: 'catalog-progress', 'aria-live': 'polite' });
    const refresh = h('button', { type: 'button', class: 'primary', id: 'catalog-refresh', text: t('devices.refreshCatalog') });
    const infoButton = h('button', { type: 'button', class: 'secondary', id: 'device-info', text: t('devices.queryInfo') });
    const statusButton = h('button', { type: 'button', class: 'secondary', id: 'device-status', text: t('devices.queryStatus') });
    const queryBox = h('div', { id: 'device-query' });
    container.append(h('section', { class: 'card' }, h('h2', { text: t('devices.catalog') }),
      h('div', { class: 'form-actions' }, canManageDevices(user()) ? refresh : null, infoButton, statusButton), catalogBox, queryBox));

    function showProgress(progress) {
      const received = progress.received ?? 0;
      const expected = progress.expected ?? 0;
      catalogBox.dataset.running = String(Boolean(progress.running));
      if (progress.running) {
        catalogBox.replaceChildren(h('label', { class: 'progress-line' }, t('devices.catalogRunning', { received: number(received), expected: expected ? number(expected) : '?' }),
          expected ? h('progress', { max: String(expected), value: String(received) }) : h('progress', {})));
      } else if (progress.completion || progress.items !== undefined && progress.items !== null) {
        catalogBox.replaceChildren(h('p', { class: 'muted', text: t('devices.catalogLast', { items: number(progress.items ?? 0), completion: progress.completion || '—' }) }));
      } else {
        catalogBox.replaceChildren(h('p', { class: 'muted', text: t('devices.catalogNever') }));
      }
    }
    async function follow() {
      clearTimeout(poll);
      if (gone) return;
      try {
        const progress = await api(`${path}/catalog`);
        showProgress(progress);
        if (progress.running) poll = setTimeout(follow, 1000);
        else loadChannels();
      } catch (error) {
        catalogBox.replaceChildren(errorNotice(error));
      }
    }
    refresh.addEventListener('click', () => busy(refresh, async () => {
      try {
        showProgress(await api(`${path}/catalog`, { method: 'POST' }));
        poll = setTimeout(follow, 500);
      } catch (error) {
        catalogBox.replaceChildren(errorNotice(error));
      }
    }));
    const ask = (button, what) => busy(button, async () => {
      try {
        const result = await api(`${path}/${what}`);
        queryBox.replaceChildren(h('h3', { text: t(what === 'info' ? 'devices.queryInfo' : 'devices.queryStatus') }), valuesTable(result.values));
      } catch (error) {
        queryBox.replaceChildren(errorNotice(error));
      }
    });
    infoButton.addEventListener('click', () => ask(infoButton, 'info'));
    statusButton.addEventListener('click', () => ask(statusButton, 'status'));

    const channelBox = h('div', { id: 'device-channels' });
    const eventBox = h('div', { id: 'device-events' });
    container.append(h('h2', { text: t('devices.channelList') }), channelBox, h('h2', { text: t('devices.events') }), eventBox);
    async function loadChannels() {
      try {
        const channels = await api(`${path}/channels`);
        channelBox.replaceChildren(dataTable([
          { label: t('devices.channelCode'), class: 'mono', cell: (c) => (c.filed ? h('a', { href: `#/directory/camera/${encodeURIComponent(c.code)}`, text: c.code }) : c.code) },
          { label: t('devices.channelName'), cell: (c) => c.name },
          { label: t('devices.civilCode'), class: 'mono', cell: (c) => c.civilCode },
          { label: t('devices.channelStatus'), cell: (c) => c.status },
          { label: t('devices.filed'), cell: (c) => h('span', { class: c.filed ? 'badge badge-ok' : 'badge badge-warning', text: c.filed ? t('devices.filedYes') : t('devices.filedNo') }) },
          { label: t('devices.reported'), cell: (c) => reportedDetails(c.reported) },
        ], channels, { className: 'channel-table', empty: t('devices.noChannels'), rowAttrs: (c) => ({ dataset: { code: c.code, filed: String(c.filed) } }) }));
      } catch (error) {
        channelBox.replaceChildren(errorNotice(error));
      }
    }
    async function loadEvents() {
      try {
        const events = await api(`${path}/events`, { query: { limit: 100 } });
        eventBox.replaceChildren(dataTable([
          { label: t('history.at'), class: 'nowrap', cell: (e) => dateTime(e.at) },
          { label: t('devices.eventKind'), cell: (e) => t(`devices.event.${e.kind}`) === `devices.event.${e.kind}` ? e.kind : t(`devices.event.${e.kind}`) },
          { label: t('devices.eventDetail'), class: 'small', cell: (e) => Object.entries(e.detail || {}).map(([k, v]) => `${k}=${v}`).join(' ') },
        ], events, { className: 'event-table compact', empty: t('devices.noEvents') }));
      } catch (error) {
        eventBox.replaceChildren(errorNotice(error));
      }
    }
    await Promise.all([follow(), loadChannels(), loadEvents()]);
    return () => { gone = true; clearTimeout(poll); };
  },
};

function reportedDetails(reported) {
  const entries = Object.entries(reported || {});
  if (!entries.length) return '';
  return h('details', {}, h('summary', {}, t('devices.reportedCount', { count: entries.length })),
    h('dl', { class: 'facts compact' }, entries.map(([k, v]) => h('div', {}, h('dt', { class: 'mono', text: k }), h('dd', { text: v })))));
}
