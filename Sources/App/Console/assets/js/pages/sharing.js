// Share requests: the department's own, the reviewer's queue (deadlines, overdue marks), or all.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number } from '../core/format.js';
import { t } from '../core/i18n.js';
import { dictionaries } from '../core/reference.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { requestTable } from '../components/request-table.js';
import { defaultView, sharingTabs } from '../components/sharing.js';

const filters = { mine: 'mine', review: 'to_review', all: 'all' };

export default {
  title: () => t('nav.sharing'),
  async render(container, { query }) {
    const view = filters[query.view] ? query.view : defaultView();
    const messages = messageSlot();
    container.append(pageHeader(t('nav.sharing')), sharingTabs(view), messages.el);
    const status = h('select', { id: 'request-status', name: 'status', 'aria-label': t('sharing.col.status') },
      h('option', { value: '', text: t('filter.any') }),
      ['pending', 'approved', 'partial', 'rejected', 'withdrawn'].map((s) => h('option', { value: s, text: t(`sharing.status.${s}`) })));
    status.value = query.status || '';
    const summary = h('p', { class: 'result-summary', id: 'request-summary', 'aria-live': 'polite' });
    const box = h('div', { id: 'request-list' });
    if (view !== 'review') {
      container.append(h('div', { class: 'toolbar' }, summary,
        h('label', { class: 'inline-check' }, t('sharing.col.status'), status)));
    } else {
      container.append(h('p', { class: 'muted', text: t('sharing.reviewIntro') }), summary);
    }
    container.append(box);
    let all;
    async function load() {
      try {
        all = all || await dictionaries();
        const views = await api('/share-requests', { query: { filter: filters[view], status: view === 'review' ? '' : status.value } });
        const overdue = views.filter((v) => v.overdue).length;
        summary.textContent = t('sharing.count', { count: number(views.length) }) + (overdue ? ` ${t('sharing.overdueCount', { count: number(overdue) })}` : '');
        summary.dataset.count = String(views.length);
        box.replaceChildren(requestTable(all, views, { empty: t(view === 'review' ? 'sharing.noneToReview' : 'sharing.none') }));
        box.dataset.loaded = 'true';
      } catch (error) {
        messages.error(error);
      }
    }
    status.addEventListener('change', load);
    await load();
  },
};
