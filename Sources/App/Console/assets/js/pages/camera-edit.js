// Edit a camera (or file a new one). Required fields and lengths are checked before sending; the
// server's findings come back by field and are shown under the field they concern.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { language, t } from '../core/i18n.js';
import * as router from '../core/router.js';
import { dictionaries, options } from '../core/reference.js';
import { cameraFields } from '../fields.js';
import { busy, field } from '../components/form.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { directoryTabs } from '../components/tabs.js';

function clientProblem(spec, value) {
  if (spec.required && !value.trim()) return t('form.required');
  if (spec.max && [...value].length > spec.max) return t('form.tooLong', { max: spec.max, length: [...value].length });
  if (spec.numeric && value.trim() && !Number.isFinite(Number(value.trim()))) return t('form.notNumber');
  return '';
}

export default {
  title: (ctx) => (ctx.params.key ? t('edit.title', { key: ctx.params.key }) : t('edit.newTitle')),
  async render(container, { params }) {
    const isNew = !params.key;
    const messages = messageSlot();
    container.append(directoryTabs(isNew ? '/directory/new' : ''), messages.el);
    let camera = null;
    const lists = {};
    try {
      const [loaded] = await Promise.all([isNew ? null : api(`/cameras/${encodeURIComponent(params.key)}`), dictionaries()]);
      camera = loaded;
      for (const spec of cameraFields) if (spec.dict && !spec.multiple && !lists[spec.dict]) lists[spec.dict] = await options(spec.dict);
    } catch (error) {
      container.prepend(pageHeader(isNew ? t('edit.newTitle') : t('edit.title', { key: params.key })));
      messages.error(error);
      return;
    }
    const record = camera ? camera.record : {};
    container.prepend(pageHeader(isNew ? t('edit.newTitle') : t('edit.title', { key: record.name || camera.code })));

    const inputs = {};
    const groups = [
      { title: t('edit.groupAppendix5'), specs: cameraFields.filter((s) => !s.extra) },
      { title: t('edit.groupExtras'), specs: cameraFields.filter((s) => s.extra) },
    ];
    const form = h('form', { id: 'camera-form', class: 'form record-form', novalidate: true });
    for (const group of groups) {
      const fieldset = h('fieldset', {}, h('legend', { text: group.title }));
      const grid = h('div', { class: 'form-grid' });
      for (const spec of group.specs) {
        const labelText = language() === 'en' ? spec.en : spec.zh;
        const useSelect = spec.dict && !spec.multiple && lists[spec.dict];
        inputs[spec.key] = field({
          label: labelText, name: spec.key, value: record[spec.key] || '', required: Boolean(spec.required),
          options: useSelect ? lists[spec.dict] : null, emptyOption: useSelect ? t('form.choose') : null,
          type: spec.key === 'remark' ? 'textarea' : 'text',
          hint: spec.multiple ? t('form.multipleHint') : '',
          attrs: { 'data-field': spec.key },
        });
        grid.append(inputs[spec.key].el);
      }
      fieldset.append(grid);
      form.append(fieldset);
    }
    const save = h('button', { type: 'submit', class: 'primary', id: 'save-camera', text: isNew ? t('edit.create') : t('edit.save') });
    const cancel = h('a', { class: 'button secondary', href: isNew ? '#/directory' : `#/directory/camera/id-${camera.id}`, text: t('common.cancel') });
    form.append(h('div', { class: 'form-actions sticky-actions' }, save, cancel));
    container.append(form);

    for (const [key, input] of Object.entries(inputs)) {
      const spec = cameraFields.find((s) => s.key === key);
      input.input.addEventListener('blur', () => input.setMessage(clientProblem(spec, input.value())));
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      messages.clear();
      let firstBad = null;
      for (const spec of cameraFields) {
        const problem = clientProblem(spec, inputs[spec.key].value());
        inputs[spec.key].setMessage(problem);
        if (problem && !firstBad) firstBad = inputs[spec.key].input;
      }
      if (firstBad) {
        messages.error({ message: t('edit.fixFirst') });
        firstBad.focus();
        return;
      }
      const changed = {};
      for (const spec of cameraFields) {
        const value = inputs[spec.key].value().trim();
        if (isNew ? value : value !== (record[spec.key] || '')) changed[spec.key] = value;
      }
      if (!isNew && !Object.keys(changed).length) {
        messages.info(t('edit.nothingChanged'));
        return;
      }
      let saved;
      try {
        saved = await busy(save, () => (isNew
          ? api('/cameras', { method: 'POST', json: changed })
          : api(`/cameras/id-${camera.id}`, { method: 'PATCH', json: changed })));
      } catch (error) {
        messages.error(error);
        return;
      }
      showFindings(saved, inputs, messages);
      if (isNew) {
        router.go(`/directory/camera/id-${saved.id}`, {}, { replace: true });
      } else {
        Object.assign(record, saved.record);
      }
    });
  },
};

/** The saved record's findings under their fields; a clean record returns to the record page. */
function showFindings(saved, inputs, messages) {
  for (const input of Object.values(inputs)) input.setMessage('');
  let first = null;
  for (const finding of saved.findings) {
    const input = finding.field ? inputs[finding.field] : null;
    if (input) {
      input.addMessage(finding.message, finding.severity === 'error' ? 'error' : 'warning');
      if (!first && finding.severity === 'error') first = input.input;
    }
  }
  const errors = saved.findings.filter((f) => f.severity === 'error').length;
  if (errors || saved.findings.length) {
    messages.info(t('edit.savedWithFindings', { errors, warnings: saved.findings.length - errors }));
    const general = saved.findings.filter((f) => !f.field || !inputs[f.field]);
    if (general.length) messages.el.append(h('ul', { class: 'findings-list' }, general.map((f) => h('li', { class: 'msg msg-error', text: f.message }))));
    if (first) first.focus();
  } else {
    messages.success(t('edit.saved'));
  }
}
