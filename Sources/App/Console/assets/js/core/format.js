// Numbers, rates and times in the console's language.
import { language } from './i18n.js';

const locale = () => (language() === 'en' ? 'en-GB' : 'zh-CN');

export function number(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale()).format(value);
}

/** 0.7527 → "75.3%" */
export function percent(ratio, digits = 1) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function dateTime(value) {
  if (!value) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(date);
}

/** The ratio the plan's KPIs use, guarding against an empty denominator. */
export function ratio(part, whole) {
  return whole ? part / whole : 0;
}
