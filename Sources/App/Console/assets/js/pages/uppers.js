// Upper platforms (级联上级, issue 12): the province or other platforms this node registers to as a
// lower platform. The bureau sees each link's state as it is now (re-read every 10 s), adds one, turns
// it off and on, reads its history (registrations, catalog pushes, relayed views and commands), and
// shares cameras or PTZ with it beyond its default (grants naming the upper, revoked like any grant).
// The server decides everything (manage_platforms, grant_upper_platform); this page only asks.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime, number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dictionaries } from '../core/reference.js';
import { dataTable } from '../components/data-table.js';
import { busy, field } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { grantBadge, grantState, permissionChoices, permissionText } from '../components/sharing.js';

const refreshEvery = 10000;
const stateClass = { registered: 'badge-ok', registering: 'badge-warning', backoff: 'badge-error', refused: 'badge-error', idle: 'badge-offline' };
// What an upper may be granted: video and PTZ (clip recording stays with the city's own departments).
const upperPermissions = ['1', '2', '3', '4'];

export default {
  title: () => t('nav.uppers'),
  async render(container) {
    const messages = messageSlot();
    const listBox = h('div', { id: 'upper-list' });
    const detail = h('div', { id: 'upper-detail' });
    container.append(pageHeader(t('nav.uppers')), messages.el, h('p', { class: 'muted', text: t('uppers.intro') }), listBox, detail);
    let gone = false;
    let timer = null;
    let selected = null;
    const all = await dictionaries();

    async function refresh() {
      clearTimeout(timer);
      try {
        const uppers = await api('/upper-platforms');
        listBox.replaceChildren(
          h('p', { class: 'result-summary', dataset: { count: uppers.length }, text: t('uppers.count', { count: number(uppers.length) }) }),
          dataTable([
            { label: t('uppers.platformID'), class: 'mono', cell: (u) => u.platformID },
            { label: t('uppers.name'), cell: (u) => u.name },
            { label: t('uppers.address'), class: 'mono', cell: (u) => `${u.host}:${u.port}/${u.transport}` },
            { label: t('uppers.state'), cell: (u) => stateCell(u) },
            { label: t('uppers.registeredUntil'), class: 'nowrap', cell: (u) => (u.registeredUntil ? dateTime(u.registeredUntil) : '') },
            { label: '', cell: (u) => h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'link-button', dataset: { action: 'open' }, text: t('uppers.open'), on: { click: () => { selected = u.platformID; showDetail(u); } } }),
              h('button', { type: 'button', class: 'link-button', dataset: { action: 'toggle' }, text: u.enabled ? t('uppers.disable') : t('uppers.enable'),
                on: { click: () => toggle(u) } })) },
          ], uppers, { empty: t('uppers.none'), className: 'upper-table', rowAttrs: (u) => ({ dataset: { key: u.platformID, state: u.state } }) }));
        const current = uppers.find((u) => u.platformID === selected);
        if (current) showDetail(current, { quiet: true });
      } catch (error) {
        messages.error(error);
      }
      if (!gone) timer = setTimeout(refresh, refreshEvery);
    }

    async function toggle(upper) {
      try {
        await api(`/upper-platforms/${encodeURIComponent(upper.platformID)}`, { method: 'PATCH', json: { enabled: !upper.enabled } });
        messages.success(upper.enabled ? t('uppers.disabled') : t('uppers.enabled'));
        refresh();
      } catch (error) {
        messages.error(error);
      }
    }

    async function showDetail(upper, { quiet = false } = {}) {
      try {
        const id = encodeURIComponent(upper.platformID);
        const [events, grants] = await Promise.all([api(`/upper-platforms/${id}/events`), api(`/upper-platforms/${id}/grants`)]);
        detail.replaceChildren(
          h('section', { class: 'card', id: 'upper-events' }, h('h2', { text: t('uppers.eventsTitle', { id: upper.platformID }) }),
            dataTable([
              { label: t('uppers.at'), class: 'nowrap', cell: (e) => dateTime(e.at) },
              { label: t('uppers.event'), cell: (e) => eventText(e.state) },
              { label: t('uppers.detail'), cell: (e) => e.detail },
            ], events.slice(0, 50), { empty: t('uppers.noEvents'), className: 'upper-events' })),
          grantsCard(all, upper, grants, messages, () => showDetail(upper)));
        if (!quiet) detail.scrollIntoView({ block: 'start' });
      } catch (error) {
        messages.error(error);
      }
    }

    await refresh();
    container.append(addForm(messages, refresh));
    return () => { gone = true; clearTimeout(timer); };
  },
};

/** A history entry's code in words; a code this console does not know yet is shown as it is. */
function eventText(state) {
  const key = `uppers.event.${state}`;
  const text = t(key);
  return text === key ? state : text;
}

function stateCell(upper) {
  return h('span', {},
    h('span', { class: `badge ${stateClass[upper.state] || 'badge-warning'}`, text: t(`uppers.state.${upper.state}`) }),
    upper.enabled ? null : h('span', { class: 'badge badge-offline', text: t('uppers.off') }),
    upper.failure ? h('div', { class: 'small msg msg-warning', text: upper.failure }) : null,
    upper.retryAt ? h('div', { class: 'small muted', text: t('uppers.retryAt', { at: dateTime(upper.retryAt) }) }) : null);
}

function grantsCard(all, upper, grants, messages, reload) {
  const table = dataTable([
    { label: t('uppers.grantCameras'), class: 'mono', cell: (g) => g.cameras.map((c) => c.code).join(' ') },
    { label: t('uppers.grantPermissions'), cell: (g) => permissionText(all, g.cameras[0] ? g.cameras[0].permissions : '') },
    { label: t('uppers.grantPurpose'), cell: (g) => g.purpose },
    { label: t('uppers.grantUntil'), class: 'nowrap', cell: (g) => dateTime(g.validUntil) },
    { label: t('uppers.grantState'), cell: (g) => grantBadge(grantState(g)) },
    { label: '', cell: (g) => (grantState(g) !== 'active' ? null
      : h('button', { type: 'button', class: 'link-button', dataset: { action: 'revoke' }, text: t('uppers.revoke'), on: { click: () => revoke(g) } })) },
  ], grants, { empty: t('uppers.noGrants'), className: 'upper-grants', rowAttrs: (g) => ({ dataset: { grant: g.id, state: grantState(g) } }) });

  async function revoke(grant) {
    const reason = window.prompt(t('uppers.revokeReason'));
    if (!reason) return;
    try {
      await api(`/grants/${grant.id}/revoke`, { method: 'POST', json: { reason } });
      messages.success(t('uppers.revoked'));
      reload();
    } catch (error) {
      messages.error(error);
    }
  }

  const cameras = field({ label: t('uppers.grantCameras'), name: 'cameras', type: 'textarea', required: true, hint: t('uppers.camerasHint') });
  const purpose = field({ label: t('uppers.grantPurpose'), name: 'purpose', required: true });
  const days = field({ label: t('uppers.grantDays'), name: 'days', type: 'number', value: '30', attrs: { min: '1', max: '3650' } });
  const permissions = permissionChoices(all, { only: upperPermissions, checked: ['1'], legend: t('uppers.grantPermissions') });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upper-grant-save', text: t('uppers.grant') });
  const form = h('form', { id: 'upper-grant-form', class: 'form', novalidate: true },
    h('div', { class: 'form-grid' }, cameras.el, purpose.el, days.el),
    permissions.el,
    h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const codes = cameras.input.value.split(/[\s,，、;]+/).map((c) => c.trim()).filter(Boolean);
    const chosen = permissions.values();
    cameras.setMessage(codes.length ? '' : t('uppers.needCameras'));
    purpose.setMessage(purpose.input.value.trim() ? '' : t('uppers.needPurpose'));
    permissions.setMessage(chosen.length ? '' : t('uppers.needPermission'));
    if (!codes.length || !purpose.input.value.trim() || !chosen.length) return;
    try {
      await busy(submit, () => api(`/upper-platforms/${encodeURIComponent(upper.platformID)}/grants`, {
        method: 'POST', json: { cameras: codes, permissions: chosen.join(','), purpose: purpose.input.value.trim(), days: Number(days.input.value) || 30 },
      }));
      messages.success(t('uppers.granted', { count: number(codes.length) }));
      reload();
    } catch (error) {
      messages.error(error);
    }
  });
  return h('section', { class: 'card', id: 'upper-grants' }, h('h2', { text: t('uppers.grantsTitle') }),
    h('p', { class: 'muted', text: t('uppers.grantsIntro') }), table, form);
}

function addForm(messages, refresh) {
  const inputs = {
    platformID: field({ label: t('uppers.platformID'), name: 'platformID', required: true, hint: t('uppers.idHint'), attrs: { maxlength: '20' } }),
    name: field({ label: t('uppers.name'), name: 'name' }),
    host: field({ label: t('uppers.host'), name: 'host', required: true }),
    port: field({ label: t('uppers.port'), name: 'port', type: 'number', value: '5060', required: true }),
    transport: field({ label: t('uppers.transport'), name: 'transport', options: [{ code: 'udp' }, { code: 'tcp' }], value: 'udp' }),
    password: field({ label: t('uppers.password'), name: 'password', type: 'password', required: true, hint: t('uppers.passwordHint'), attrs: { autocomplete: 'new-password' } }),
    keepaliveSeconds: field({ label: t('uppers.keepalive'), name: 'keepaliveSeconds', type: 'number', value: '60' }),
  };
  const submit = h('button', { type: 'submit', class: 'primary', id: 'upper-save', text: t('uppers.add') });
  const form = h('form', { id: 'upper-form', class: 'form', novalidate: true },
    h('div', { class: 'form-grid' }, Object.values(inputs).map((f) => f.el)), h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      platformID: inputs.platformID.input.value.trim(), name: inputs.name.input.value.trim(), host: inputs.host.input.value.trim(),
      port: Number(inputs.port.input.value), transport: inputs.transport.input.value, password: inputs.password.input.value,
      keepaliveSeconds: Number(inputs.keepaliveSeconds.input.value) || 60,
    };
    inputs.platformID.setMessage(/^\d{20}$/.test(body.platformID) ? '' : t('uppers.idHint'));
    if (!/^\d{20}$/.test(body.platformID)) { inputs.platformID.input.focus(); return; }
    try {
      await busy(submit, () => api('/upper-platforms', { method: 'POST', json: body }));
      inputs.password.input.value = '';
      messages.success(t('uppers.added'));
      refresh();
    } catch (error) {
      messages.error(error);
    }
  });
  return h('section', { class: 'card' }, h('h2', { text: t('uppers.addTitle') }), form);
}
