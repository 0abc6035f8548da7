// The code tables from the API (Appendix 5 dictionaries, GB/T 2260 divisions), fetched once per
// login and turned into labels in the current language.
import { api } from './api.js';
import { language } from './i18n.js';

let dictionariesPromise = null;
const divisionNames = new Map();
const loadedParents = new Map();

export function dictionaries() {
  if (!dictionariesPromise) {
    dictionariesPromise = api('/dictionaries').catch((error) => {
      dictionariesPromise = null;
      throw error;
    });
  }
  return dictionariesPromise;
}

export function forget() {
  dictionariesPromise = null;
  divisionNames.clear();
  loadedParents.clear();
}

/** Entries of one dictionary as [{code, label}] in the current language. */
export async function options(name) {
  const all = await dictionaries();
  return (all[name] || []).map((entry) => ({ code: entry.code, label: language() === 'en' ? entry.en : entry.zh }));
}

/** A dictionary label from an already loaded table; multi-valued fields ("1,2") label each part. */
export function label(all, name, code) {
  if (code === undefined || code === null || code === '') return '';
  const entries = (all && all[name]) || [];
  const one = (part) => {
    const entry = entries.find((item) => item.code === part);
    return entry ? (language() === 'en' ? entry.en : entry.zh) : part;
  };
  return String(code).includes(',') ? String(code).split(',').map((part) => one(part.trim())).join('、') : one(String(code));
}

/** Children of a division (e.g. the counties of 441500), with centres. */
export async function divisionChildren(parent) {
  if (!loadedParents.has(parent)) {
    loadedParents.set(parent, api('/divisions', { query: { parent } }).then((list) => {
      for (const division of list) divisionNames.set(division.code, division.name);
      return list;
    }).catch((error) => {
      loadedParents.delete(parent);
      throw error;
    }));
  }
  return loadedParents.get(parent);
}

/** Loads the names of the given division codes (their cities' counties) so divisionName() knows them. */
export async function loadDivisionNames(codes) {
  const cities = new Set();
  for (const code of codes) {
    if (!code || code.length !== 6 || divisionNames.has(code)) continue;
    cities.add(`${code.slice(0, 4)}00`);
  }
  await Promise.all([...cities].map((city) => divisionChildren(city).catch(() => [])));
  await Promise.all([...cities].filter((city) => !divisionNames.has(city)).map((city) =>
    api('/divisions', { query: { code: city } }).then((list) => list.forEach((d) => divisionNames.set(d.code, d.name))).catch(() => {})));
}

export function divisionName(code) {
  return divisionNames.get(code) || '';
}

/** "441502 城区" when the name is known. */
export function divisionLabel(code) {
  const name = divisionName(code);
  return name ? `${code} ${name}` : (code || '');
}
