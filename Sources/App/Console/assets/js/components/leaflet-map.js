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

/** Removes a map once; safe to call when a page is left while its data is still arriving. */
export function removeMap(map) {
  if (!map || map.gbshareRemoved) return;
  map.gbshareRemoved = true;
  map.stop();
  map.remove();
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
