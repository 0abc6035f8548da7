// Cameras on a map: clustered when many, coloured by network status, filterable. The tiles come from
// the city's GIS server when configured; otherwise a plain background with division centres.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dictionaries, divisionChildren, label, options } from '../core/reference.js';
import { leaflet, missingNotice } from '../core/vendor.js';
import { field } from '../components/form.js';
import { clusterLayer, createMap, divisionLabels, legend, noTilesNote, removeMap, retireLayer, statusColours } from '../components/leaflet-map.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

/** Enough for a city (Shanwei files ~80,000); a larger query asks the user to narrow it. */
const markerCap = 100000;
const clusterAbove = 200;

export function coordinates(record) {
  const lat = Number(record.latitude);
  const lon = Number(record.longitude);
  if (!record.latitude || !record.longitude || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return null;
  return [lat, lon];
}

export default {
  title: () => t('nav.map'),
  async render(container, { query }) {
    const messages = messageSlot();
    container.append(pageHeader(t('nav.map')), messages.el);
    let all;
    const lists = {};
    try {
      all = await dictionaries();
      for (const name of ['department', 'networkStatus', 'pointClass']) lists[name] = await options(name);
    } catch (error) {
      messages.error(error);
      return;
    }
    const filterFields = {
      q: field({ label: t('filter.q'), name: 'q', type: 'search', value: query.q || '' }),
      department: field({ label: t('field.department'), name: 'department', value: query.department || '', options: lists.department, emptyOption: t('filter.any') }),
      networkStatus: field({ label: t('field.networkStatus'), name: 'networkStatus', value: query.networkStatus || '', options: lists.networkStatus, emptyOption: t('filter.any') }),
      pointClass: field({ label: t('field.pointClass'), name: 'pointClass', value: query.pointClass || '', options: lists.pointClass, emptyOption: t('filter.any') }),
      division: field({ label: t('field.division'), name: 'division', value: query.division || '', attrs: { placeholder: '441502', inputmode: 'numeric' } }),
    };
    const apply = h('button', { type: 'submit', class: 'primary', id: 'map-apply', text: t('map.apply') });
    const form = h('form', { id: 'map-form', class: 'filters compact', role: 'search', novalidate: true },
      h('div', { class: 'filter-grid' }, Object.values(filterFields).map((f) => f.el)), h('div', { class: 'form-actions' }, apply));
    const status = h('p', { class: 'result-summary', id: 'map-status', 'aria-live': 'polite' });
    const mapEl = h('div', { class: 'map-canvas', id: 'camera-map', role: 'region', 'aria-label': t('nav.map') });
    container.append(form, status);

    const { L, cluster, missing } = await leaflet({ cluster: true });
    if (!L) {
      container.append(missingNotice('vendor.map', 'libjs-leaflet'));
    } else if (missing.length) {
      container.append(missingNotice('vendor.cluster', missing[0]));
    }
    container.append(mapEl);
    let map = null;
    let markers = null;
    if (L) {
      ({ map } = await createMap(L, mapEl));
      map.addControl(legend(L, [
        { kind: 'online', label: label(all, 'networkStatus', '1') },
        { kind: 'offline', label: label(all, 'networkStatus', '2') },
        { kind: 'unknown', label: t('status.unknown') },
      ]));
      if (!mapEl.classList.contains('has-tiles')) {
        container.append(noTilesNote());
        api('/directory/statistics').then(async (stats) => {
          const lists2 = await Promise.all(stats.byCity.map((b) => divisionChildren(b.key).catch(() => [])));
          if (map && !map.gbshareRemoved) divisionLabels(L, map, lists2.flat());
        }).catch(() => {});
      }
    }

    let loading = 0;
    async function load() {
      const mine = ++loading;
      const filters = {};
      for (const [name, f] of Object.entries(filterFields)) if (f.value().trim()) filters[name] = f.value().trim();
      const cameras = [];
      let cursor = '';
      status.textContent = t('map.loading');
      mapEl.dataset.state = 'loading';
      try {
        do {
          const page = await api('/cameras', { query: { ...filters, limit: 1000, cursor } });
          if (mine !== loading) return;
          cameras.push(...page.items);
          cursor = page.nextCursor || '';
          status.textContent = t('map.loadingCount', { count: number(cameras.length) });
        } while (cursor && cameras.length < markerCap);
      } catch (error) {
        messages.error(error);
        status.textContent = '';
        return;
      }
      messages.clear();
      let placed = 0;
      let skipped = 0;
      if (markers) retireLayer(map, markers);
      if (L) {
        markers = cluster && cameras.length > clusterAbove
          ? clusterLayer(L, map, { animate: false, maxClusterRadius: 50, iconCreateFunction: (group) => clusterIcon(L, group) })
          : L.featureGroup();
        const layers = [];
        for (const camera of cameras) {
          const point = coordinates(camera.record);
          if (!point) { skipped += 1; continue; }
          const colour = statusColours[camera.record.networkStatus] || statusColours.other;
          const marker = L.circleMarker(point, { radius: 6, color: '#fff', weight: 1, fillColor: colour, fillOpacity: 0.9, networkStatus: camera.record.networkStatus });
          marker.bindPopup(() => popup(all, camera));
          layers.push(marker);
          placed += 1;
        }
        if (typeof markers.addLayers === 'function') markers.addLayers(layers);
        else layers.forEach((layer) => markers.addLayer(layer));
        markers.addTo(map);
        if (layers.length) map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [20, 20], maxZoom: 16, animate: false });
      } else {
        placed = cameras.filter((c) => coordinates(c.record)).length;
        skipped = cameras.length - placed;
      }
      mapEl.dataset.markers = String(placed);
      mapEl.dataset.skipped = String(skipped);
      mapEl.dataset.state = 'ready';
      status.textContent = t('map.shown', { placed: number(placed), skipped: number(skipped) })
        + (cursor ? ` ${t('map.capped', { cap: number(markerCap) })}` : '');
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    load();
    return () => {
      loading += 1;
      removeMap(map);
    };
  },
};

/** A cluster says how many cameras it holds and, by its colour, whether they are online:
 * green all online, amber some offline, red mostly offline, grey none known. */
function clusterIcon(L, group) {
  const children = group.getAllChildMarkers();
  let online = 0;
  let offline = 0;
  for (const marker of children) {
    if (marker.options.networkStatus === '1') online += 1;
    else if (marker.options.networkStatus === '2') offline += 1;
  }
  const kind = online + offline === 0 ? 'unknown' : offline === 0 ? 'online' : offline * 2 > online + offline ? 'offline' : 'mixed';
  const size = children.length < 100 ? 'small' : children.length < 1000 ? 'medium' : 'large';
  return L.divIcon({
    html: `<div><span>${children.length}</span></div>`,
    className: `marker-cluster marker-cluster-${size} cluster-${kind}`,
    iconSize: L.point(40, 40),
  });
}

export function popup(all, camera) {
  return h('div', { class: 'map-popup' },
    h('strong', { text: camera.record.name || camera.code }),
    h('div', { class: 'mono', text: camera.code }),
    h('div', { text: `${t('field.networkStatus')}：${label(all, 'networkStatus', camera.record.networkStatus) || t('status.unknown')}` }),
    h('div', { text: camera.record.address || '' }),
    h('a', { href: `#/directory/camera/id-${camera.id}`, text: t('map.openRecord') }),
    camera.code ? h('a', { href: `#/live?layout=1&cameras=${encodeURIComponent(camera.code)}`, class: 'open-live', text: t('map.openLive') }) : null);
}
