// Files the API sends with a token (exports): fetched, then handed to the browser as a download.
import { api } from './api.js';
import { h } from './dom.js';

export async function download(path, query, fallbackName) {
  const response = await api(path, { query, raw: true });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const name = match ? match[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, class: 'hidden-link' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { name, size: blob.size };
}
