// What the user typed, kept across a forced logout: when a session expires, the fields of the page
// are saved under its route and put back once the user has logged in again.
const prefix = 'gbshare.draft:';

function fields(root) {
  return [...root.querySelectorAll('input[name], select[name], textarea[name]')].filter((el) => {
    const type = (el.type || '').toLowerCase();
    return !['password', 'file', 'hidden', 'submit', 'button'].includes(type);
  });
}

function fieldKey(el) {
  return `${el.form && el.form.id ? el.form.id : ''}|${el.name}`;
}

export function capture(root, route) {
  const values = {};
  for (const el of fields(root)) {
    const type = (el.type || '').toLowerCase();
    values[fieldKey(el)] = type === 'checkbox' || type === 'radio' ? el.checked : el.value;
  }
  if (Object.keys(values).length) sessionStorage.setItem(prefix + route, JSON.stringify(values));
}

/** Puts saved values back into the page's fields; true when there was something to restore. */
export function restore(root, route) {
  const text = sessionStorage.getItem(prefix + route);
  if (!text) return false;
  sessionStorage.removeItem(prefix + route);
  let values;
  try {
    values = JSON.parse(text);
  } catch {
    return false;
  }
  let restored = false;
  for (const el of fields(root)) {
    const key = fieldKey(el);
    if (!(key in values)) continue;
    const type = (el.type || '').toLowerCase();
    if (type === 'checkbox' || type === 'radio') el.checked = Boolean(values[key]);
    else el.value = values[key];
    el.dispatchEvent(new Event('input', { bubbles: true }));
    restored = true;
  }
  return restored;
}

export function hasDraft(route) {
  return sessionStorage.getItem(prefix + route) !== null;
}
