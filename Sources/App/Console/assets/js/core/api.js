// The JSON API client: the token, the language, and errors as ApiError with the server's message.
import { language, t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

let token = null;
let onUnauthenticated = () => {};

export function setToken(value) {
  token = value;
}

/** Called when the server says the token is missing, expired or revoked (401 "unauthenticated"). */
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

/** Builds `/api/v1/<path>?<query>` leaving out empty values. */
export function apiURL(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return `/api/v1${path}${text ? `?${text}` : ''}`;
}

/**
 * api('/cameras', {query: {q: 'x'}}) → parsed JSON (null for 204).
 * Options: method, query, json (a body sent as JSON), form (FormData), raw (return the Response).
 */
export async function api(path, { method = 'GET', query = {}, json, form, raw = false, signal } = {}) {
  const headers = { 'Accept-Language': language() === 'en' ? 'en' : 'zh-CN', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let response;
  try {
    response = await fetch(apiURL(path, query), { method, headers, body, signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) throw await errorFrom(response, path);
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

async function errorFrom(response, path) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const detail = body && body.error ? body.error : null;
  const code = detail ? detail.code : `http_${response.status}`;
  const message = detail
    ? (language() === 'en' ? detail.en || detail.message : detail.zh || detail.message)
    : t('error.http', { status: response.status });
  const error = new ApiError(response.status, code, message, body);
  // A wrong password on login or password change is also a 401, but not an ended session.
  if (response.status === 401 && code === 'unauthenticated' && !path.startsWith('/auth/login')) onUnauthenticated(error);
  return error;
}
