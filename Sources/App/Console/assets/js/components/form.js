// Form fields with a label and a message under them: validation messages appear in place, tied to
// the input with aria-describedby so a screen reader reads them with the field.
import { h, uid } from '../core/dom.js';
import { t } from '../core/i18n.js';

/**
 * field({label, name, type, value, options: [{code, label}], required, hint, attrs})
 * → {el, input, setMessage(text, kind), value()}
 */
export function field({ label, name, type = 'text', value = '', options = null, required = false, hint = '', attrs = {}, emptyOption = null }) {
  const id = uid(`f-${name}`);
  const messageId = `${id}-msg`;
  let input;
  if (options) {
    input = h('select', { id, name, required, 'aria-describedby': messageId, ...attrs },
      emptyOption !== null ? h('option', { value: '', text: emptyOption }) : null,
      options.map((option) => h('option', { value: option.code, text: option.label ? `${option.code} ${option.label}` : option.code })));
    if (value !== '' && value !== null && value !== undefined && ![...input.options].some((o) => o.value === String(value))) {
      // A filed value outside the dictionary stays visible and selected, so saving does not change it silently.
      input.append(h('option', { value: String(value), text: `${value} ${t('form.notInDictionary')}` }));
    }
    input.value = value ?? '';
  } else if (type === 'textarea') {
    input = h('textarea', { id, name, required, 'aria-describedby': messageId, rows: 3, ...attrs });
    input.value = value ?? '';
  } else {
    input = h('input', { id, name, type, required, 'aria-describedby': messageId, ...attrs });
    if (type === 'checkbox') input.checked = Boolean(value);
    else input.value = value ?? '';
  }
  const message = h('div', { class: 'field-message', id: messageId });
  if (hint) message.append(h('span', { class: 'hint', text: hint }));
  const el = h('div', { class: `field field-${type}` },
    h('label', { for: id }, label, required ? h('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null),
    input, message);
  return {
    el,
    input,
    setMessage(text, kind = 'error') {
      message.replaceChildren();
      input.removeAttribute('aria-invalid');
      el.classList.remove('has-error', 'has-warning');
      if (text) {
        message.append(h('span', { class: `msg msg-${kind}`, text }));
        el.classList.add(kind === 'error' ? 'has-error' : 'has-warning');
        if (kind === 'error') input.setAttribute('aria-invalid', 'true');
      } else if (hint) {
        message.append(h('span', { class: 'hint', text: hint }));
      }
    },
    addMessage(text, kind = 'error') {
      if (message.querySelector('.hint')) message.replaceChildren();
      message.append(h('span', { class: `msg msg-${kind}`, text }));
      el.classList.add(kind === 'error' ? 'has-error' : 'has-warning');
      if (kind === 'error') input.setAttribute('aria-invalid', 'true');
    },
    value() {
      return type === 'checkbox' ? input.checked : input.value;
    },
  };
}

/** A submit button that shows it is working and cannot be pressed twice. */
export async function busy(button, work) {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('common.working');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}
