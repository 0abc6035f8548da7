// Duplicate construction (重复建设): cameras of one or several departments within a few metres of
// each other, with the plan for each; the chosen group on a small map.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number } from '../core/format.js';
import { pick, t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dictionaries, label } from '../core/reference.js';
import { leaflet, missingNotice } from '../core/vendor.js';
import { busy, field } from '../components/form.js';
import { createMap, noTilesNote, removeMap } from '../components/leaflet-map.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';
import { coordinates } from './map.js';

function codesOf(group) {
  const codes = new Set();
  for (const pair of group.pairs) { codes.add(pair.codeA); codes.add(pair.codeB); }
  for (const plan of group.plan) codes.add(plan.code);
  return [...codes];
}

export default {
  title: () => t('duplicates.title'),
  async render(container, { query }) {
    const messages = messageSlot();
    container.append(pageHeader(t('duplicates.title')), directoryTabs('/directory/duplicates'), messages.el);
    const radius = field({ label: t('duplicates.radius'), name: 'radius', type: 'number', value: query.radius || '', hint: t('duplicates.radiusHint'), attrs: { min: '1', max: '1000', step: '1' } });
    const division = field({ label: t('field.division'), name: 'division', value: query.division || '', attrs: { inputmode: 'numeric' } });
    const find = h('button', { type: 'submit', class: 'primary', id: 'duplicates-find', text: t('duplicates.find') });
    const form = h('form', { id: 'duplicates-form', class: 'filters compact', novalidate: true }, h('div', { class: 'filter-grid' }, radius.el, division.el), h('div', { class: 'form-actions' }, find));
    const summary = h('p', { class: 'result-summary', id: 'duplicates-summary', 'aria-live': 'polite' });
    const list = h('div', { class: 'duplicate-list', id: 'duplicate-groups' });
    const mapEl = h('div', { class: 'map-canvas small-map', id: 'duplicates-map', role: 'region', 'aria-label': t('duplicates.mapLabel') });
    const mapTitle = h('h2', { class: 'map-title', text: t('duplicates.mapTitle') });
    const side = h('aside', { class: 'duplicate-map-panel' }, mapTitle, mapEl);
    container.append(form, summary, h('div', { class: 'split' }, list, side));

    const all = await dictionaries().catch(() => null);
    const { L } = await leaflet();
    let map = null;
    let layer = null;
    if (!L) side.append(missingNotice('vendor.map', 'libjs-leaflet'));
    else {
      ({ map } = await createMap(L, mapEl, { zoom: 16 }));
      if (!mapEl.classList.contains('has-tiles')) side.append(noTilesNote());
    }

    async function showGroup(group, button) {
      for (const el of list.querySelectorAll('.duplicate-group')) el.classList.toggle('selected', el.dataset.group === String(group.number));
      mapTitle.textContent = t('duplicates.mapGroup', { number: group.number });
      if (!map) return;
      const cameras = await Promise.all(codesOf(group).map((code) => api(`/cameras/${encodeURIComponent(code)}`).catch(() => null)));
      if (map.gbshareRemoved) return;
      if (layer) map.removeLayer(layer);
      layer = L.featureGroup();
      const points = new Map();
      for (const camera of cameras.filter(Boolean)) {
        const point = coordinates(camera.record);
        if (!point) continue;
        points.set(camera.code, point);
        L.circleMarker(point, { radius: 7, color: '#fff', weight: 1, fillColor: '#d9822b', fillOpacity: 0.9 })
          .bindTooltip(h('span', { text: `${camera.record.name || camera.code} · ${label(all, 'department', camera.record.department)}` }))
          .addTo(layer);
      }
      for (const pair of group.pairs) {
        if (points.has(pair.codeA) && points.has(pair.codeB)) {
          L.polyline([points.get(pair.codeA), points.get(pair.codeB)], { color: '#c23b3b', weight: 2, dashArray: '4 4' })
            .bindTooltip(h('span', { text: `${pair.distanceMetres.toFixed(1)} m` }), { permanent: true, className: 'distance-label' }).addTo(layer);
        }
      }
      layer.addTo(map);
      mapEl.dataset.group = String(group.number);
      mapEl.dataset.points = String(points.size);
      if (points.size) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 18, animate: false });
      if (button) button.focus();
    }

    async function load() {
      const query2 = { radius: radius.value().trim(), division: division.value().trim() };
      router.replaceQuery(query2);
      let groups;
      try {
        groups = await busy(find, () => api('/directory/duplicates', { query: query2 }));
      } catch (error) {
        messages.error(error);
        return;
      }
      messages.clear();
      const cross = groups.filter((g) => g.crossDepartment).length;
      summary.textContent = t('duplicates.summary', { groups: number(groups.length), cross: number(cross) });
      summary.dataset.groups = String(groups.length);
      list.replaceChildren(...groups.map((group) => groupCard(group, all, showGroup)));
      if (!groups.length) list.append(h('p', { class: 'muted', text: t('duplicates.none') }));
      else showGroup(groups[0]);
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    load();
    return () => removeMap(map);
  },
};

function groupCard(group, all, showGroup) {
  const show = h('button', { type: 'button', class: 'secondary small', text: t('duplicates.showOnMap') });
  show.addEventListener('click', () => showGroup(group, show));
  return h('article', { class: 'card duplicate-group', dataset: { group: group.number } },
    h('header', {}, h('h3', { text: t('duplicates.group', { number: group.number }) }),
      group.crossDepartment ? h('span', { class: 'badge badge-warning', text: t('duplicates.crossDepartment') }) : null, show),
    h('ul', { class: 'plain-list small' }, group.pairs.map((pair) => h('li', {},
      h('span', { class: 'mono', text: pair.codeA }), ' ↔ ', h('span', { class: 'mono', text: pair.codeB }), ` ${pair.distanceMetres.toFixed(1)} m`))),
    h('table', { class: 'data-table compact' },
      h('thead', {}, h('tr', {}, [t('field.code'), t('field.department'), t('duplicates.action'), t('duplicates.reason')].map((text) => h('th', { scope: 'col', text })))),
      h('tbody', {}, group.plan.map((plan) => h('tr', {},
        h('td', { class: 'mono' }, h('a', { href: `#/directory/camera/${encodeURIComponent(plan.code)}`, text: plan.code })),
        h('td', { text: label(all, 'department', plan.department) || plan.department }),
        h('td', {}, h('span', { class: `badge badge-plan-${plan.action}`, text: t(`duplicates.plan.${plan.action}`) })),
        h('td', { text: pick(plan.reason) }))))));
}
