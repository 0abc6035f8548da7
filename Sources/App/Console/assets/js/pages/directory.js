// Directory search: every filter of the API, keyset pages (page 2,000 costs what page 1 costs),
// the total, CSV/XLSX export of the same query. The filters live in the address, so a search can
// be bookmarked and survives a forced re-login.
import { api } from '../core/api.js';
import { append, h } from '../core/dom.js';
import { download } from '../core/download.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dictionaries, divisionChildren, divisionLabel, loadDivisionNames, options } from '../core/reference.js';
import { bboxProblem, cameraFilters, filterNames } from '../components/camera-filters.js';
import { cameraTable } from '../components/camera-table.js';
import { busy } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';
import { canRequestShare } from '../core/permissions.js';
import { user } from '../core/session.js';
import { queryFilters } from '../components/sharing.js';

let knownDivisions = null;

/** Divisions that occur in the directory (from the statistics), for the division filter. */
async function divisionOptions() {
  if (!knownDivisions) {
    knownDivisions = api('/directory/statistics').then(async (stats) => {
      const cities = stats.byCity.map((b) => b.key);
      await Promise.all(cities.map((city) => divisionChildren(city).catch(() => [])));
      await loadDivisionNames(stats.byCounty.map((b) => b.key));
      return [
        ...stats.byCity.map((b) => ({ code: b.key, label: b.label })),
        ...stats.byCounty.map((b) => ({ code: b.key, label: divisionLabel(b.key).replace(`${b.key} `, '') || b.label })),
      ].sort((a, b) => a.code.localeCompare(b.code));
    }).catch((error) => {
      knownDivisions = null;
      throw error;
    });
  }
  return knownDivisions;
}

export default {
  title: () => t('nav.directory'),
  async render(container, { query }) {
    const messages = messageSlot();
    container.append(pageHeader(t('nav.directory')), directoryTabs('/directory'), messages.el);
    let all;
    let lists;
    let divisions = [];
    try {
      all = await dictionaries();
      const names = ['department', 'pointClass', 'deviceStatus', 'shareAttribute', 'networkStatus'];
      lists = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await options(name)])));
      divisions = await divisionOptions().catch(() => []);
    } catch (error) {
      messages.error(error);
      return;
    }
    const filters = cameraFilters({ values: query, options: lists, divisions, idPrefix: 'directory' });
    // Departments that may ask for sharing tick cameras here (kept across pages) or ask for the query.
    const sharing = canRequestShare(user());
    const selection = sharing ? new Set() : null;
    const shareSelected = h('button', { type: 'button', class: 'primary', id: 'share-selected', disabled: true, text: t('directory.shareSelected', { count: 0 }) });
    const shareQuery = h('button', { type: 'button', class: 'secondary', id: 'share-query', text: t('directory.shareQuery') });
    const clearSelection = h('button', { type: 'button', class: 'link-button', id: 'clear-selection', hidden: true, text: t('directory.clearSelection') });
    const onSelect = () => {
      shareSelected.textContent = t('directory.shareSelected', { count: number(selection.size) });
      shareSelected.disabled = selection.size === 0;
      clearSelection.hidden = selection.size === 0;
    };
    const table = cameraTable(all, sharing ? { selection, onSelect } : {});
    shareSelected.addEventListener('click', () => router.go('/sharing/new', { cameras: [...selection].join(',') }));
    shareQuery.addEventListener('click', () => {
      const values = filters.values();
      const carried = Object.fromEntries(Object.entries(values).filter(([name]) => queryFilters.includes(name)));
      const dropped = Object.fromEntries(Object.entries(values).filter(([name]) => !queryFilters.includes(name) && !['sort', 'limit'].includes(name)));
      router.go('/sharing/new', { mode: 'query', ...carried, ...dropped });
    });
    clearSelection.addEventListener('click', () => {
      selection.clear();
      table.refreshSelection();
      onSelect();
    });
    const summary = h('p', { class: 'result-summary', id: 'result-summary', 'aria-live': 'polite' });
    const prev = h('button', { type: 'button', class: 'secondary', id: 'page-prev', text: t('pager.prev'), disabled: true });
    const next = h('button', { type: 'button', class: 'secondary', id: 'page-next', text: t('pager.next'), disabled: true });
    const pageLabel = h('span', { class: 'page-number', id: 'page-number' });
    const extras = h('input', { type: 'checkbox', id: 'export-extras', name: 'exportExtras' });
    const exportCSV = h('button', { type: 'button', class: 'secondary', id: 'export-csv', text: t('export.csv') });
    const exportXLSX = h('button', { type: 'button', class: 'secondary', id: 'export-xlsx', text: t('export.xlsx') });
    append(container, [filters.form,
      h('div', { class: 'toolbar' }, summary,
        h('div', { class: 'toolbar-group' }, h('label', { class: 'inline-check' }, extras, t('export.extras')), exportCSV, exportXLSX)),
      sharing ? h('div', { class: 'toolbar share-toolbar' }, h('div', { class: 'toolbar-group' }, shareSelected, clearSelection, shareQuery)) : null,
      table.el,
      h('div', { class: 'pager' }, prev, pageLabel, next)]);

    // cursors[i] opens page i+1; the first page has none.
    let cursors = [null];
    let page = 0;
    let total = null;
    let active = null;
    let request = 0;

    async function load(started) {
      const mine = ++request;
      const values = filters.values();
      const pageQuery = { ...values, limit: values.limit || '100', cursor: cursors[page] || '' };
      if (page === 0) pageQuery.total = 'true';
      if (active) active.abort();
      active = new AbortController();
      table.table.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await api('/cameras', { query: pageQuery, signal: active.signal });
      } catch (error) {
        if (error.name === 'AbortError') return;
        table.table.removeAttribute('aria-busy');
        messages.error(error);
        return;
      }
      if (mine !== request) return;
      messages.clear();
      if (page === 0) total = result.total ?? null;
      if (result.nextCursor) cursors[page + 1] = result.nextCursor;
      else cursors = cursors.slice(0, page + 1);
      table.show(result.items);
      table.table.removeAttribute('aria-busy');
      const size = Number(pageQuery.limit);
      const first = page * size + (result.items.length ? 1 : 0);
      summary.textContent = total === null ? '' : t('directory.total', { total: number(total), from: number(first), to: number(page * size + result.items.length) });
      summary.dataset.total = total ?? '';
      pageLabel.textContent = t('pager.page', { page: page + 1, pages: total === null ? '?' : Math.max(1, Math.ceil(total / size)) });
      prev.disabled = page === 0;
      next.disabled = !result.nextCursor;
      // Time from the click to the rows on screen (the next frame), for people and for the browser test.
      requestAnimationFrame(() => {
        const elapsed = performance.now() - started;
        table.table.dataset.renderMs = elapsed.toFixed(1);
        table.table.dataset.page = String(page + 1);
        (window.gbshareTimings ||= []).push({ what: 'directory-page', page: page + 1, ms: elapsed });
      });
      const missing = result.items.map((c) => c.record.division).filter((code) => code && !divisionLabel(code).includes(' '));
      if (missing.length) loadDivisionNames(missing).then(() => table.refreshDivisions()).catch(() => {});
    }

    filters.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const problem = bboxProblem(filters.fields.bbox.value().trim());
      filters.fields.bbox.setMessage(problem);
      if (problem) {
        filters.fields.bbox.input.focus();
        return;
      }
      const values = filters.values();
      router.replaceQuery(Object.fromEntries(filterNames.filter((name) => values[name]).map((name) => [name, values[name]])));
      cursors = [null];
      page = 0;
      load(event.timeStamp || performance.now());
    });
    prev.addEventListener('click', (event) => {
      if (page > 0) { page -= 1; load(event.timeStamp); }
    });
    next.addEventListener('click', (event) => {
      if (cursors[page + 1]) { page += 1; load(event.timeStamp); }
    });
    const exportAs = (format, button) => busy(button, async () => {
      const values = filters.values();
      delete values.limit;
      try {
        await download('/directory/export', { ...values, format, extras: extras.checked ? 'true' : '' }, `directory.${format}`);
        messages.success(t('export.done'));
      } catch (error) {
        messages.error(error);
      }
    });
    exportCSV.addEventListener('click', () => exportAs('csv', exportCSV));
    exportXLSX.addEventListener('click', () => exportAs('xlsx', exportXLSX));
    // A restored draft (after a forced re-login) searches with what the user had typed.
    container.addEventListener('draft-restored', () => filters.form.requestSubmit());
    load(performance.now());
    return () => active && active.abort();
  },
};
