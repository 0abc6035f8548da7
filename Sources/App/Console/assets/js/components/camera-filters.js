// The directory's search form: every filter of GET /api/v1/cameras, filled from the dictionaries.
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { field } from './form.js';

export const filterNames = ['q', 'division', 'department', 'pointClass', 'deviceStatus', 'shareAttribute', 'networkStatus', 'platformCode', 'hasErrors', 'bbox', 'sort', 'limit'];

/**
 * cameraFilters({values, options: {department: [{code,label}], ...}, divisions: [{code,label}]})
 * → {form, fields, values()}
 */
export function cameraFilters({ values = {}, options, divisions, idPrefix = 'filter' }) {
  const select = (name, labelKey, list) => field({ label: t(labelKey), name, value: values[name] || '', options: list, emptyOption: t('filter.any') });
  const fields = {
    q: field({ label: t('filter.q'), name: 'q', type: 'search', value: values.q || '', attrs: { placeholder: t('filter.qPlaceholder') } }),
    division: select('division', 'field.division', divisions),
    department: select('department', 'field.department', options.department),
    pointClass: select('pointClass', 'field.pointClass', options.pointClass),
    deviceStatus: select('deviceStatus', 'field.deviceStatus', options.deviceStatus),
    shareAttribute: select('shareAttribute', 'field.shareAttribute', options.shareAttribute),
    networkStatus: select('networkStatus', 'field.networkStatus', options.networkStatus),
    platformCode: field({ label: t('field.platformCode'), name: 'platformCode', value: values.platformCode || '' }),
    hasErrors: field({
      label: t('filter.hasErrors'), name: 'hasErrors', value: values.hasErrors || '', emptyOption: t('filter.any'),
      options: [{ code: 'true', label: t('filter.withErrors') }, { code: 'false', label: t('filter.withoutErrors') }],
    }),
    bbox: field({ label: t('filter.bbox'), name: 'bbox', value: values.bbox || '', attrs: { placeholder: 'minLon,minLat,maxLon,maxLat', spellcheck: 'false' } }),
    sort: field({
      label: t('filter.sort'), name: 'sort', value: values.sort || 'code',
      options: ['code', '-code', 'name', 'division', 'department', 'updated', '-updated'].map((code) => ({ code, label: t(`sort.${code}`) })),
    }),
    limit: field({ label: t('filter.limit'), name: 'limit', value: values.limit || '100', options: ['50', '100', '200', '500'].map((code) => ({ code, label: '' })) }),
  };
  // The bare option codes read better without a repeated label for the page sizes and sorts.
  for (const option of fields.limit.input.options) option.textContent = option.value;
  for (const option of fields.sort.input.options) option.textContent = t(`sort.${option.value}`);
  const search = h('button', { type: 'submit', class: 'primary', id: `${idPrefix}-search`, text: t('filter.search') });
  const reset = h('button', { type: 'reset', class: 'secondary', text: t('filter.reset') });
  const form = h('form', { id: `${idPrefix}-form`, class: 'filters', role: 'search', novalidate: true },
    h('div', { class: 'filter-grid' }, Object.values(fields).map((f) => f.el)),
    h('div', { class: 'form-actions' }, search, reset));
  form.addEventListener('reset', () => setTimeout(() => { fields.sort.input.value = 'code'; fields.limit.input.value = '100'; }, 0));
  return {
    form,
    fields,
    search,
    values() {
      const result = {};
      for (const [name, f] of Object.entries(fields)) {
        const value = String(f.value()).trim();
        if (value) result[name] = value;
      }
      return result;
    },
  };
}

/** A bbox written "a,b,c,d": four numbers with min before max; an error text otherwise. */
export function bboxProblem(text) {
  if (!text) return '';
  const parts = text.split(',').map((part) => Number(part.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return t('filter.bboxFormat');
  if (parts[0] > parts[2] || parts[1] > parts[3]) return t('filter.bboxOrder');
  return '';
}
