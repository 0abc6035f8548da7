// Debian's JavaScript libraries (libjs-leaflet, libjs-leaflet.markercluster, libjs-chart.js), served
// by gbshare at /vendor/. Loaded only when the server says the package is installed, so a missing
// one gives a notice on the page instead of a broken one (or a 404 in the browser's log).
import { h } from './dom.js';
import { t } from './i18n.js';

let statusPromise = null;
const loaded = new Map();

export function vendorStatus() {
  if (!statusPromise) {
    statusPromise = fetch('/vendor/status.json').then((response) => (response.ok ? response.json() : {})).catch(() => ({}));
  }
  return statusPromise;
}

function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const script = h('script', { src });
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => reject(new Error(src)));
      document.head.append(script);
    }));
  }
  return loaded.get(src);
}

function loadStyle(href) {
  if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** window.L with markercluster when installed; {L: null, missing: [...]} tells what is absent. */
export async function leaflet({ cluster = false } = {}) {
  const status = await vendorStatus();
  const missing = [];
  if (!status.leaflet || !status.leaflet.installed) return { L: null, cluster: false, missing: ['libjs-leaflet'] };
  loadStyle('/vendor/leaflet/leaflet.css');
  await loadScript('/vendor/leaflet/leaflet.min.js');
  let hasCluster = false;
  if (cluster) {
    if (status.markercluster && status.markercluster.installed) {
      loadStyle('/vendor/markercluster/MarkerCluster.css');
      loadStyle('/vendor/markercluster/MarkerCluster.Default.css');
      await loadScript('/vendor/markercluster/leaflet.markercluster.min.js');
      hasCluster = typeof window.L.markerClusterGroup === 'function';
    } else {
      missing.push('libjs-leaflet.markercluster');
    }
  }
  return { L: window.L, cluster: hasCluster, missing };
}

/** window.Chart, or null when libjs-chart.js is not installed. */
export async function chartJS() {
  const status = await vendorStatus();
  if (!status['chart.js'] || !status['chart.js'].installed) return null;
  await loadScript('/vendor/chart.js/chart.min.js');
  return window.Chart || null;
}

/** The notice a page shows where a library is missing, naming the Debian package. */
export function missingNotice(whatKey, packageName) {
  return h('p', { class: 'notice notice-warning vendor-missing', role: 'note', dataset: { package: packageName } },
    t('vendor.missing', { what: t(whatKey), package: packageName }));
}
