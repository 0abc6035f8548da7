// The directory's sub-pages, as a row of links.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { user } from '../core/session.js';
import { canEditCamera, canImportDirectory } from '../core/permissions.js';

export function directoryTabs(active) {
  const me = user();
  const items = [
    { path: '/directory', key: 'directory.tab.search' },
    canImportDirectory(me) ? { path: '/directory/import', key: 'directory.tab.import' } : null,
    { path: '/directory/report', key: 'directory.tab.report' },
    { path: '/directory/duplicates', key: 'directory.tab.duplicates' },
    canEditCamera(me, null) ? { path: '/directory/new', key: 'directory.tab.new' } : null,
  ].filter(Boolean);
  return h('nav', { class: 'tabs', 'aria-label': t('directory.tabs') },
    items.map((item) => h('a', {
      href: `#${item.path}`, class: item.path === active ? 'tab active' : 'tab', 'aria-current': item.path === active ? 'page' : null,
      text: t(item.key),
    })));
}
