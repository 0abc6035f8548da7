// The logged-in user and the token, kept for this browser tab only (sessionStorage).
import { api, setToken } from './api.js';

const storageKey = 'gbshare.session';
let state = load();
const listeners = new Set();
let expiryTimer = null;
let onExpiry = () => {};

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) || 'null');
    if (saved && saved.token && new Date(saved.expiresAt) > new Date()) return saved;
  } catch {
    // An unreadable entry is the same as none.
  }
  sessionStorage.removeItem(storageKey);
  return null;
}

function changed() {
  setToken(state ? state.token : null);
  clearTimeout(expiryTimer);
  if (state) {
    // The server ends the token at expiresAt; leave a little earlier than a request would find out.
    const wait = new Date(state.expiresAt).getTime() - Date.now();
    expiryTimer = setTimeout(() => onExpiry(), Math.max(0, Math.min(wait, 2 ** 31 - 1)));
  }
  for (const listener of listeners) listener(state ? state.user : null);
}

export function user() {
  return state ? state.user : null;
}

/** The bearer token, for what cannot send a header (the live view's WebSocket sends it first). */
export function token() {
  return state ? state.token : null;
}

export function onUserChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What to do when the token's lifetime is over (main.js sends the user to the login page). */
export function setExpiryHandler(handler) {
  onExpiry = handler;
}

export async function login(username, password) {
  const result = await api('/auth/login', { method: 'POST', json: { username, password } });
  state = { token: result.token, expiresAt: result.expiresAt, user: result.user };
  sessionStorage.setItem(storageKey, JSON.stringify(state));
  changed();
  return state.user;
}

export async function logout() {
  try {
    await api('/auth/logout', { method: 'POST' });
  } catch {
    // The token may already be gone; the user is logged out here either way.
  }
  clear();
}

export function clear() {
  state = null;
  sessionStorage.removeItem(storageKey);
  changed();
}

export function start() {
  changed();
  // A tab logged in before the server sent abilities: ask once, so the pages show what it may do.
  if (state && !state.user.abilities) refresh().catch(() => {});
}

/** The user as the server sees it now (its abilities included). */
export async function refresh() {
  if (!state) return null;
  const me = await api('/auth/me');
  state = { ...state, user: me };
  sessionStorage.setItem(storageKey, JSON.stringify(state));
  changed();
  return me;
}

/** States the purpose of use for this login's live views (asked once per login, remembered by the server). */
export async function statePurpose(purpose) {
  if (!state) return null;
  const me = await api('/auth/session/purpose', { method: 'PUT', json: { purpose } });
  state = { ...state, user: me };
  sessionStorage.setItem(storageKey, JSON.stringify(state));
  changed();
  return me;
}
