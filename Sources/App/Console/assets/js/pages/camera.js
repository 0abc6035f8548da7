// One camera's record: filed values beside what the device reports, findings in place, history,
// and status changes for users who may edit it.
import { api } from '../core/api.js';
import { append, h } from '../core/dom.js';
import { dateTime } from '../core/format.js';
import { language, t } from '../core/i18n.js';
import { canEditCamera } from '../core/permissions.js';
import * as router from '../core/router.js';
import { dictionaries, divisionLabel, label, loadDivisionNames } from '../core/reference.js';
import { user } from '../core/session.js';
import { cameraFields, fieldByKey } from '../fields.js';
import { findingsBadge, statusBadge } from '../components/camera-table.js';
import { dataTable } from '../components/data-table.js';
import { busy } from '../components/form.js';
import { errorNotice, messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';

export function fieldLabel(key) {
  const field = fieldByKey[key];
  if (!field) return key;
  return language() === 'en' ? field.en : field.zh;
}

export function displayValue(all, key, value) {
  if (value === '' || value === undefined || value === null) return '';
  if (key === 'division') return divisionLabel(value);
  const field = fieldByKey[key];
  if (field && field.dict) {
    const text = label(all, field.dict, value);
    return text && text !== value ? `${value} ${text}` : value;
  }
  return value;
}

const actionKeys = { created: 'history.created', updated: 'history.updated', status_changed: 'history.statusChanged' };

export default {
  title: (ctx) => t('camera.title', { key: ctx.params.key }),
  async render(container, { params }) {
    const messages = messageSlot();
    container.append(directoryTabs(''), messages.el);
    let camera;
    let history;
    let all;
    try {
      [camera, history, all] = await Promise.all([
        api(`/cameras/${encodeURIComponent(params.key)}`),
        api(`/cameras/${encodeURIComponent(params.key)}/history`),
        dictionaries(),
      ]);
      await loadDivisionNames([camera.record.division]).catch(() => {});
    } catch (error) {
      container.prepend(pageHeader(t('camera.title', { key: params.key })));
      messages.error(error);
      container.append(h('p', {}, h('a', { href: '#/directory', text: t('camera.backToSearch') })));
      return;
    }
    const editable = canEditCamera(user(), camera);
    const actions = [];
    if (editable) actions.push(h('a', { class: 'button primary', id: 'edit-camera', href: `#/directory/camera/id-${camera.id}/edit`, text: t('camera.edit') }));
    container.prepend(pageHeader(camera.record.name || camera.code, ...actions));

    const byField = new Map();
    const general = [];
    for (const finding of camera.findings) {
      if (finding.field) {
        if (!byField.has(finding.field)) byField.set(finding.field, []);
        byField.get(finding.field).push(finding);
      } else {
        general.push(finding);
      }
    }
    container.append(h('div', { class: 'record-summary' },
      h('span', { class: 'mono', text: camera.code }), statusBadge(all, camera.record.networkStatus), findingsBadge(camera),
      h('span', { class: camera.shareable ? 'badge badge-ok' : 'badge badge-unknown', text: camera.shareable ? t('camera.shareable') : t('camera.notShareable') }),
      h('span', { class: 'muted', text: t('camera.updatedAt', { time: dateTime(camera.updatedAt) }) })));
    if (general.length) {
      container.append(h('ul', { class: 'findings-list' }, general.map((f) => h('li', { class: `msg msg-${f.severity === 'error' ? 'error' : 'warning'}`, text: f.message }))));
    }

    const rows = cameraFields.filter((field) => !field.extra || camera.record[field.key]);
    container.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data-table record-table', id: 'record-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('camera.field') }),
        h('th', { scope: 'col', text: t('camera.filedValue') }),
        h('th', { scope: 'col', text: t('camera.reportedValue') }))),
      h('tbody', {}, rows.map((field, index) => {
        const findings = byField.get(field.key) || [];
        return h('tr', { dataset: { field: field.key }, class: findings.some((f) => f.severity === 'error') ? 'row-error' : findings.length ? 'row-warning' : null },
          h('th', { scope: 'row', text: fieldLabel(field.key) }),
          h('td', {}, h('div', { class: 'value' }, displayValue(all, field.key, camera.record[field.key])),
            findings.map((f) => h('div', { class: `msg msg-${f.severity === 'error' ? 'error' : 'warning'}`, dataset: { rule: f.rule }, text: f.message }))),
          h('td', { class: 'reported', dataset: { reported: field.key } }, index === 0 ? h('span', { class: 'muted small', text: t('common.loading') }) : ''));
      })))));

    showReported(container, camera, all);

    if (editable) container.append(statusActions(camera, all, messages));

    container.append(h('h2', { id: 'history-heading', text: t('camera.history') }), dataTable([
      { label: t('history.at'), class: 'nowrap', cell: (e) => dateTime(e.at) },
      { label: t('history.actor'), cell: (e) => e.actor },
      { label: t('history.action'), cell: (e) => t(actionKeys[e.action] || e.action) },
      { label: t('history.source'), cell: (e) => e.source },
      { label: t('history.changes'), cell: (e) => (e.action === 'created' ? t('history.createdAll', { count: e.changes.length })
        : h('ul', { class: 'changes' }, e.changes.map((c) => h('li', {},
          h('span', { class: 'change-field', text: `${fieldLabel(c.field)}：` }),
          h('del', { text: displayValue(all, c.field, c.old) || t('history.empty') }), ' → ',
          h('ins', { text: displayValue(all, c.field, c.new) || t('history.empty') }))))) },
    ], [...history].reverse(), { className: 'history-table', empty: t('history.none') }));
  },
};

/** The device's own values (its catalog) beside the filed ones, from the device that reports this
 * camera: the camera itself when it registers, or its platform. */
const reportedFields = { name: 'name', manufacturer: 'manufacturer', model: 'model', civilCode: 'division', address: 'address',
  longitude: 'longitude', latitude: 'latitude', ipAddress: 'ipv4', status: 'networkStatus' };

async function showReported(container, camera, all) {
  const cells = Object.fromEntries([...container.querySelectorAll('td[data-reported]')].map((td) => [td.dataset.reported, td]));
  const table = container.querySelector('#record-table');
  let channel = null;
  let deviceCode = null;
  try {
    const devices = await api('/devices');
    const known = new Set(devices.map((d) => d.code));
    for (const candidate of [camera.code, camera.record.platformCode].filter((c) => c && known.has(c))) {
      const channels = await api(`/devices/${encodeURIComponent(candidate)}/channels`);
      channel = channels.find((c) => c.code === camera.code) || null;
      if (channel) { deviceCode = candidate; break; }
    }
  } catch (error) {
    Object.values(cells)[0]?.replaceChildren(h('span', { class: 'msg msg-error small', text: error.message }));
    return;
  }
  for (const td of Object.values(cells)) td.replaceChildren();
  if (!channel) {
    table.dataset.reported = 'none';
    Object.values(cells)[0]?.append(h('span', { class: 'muted small', text: t('camera.notReported') }));
    return;
  }
  table.dataset.reported = deviceCode;
  const reported = channel.reported || {};
  const extra = [];
  for (const [key, value] of Object.entries(reported)) {
    const fieldKey = reportedFields[key];
    if (!fieldKey || !cells[fieldKey]) { extra.push(`${key}=${value}`); continue; }
    const shown = key === 'status' ? (/^on/i.test(value) ? displayValue(all, 'networkStatus', '1') : /^off/i.test(value) ? displayValue(all, 'networkStatus', '2') : value)
      : key === 'civilCode' ? displayValue(all, 'division', value) : value;
    const filed = String(camera.record[fieldKey] ?? '');
    const differs = key === 'status' ? false : key === 'longitude' || key === 'latitude' ? Math.abs(Number(value) - Number(filed)) > 1e-5 : filed !== '' && !filed.startsWith(value) && filed !== value;
    cells[fieldKey].append(h('span', { class: differs ? 'value reported-differs' : 'value', title: differs ? t('camera.reportedDiffers') : null, text: shown }));
    if (differs) cells[fieldKey].dataset.differs = 'true';
  }
  const first = cells.code || Object.values(cells)[0];
  if (first) append(first, [h('div', { class: 'muted small', text: t('camera.reportedBy', { device: deviceCode }) }),
    extra.length ? h('div', { class: 'muted small mono', text: extra.join(' ') }) : null]);
}

/** In use ⇄ under repair → removed (never a deletion); the server refuses other steps. */
function statusActions(camera, all, messages) {
  const current = camera.record.deviceStatus;
  const box = h('div', { class: 'status-actions' }, h('span', { text: t('camera.changeStatus') }));
  for (const code of ['1', '2', '3']) {
    if (code === current || current === '3') continue;
    const button = h('button', { type: 'button', class: code === '3' ? 'danger' : 'secondary', dataset: { status: code }, text: label(all, 'deviceStatus', code) });
    button.addEventListener('click', () => busy(button, async () => {
      if (code === '3' && !window.confirm(t('camera.confirmRemove'))) return;
      try {
        await api(`/cameras/id-${camera.id}/status`, { method: 'POST', json: { status: code } });
        router.render();
      } catch (error) {
        messages.error(error);
      }
    }));
    box.append(button);
  }
  if (current === '3') box.append(h('span', { class: 'muted', text: t('camera.removedFinal') }));
  return box;
}

export { errorNotice };
