// A feature whose API is still being built: the page says so plainly and shows no data.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { pageHeader } from '../components/page-header.js';

export default {
  title: (ctx) => t(ctx.route.nav),
  render(container, { route }) {
    container.append(
      pageHeader(t(route.nav)),
      h('div', { class: 'coming-soon', dataset: { feature: route.coming } },
        h('p', { class: 'coming-title', text: t('coming.title') }),
        h('p', { text: t(`coming.${route.coming}`) }),
        h('p', { class: 'muted', text: t('coming.noData') })));
  },
};
