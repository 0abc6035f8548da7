// The rectification list (整改清单, the plan's Appendix 4): per department and per platform.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { number, percent } from '../core/format.js';
import { pick, t } from '../core/i18n.js';
import { dictionaries, label } from '../core/reference.js';
import { dataTable } from '../components/data-table.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';

function columns(firstLabel, labelOf) {
  return [
    { label: firstLabel, cell: (e) => labelOf(e) },
    { label: t('report.records'), class: 'num', cell: (e) => number(e.records) },
    { label: t('report.withErrors'), class: 'num', cell: (e) => number(e.recordsWithErrors) },
    { label: t('report.compliance'), class: 'num', cell: (e) => percent(e.complianceRate) },
    { label: t('report.rules'), cell: (e) => h('ul', { class: 'plain-list small' }, e.rules.map((r) => h('li', {}, h('span', { class: 'mono', text: r.rule }), ` ${number(r.records)}`))) },
    { label: t('report.direction'), class: 'wide', cell: (e) => pick(e.direction) },
  ];
}

export default {
  title: () => t('report.title'),
  async render(container) {
    const messages = messageSlot();
    container.append(pageHeader(t('report.title'), h('button', { type: 'button', class: 'secondary', id: 'print-report', text: t('report.print'), on: { click: () => window.print() } })),
      directoryTabs('/directory/report'), messages.el);
    let report;
    let all;
    try {
      [report, all] = await Promise.all([api('/directory/report'), dictionaries()]);
    } catch (error) {
      messages.error(error);
      return;
    }
    container.append(
      h('p', { class: 'muted', text: t('report.intro') }),
      h('h2', { text: t('report.byDepartment') }),
      dataTable(columns(t('field.department'), (e) => label(all, 'department', e.key) || e.label), report.byDepartment,
        { className: 'report-table', rowAttrs: (e) => ({ dataset: { key: e.key } }) }),
      h('h2', { text: t('report.byPlatform') }),
      dataTable(columns(t('field.platformCode'), (e) => (e.key ? e.label : t('report.noPlatform'))), report.byPlatform,
        { className: 'report-table', rowAttrs: (e) => ({ dataset: { key: e.key } }) }));
  },
};
