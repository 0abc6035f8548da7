// Chinese first, English on request. The choice is kept per browser; pages re-render on a switch.
import zh from '../i18n/zh.js';
import en from '../i18n/en.js';

const tables = { zh, en };
const storageKey = 'gbshare.lang';
let current = localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
const listeners = new Set();

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'zh';
  localStorage.setItem(storageKey, current);
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
  for (const listener of listeners) listener(current);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** t('directory.total', {count: 3}) → "共 3 条"; a missing key shows itself, so it is noticed. */
export function t(key, params = {}) {
  const text = tables[current][key] ?? tables.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/** Picks the right half of an API {zh, en} pair. */
export function pick(pair) {
  if (!pair) return '';
  if (typeof pair === 'string') return pair;
  return current === 'en' ? (pair.en || pair.zh || '') : (pair.zh || pair.en || '');
}

/** Keys present in one language and not the other (the browser tests check this is empty). */
export function missingKeys() {
  const zhKeys = Object.keys(zh);
  const enKeys = Object.keys(en);
  return {
    en: zhKeys.filter((key) => !(key in en)),
    zh: enKeys.filter((key) => !(key in zh)),
  };
}

document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
