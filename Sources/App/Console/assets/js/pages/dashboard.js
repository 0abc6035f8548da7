// The plan's KPIs: filed, connected, online rate, share rate and findings, for the whole directory
// and by department, county and point class, from /directory/statistics and /directory/report.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number, percent, ratio } from '../core/format.js';
import { t, pick } from '../core/i18n.js';
import { can, canReviewShare, canSeeAllRequests } from '../core/permissions.js';
import * as router from '../core/router.js';
import { user } from '../core/session.js';
import { dictionaries, label } from '../core/reference.js';
import { chartJS, missingNotice } from '../core/vendor.js';
import { barConfig, chartBox, doughnutConfig } from '../components/charts.js';
import { dataTable } from '../components/data-table.js';
import { errorNotice } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';

/** The KPIs of one statistics bucket, computed as Directory's StatisticsBucket does. */
export function kpis(bucket) {
  const shared = ((bucket.shareAttributes || {})['0'] || 0) + ((bucket.shareAttributes || {})['1'] || 0);
  return {
    filed: bucket.filed,
    connected: bucket.connected,
    connectedRate: ratio(bucket.connected, bucket.filed),
    online: bucket.online,
    offline: bucket.offline,
    onlineRate: ratio(bucket.online, bucket.connected),
    shareRate: ratio(shared, bucket.connected),
    withErrors: bucket.withErrors,
  };
}

function kpiCard(key, value, text, sub = '') {
  return h('div', { class: 'kpi', dataset: { kpi: key } },
    h('div', { class: 'kpi-label', text }),
    h('div', { class: 'kpi-value', text: value }),
    sub ? h('div', { class: 'kpi-sub', text: sub }) : null);
}

function bucketColumns(firstLabel) {
  return [
    { label: firstLabel, cell: (b) => b.label },
    { label: t('kpi.filed'), class: 'num', cell: (b) => number(b.filed) },
    { label: t('kpi.connected'), class: 'num', cell: (b) => number(b.connected) },
    { label: t('kpi.online'), class: 'num', cell: (b) => number(b.online) },
    { label: t('kpi.onlineRate'), class: 'num', cell: (b) => percent(kpis(b).onlineRate) },
    { label: t('kpi.shareRate'), class: 'num', cell: (b) => percent(kpis(b).shareRate) },
    { label: t('kpi.withErrors'), class: 'num', cell: (b) => number(b.withErrors) },
  ];
}

export default {
  title: () => t('nav.dashboard'),
  async render(container) {
    container.append(pageHeader(t('nav.dashboard')));
    let stats;
    let all;
    try {
      [stats, all] = await Promise.all([api('/directory/statistics'), dictionaries()]);
    } catch (error) {
      container.append(errorNotice(error));
      return;
    }
    const total = kpis(stats.total);
    container.append(h('div', { class: 'kpis', id: 'kpis' },
      kpiCard('filed', number(total.filed), t('kpi.filed'), t('kpi.removed', { count: number(stats.total.removed) })),
      kpiCard('connected', number(total.connected), t('kpi.connected'), t('kpi.connectedRateOf', { rate: percent(total.connectedRate) })),
      kpiCard('onlineRate', percent(total.onlineRate), t('kpi.onlineRate'), t('kpi.onlineOf', { online: number(total.online), connected: number(total.connected) })),
      kpiCard('shareRate', percent(total.shareRate), t('kpi.shareRate'), t('kpi.shareRateRule')),
      kpiCard('withErrors', number(total.withErrors), t('kpi.withErrors'), t('kpi.withErrorsRule'))));

    const charts = [];
    const Chart = await chartJS();
    const chartsRow = h('div', { class: 'grid-2' });
    if (!Chart) container.append(missingNotice('vendor.charts', 'libjs-chart.js'));
    // Department labels follow the console's language; the API's are Chinese.
    const departments = stats.byDepartment.map((b) => ({ ...b, label: label(all, 'department', b.key) || b.label }));
    const classes = stats.byPointClass.map((b) => ({ ...b, label: label(all, 'pointClass', b.key) || b.label }));
    const counties = stats.byCounty;
    if (Chart) {
      const byDepartment = chartBox(Chart, barConfig(departments.map((b) => b.label), [
        { label: t('kpi.filed'), data: departments.map((b) => b.filed) },
        { label: t('kpi.online'), data: departments.map((b) => b.online) },
      ]), { label: t('dashboard.byDepartment') });
      const byCounty = chartBox(Chart, barConfig(counties.map((b) => b.label), [
        { label: t('kpi.online'), data: counties.map((b) => b.online) },
        { label: t('kpi.offline'), data: counties.map((b) => b.offline) },
        { label: t('dashboard.notConnected'), data: counties.map((b) => b.filed - b.connected) },
      ], { stacked: true }), { label: t('dashboard.byCounty') });
      const byClass = chartBox(Chart, doughnutConfig(classes.map((b) => b.label), classes.map((b) => b.filed)), { label: t('dashboard.byClass') });
      charts.push(byDepartment, byCounty, byClass);
      chartsRow.append(
        h('figure', { class: 'card chart-card' }, h('figcaption', { text: t('dashboard.byDepartment') }), byDepartment.el),
        h('figure', { class: 'card chart-card' }, h('figcaption', { text: t('dashboard.byCounty') }), byCounty.el),
        h('figure', { class: 'card chart-card' }, h('figcaption', { text: t('dashboard.byClass') }), byClass.el));
    }
    const offline = h('div', { class: 'card', id: 'offline-cameras' }, h('h2', { text: t('dashboard.offline') }), h('p', { class: 'loading', text: t('common.loading') }));
    const overdue = h('div', { class: 'card', id: 'overdue-requests' }, h('h2', { text: t('dashboard.overdue') }), h('p', { class: 'loading', text: t('common.loading') }));
    chartsRow.append(offline, overdue);
    overdueRequests(overdue);
    container.append(chartsRow);

    container.append(
      h('h2', { text: t('dashboard.byDepartment') }),
      dataTable(bucketColumns(t('field.department')), departments, { className: 'stats-table', rowAttrs: (b) => ({ dataset: { key: b.key } }) }),
      h('h2', { text: t('dashboard.byCounty') }),
      dataTable(bucketColumns(t('field.division')), counties, { className: 'stats-table', rowAttrs: (b) => ({ dataset: { key: b.key } }) }),
      h('h2', { text: t('dashboard.byClass') }),
      dataTable(bucketColumns(t('field.pointClass')), classes, { className: 'stats-table', rowAttrs: (b) => ({ dataset: { key: b.key } }) }));

    if (can(user(), 'readDirectory')) {
      loadOffline(offline);
      loadReport(container);
    } else {
      // Statistics name no camera; the lists below do, and this role does not read the directory.
      offline.remove();
    }
    return () => charts.forEach((chart) => chart.destroy());
  },
};

/** Cameras the directory lists as offline (联网状态 2); live keepalive state comes with the devices feature. */
async function loadOffline(box) {
  try {
    const page = await api('/cameras', { query: { networkStatus: '2', limit: 8, total: 'true', sort: '-updated' } });
    box.replaceChildren(h('h2', { text: t('dashboard.offline') }),
      h('p', { class: 'muted' }, h('a', { href: router.href('/directory', { networkStatus: '2' }), dataset: { count: page.total }, text: t('dashboard.offlineCount', { count: number(page.total) }) })),
      h('ul', { class: 'plain-list' }, page.items.map((camera) => h('li', {},
        h('a', { href: `#/directory/camera/id-${camera.id}`, text: camera.record.name || camera.code }),
        h('span', { class: 'muted', text: ` ${camera.code}` })))),
      h('p', { class: 'muted small', text: t('dashboard.offlineNote') }));
  } catch (error) {
    box.append(errorNotice(error));
  }
}

async function loadReport(container) {
  const section = h('section', { id: 'rectification-summary' }, h('h2', { text: t('dashboard.rectification') }), h('p', { class: 'loading', text: t('common.loading') }));
  container.append(section);
  try {
    const report = await api('/directory/report');
    const worst = report.byDepartment.filter((entry) => entry.recordsWithErrors > 0).slice(0, 5);
    section.replaceChildren(h('h2', { text: t('dashboard.rectification') }), dataTable([
      { label: t('field.department'), cell: (e) => e.label },
      { label: t('report.records'), class: 'num', cell: (e) => number(e.records) },
      { label: t('report.withErrors'), class: 'num', cell: (e) => number(e.recordsWithErrors) },
      { label: t('report.compliance'), class: 'num', cell: (e) => percent(e.complianceRate) },
      { label: t('report.direction'), cell: (e) => pick(e.direction) },
    ], worst, { empty: t('report.allCompliant') }), h('p', {}, h('a', { href: '#/directory/report', text: t('dashboard.fullReport') })));
  } catch (error) {
    section.replaceChildren(h('h2', { text: t('dashboard.rectification') }), errorNotice(error));
  }
}

/** Pending requests past their deadline: the reviewer's queue, or the department's own requests. */
async function overdueRequests(card) {
  const me = user();
  const filter = canReviewShare(me) ? 'to_review' : canSeeAllRequests(me) ? 'all' : me && me.departmentCode ? 'mine' : null;
  const body = card.querySelector('.loading');
  if (!filter) {
    body.className = 'muted';
    body.textContent = t('dashboard.overdueNone');
    return;
  }
  try {
    const views = (await api('/share-requests', { query: { filter, status: filter === 'to_review' ? '' : 'pending' } })).filter((v) => v.overdue);
    card.dataset.count = String(views.length);
    body.replaceWith(views.length
      ? h('ul', { class: 'plain-list' }, views.slice(0, 8).map((v) => h('li', {},
        h('a', { href: `#/sharing/requests/${v.request.id}`, text: `${v.request.requester}：${v.request.purpose}` }),
        ' ', h('span', { class: 'badge badge-error', text: t('sharing.overdue') }))))
      : h('p', { class: 'muted', text: t('dashboard.overdueNone') }));
  } catch (error) {
    body.replaceWith(errorNotice(error));
  }
}
