// Leaflet maps for the console: the configured tile server, or a plain background with the
// divisions' centres labelled when the city has none (GBSHARE_MAP_TILE_URL).
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';

let configPromise = null;

export function consoleConfig() {
  if (!configPromise) configPromise = fetch('/console-config.json').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  return configPromise;
}

export const statusColours = { 1: '#2e9d5b', 2: '#c23b3b', other: '#8c8c8c' };

/** A map in `el`; returns {map, hasTiles}. */
export async function createMap(L, el, { center = [22.8, 115.4], zoom = 9 } = {}) {
  const config = await consoleConfig();
  // No animations: a page can be left mid-zoom, and Leaflet's pending animation frames would then
  // touch a removed map; a console gains nothing from the glide.
  const map = L.map(el, {
    preferCanvas: true, zoomControl: true, minZoom: 3, maxZoom: 19, attributionControl: Boolean(config.mapTileURL),
    zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false,
  });
  map.setView(center, zoom);
  if (config.mapTileURL) {
    L.tileLayer(config.mapTileURL, { attribution: config.mapAttribution || '', maxZoom: 19 }).addTo(map);
    el.classList.add('has-tiles');
  } else {
    el.classList.add('plain-map');
  }
  return { map, hasTiles: Boolean(config.mapTileURL) };
}

/** Many points on a map: clustered when the plugin is there, in chunks so that 100,000 markers do not
 * freeze the page. markercluster keeps adding a chunk on a timer after its layer or map is gone and
 * then throws ("Cannot read properties of null (reading 'getMinZoom')"): the layer records when its
 * chunks are done, and `removeMap` / `retireLayer` wait for that. */
export function clusterLayer(L, map, options) {
  let settle;
  const settled = new Promise((resolve) => { settle = resolve; });
  const layer = L.markerClusterGroup({
    ...options, chunkedLoading: true, chunkProgress: (done, total) => { if (done >= total) settle(); },
  });
  layer.gbshareSettled = settled;
  pending(map).add(settled);
  settled.then(() => pending(map).delete(settled));
  return layer;
}

/** Takes a layer off a live map once its chunked loading (if any) has finished. */
export function retireLayer(map, layer) {
  if (!map || !layer) return;
  Promise.resolve(layer.gbshareSettled).then(() => { if (!map.gbshareRemoved) map.removeLayer(layer); });
}

function pending(map) {
  if (!map.gbsharePending) map.gbsharePending = new Set();
  return map.gbsharePending;
}

/** The longest a page's map waits for its layers to settle before it is removed regardless. */
const settleLimitMs = 15000;

/** Removes a map once; safe to call when a page is left while its data is still arriving or drawing.
 * Leaflet's canvas renderer draws in an animation frame; a map removed in between leaves that frame
 * with no drawing context ("Cannot read properties of undefined (reading 'clearRect')", Leaflet #6030
 * in 1.7.1 as Debian ships it). So: stop, let clustering finish, then remove in the next frame, after
 * any redraw already queued has run. */
export function removeMap(map) {
  if (!map || map.gbshareRemoved) return;
  map.gbshareRemoved = true;
  map.stop();
  const layersSettled = Promise.all([...(map.gbsharePending || [])]);
  const limit = new Promise((resolve) => setTimeout(resolve, settleLimitMs));
  Promise.race([layersSettled, limit]).then(() => requestAnimationFrame(() => map.remove()));
}

/** Division centres as labelled points (the fallback background's landmarks). */
export function divisionLabels(L, map, divisions) {
  const layer = L.layerGroup();
  // Below the cameras (overlay 400, markers 600): the names are background, not content.
  if (!map.getPane('divisionLabels')) map.createPane('divisionLabels').style.zIndex = '350';
  for (const division of divisions) {
    if (!Number.isFinite(division.latitude) || !Number.isFinite(division.longitude)) continue;
    L.circleMarker([division.latitude, division.longitude], { radius: 3, color: '#555', weight: 1, fillOpacity: 0.6, interactive: false, pane: 'divisionLabels' })
      .bindTooltip(h('span', { text: division.name }), { permanent: true, direction: 'right', className: 'division-label', pane: 'divisionLabels' })
      .addTo(layer);
  }
  layer.addTo(map);
  return layer;
}

export function legend(L, entries) {
  const control = L.control({ position: 'bottomright' });
  control.onAdd = () => h('div', { class: 'map-legend' }, entries.map((entry) =>
    h('div', {}, h('span', { class: `legend-swatch swatch-${entry.kind}` }), entry.label)));
  return control;
}

export function noTilesNote() {
  return h('p', { class: 'muted small', text: t('map.noTiles') });
}
