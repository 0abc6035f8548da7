// Hash routes (#/directory/camera/id-12?tab=history): the server serves one page, nothing to rewrite.
// A route's page module exports default {title(ctx), render(container, ctx)}; render may return a
// cleanup function, run when the user leaves the page.
import { h } from './dom.js';
import { t } from './i18n.js';

let routes = [];
let view = null;
let hooks = {};
let cleanup = null;
let renderCount = 0;
let currentRoute = null;

export function define(list) {
  routes = list.map((route) => {
    const keys = [];
    const pattern = route.path.replace(/:(\w+)/g, (_, key) => {
      keys.push(key);
      return '([^/]+)';
    });
    return { ...route, keys, regex: new RegExp(`^${pattern}$`) };
  });
}

export function parse(hash = location.hash) {
  const text = hash.replace(/^#/, '') || '/dashboard';
  const [path, queryText = ''] = text.split('?');
  return { path: path || '/dashboard', query: Object.fromEntries(new URLSearchParams(queryText)) };
}

/** '#/path?a=1' with empty values left out. */
export function href(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, value);
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

export function go(path, query = {}, { replace = false } = {}) {
  const target = href(path, query);
  if (target === location.hash) {
    render();
  } else if (replace) {
    history.replaceState(null, '', target);
    render();
  } else {
    location.hash = target;
  }
}

/** Records a page's state (its filters) in the address without rendering the page again. */
export function replaceQuery(query) {
  const { path } = parse();
  history.replaceState(null, '', href(path, query));
  if (currentRoute) currentRoute.key = routeKey();
}

/** The route as typed: path and query, used as the key for drafts. */
export function routeKey() {
  const { path, query } = parse();
  return href(path, query).slice(1);
}

export function current() {
  return currentRoute;
}

function match(path) {
  for (const route of routes) {
    const found = route.regex.exec(path);
    if (found) {
      const params = {};
      route.keys.forEach((key, index) => { params[key] = decodeURIComponent(found[index + 1]); });
      return { route, params };
    }
  }
  return null;
}

/** hooks: guard(route) → null or a redirect {path, query}; afterRender(container, routeInfo); frame(routeInfo). */
export function start(viewElement, routerHooks) {
  view = viewElement;
  hooks = routerHooks;
  window.addEventListener('hashchange', render);
  render();
}

export async function render() {
  const { path, query } = parse();
  const found = match(path);
  const count = ++renderCount;
  if (cleanup) {
    try { cleanup(); } catch { /* a page's cleanup must not stop the next page */ }
    cleanup = null;
  }
  if (!found) {
    currentRoute = { path, query, route: null, params: {}, key: routeKey() };
    hooks.frame?.(currentRoute);
    view.replaceChildren(h('section', { class: 'page' }, h('h1', { text: t('error.notFoundTitle') }),
      h('p', { class: 'notice notice-error', role: 'alert', text: t('error.notFoundPage', { path }) })));
    return;
  }
  const redirect = hooks.guard?.(found.route, { path, query });
  if (redirect) {
    go(redirect.path, redirect.query, { replace: true });
    return;
  }
  currentRoute = { path, query, route: found.route, params: found.params, key: routeKey() };
  hooks.frame?.(currentRoute);
  // Each render gets its own container: a slow page that finishes after the user moved on writes
  // into a detached node, never over the next page.
  const container = h('section', { class: 'page', 'aria-busy': 'true' }, h('p', { class: 'loading', text: t('common.loading') }));
  view.replaceChildren(container);
  try {
    const module = await found.route.load();
    if (count !== renderCount) return;
    const page = module.default;
    const ctx = { params: found.params, query, path, route: found.route };
    document.title = `${page.title ? page.title(ctx) : t(found.route.nav || 'app.title')} · GBShare`;
    container.replaceChildren();
    const result = await page.render(container, ctx);
    if (count !== renderCount) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
    container.removeAttribute('aria-busy');
    hooks.afterRender?.(container, currentRoute);
  } catch (error) {
    if (count !== renderCount) return;
    container.removeAttribute('aria-busy');
    container.replaceChildren(h('h1', { text: t('error.pageFailedTitle') }),
      h('p', { class: 'notice notice-error', role: 'alert', text: error && error.message ? error.message : String(error) }));
    hooks.afterRender?.(container, currentRoute);
  }
}
