// Pan, tilt and zoom for the selected tile's camera: a command while a button is held, `stop` on
// release (pointer or keyboard); presets listed and called. Shown only when the server says the
// user may (POST /access/authorize, action ptz).
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { t } from '../core/i18n.js';
import { errorNotice } from './notice.js';

const pad = [
  ['upLeft', '↖'], ['up', '↑'], ['upRight', '↗'],
  ['left', '←'], [null, ''], ['right', '→'],
  ['downLeft', '↙'], ['down', '↓'], ['downRight', '↘'],
];

export function ptzPanel() {
  const message = h('div', { class: 'ptz-message', 'aria-live': 'polite' });
  const speed = h('input', { type: 'range', min: '1', max: '255', value: '128', id: 'ptz-speed', name: 'ptzSpeed' });
  const presetBox = h('div', { class: 'ptz-presets', id: 'ptz-presets' });
  const body = h('div', { class: 'ptz-body', hidden: true });
  const el = h('section', { class: 'card ptz-panel', id: 'ptz-panel', 'aria-labelledby': 'ptz-heading' },
    h('h2', { id: 'ptz-heading', text: t('live.ptz') }), message, body);
  let camera = null;
  let held = null;
  let generation = 0;

  async function command(action) {
    if (!camera) return;
    try {
      await api(`/cameras/${encodeURIComponent(camera)}/ptz`, { method: 'POST', json: { action, speed: Number(speed.value) } });
      message.replaceChildren();
    } catch (error) {
      message.replaceChildren(errorNotice(error));
    }
  }
  function press(action) {
    if (held === action) return;
    held = action;
    command(action);
  }
  function release() {
    if (!held) return;
    held = null;
    command('stop');
  }
  const button = (action, symbol, labelKey) => {
    const b = h('button', { type: 'button', class: 'ptz-button', dataset: { action }, 'aria-label': t(labelKey || `live.ptz.${action}`), text: symbol });
    b.addEventListener('pointerdown', (event) => { event.preventDefault(); b.setPointerCapture?.(event.pointerId); press(action); });
    b.addEventListener('pointerup', release);
    b.addEventListener('pointercancel', release);
    b.addEventListener('lostpointercapture', release);
    b.addEventListener('keydown', (event) => { if ((event.key === 'Enter' || event.key === ' ') && !event.repeat) { event.preventDefault(); press(action); } });
    b.addEventListener('keyup', (event) => { if (event.key === 'Enter' || event.key === ' ') release(); });
    b.addEventListener('blur', release);
    return b;
  };
  body.append(
    h('div', { class: 'ptz-pad', role: 'group', 'aria-label': t('live.ptzPad') }, pad.map(([action, symbol]) => (action ? button(action, symbol) : h('span', { class: 'ptz-centre', 'aria-hidden': 'true' })))),
    h('div', { class: 'ptz-zoom', role: 'group', 'aria-label': t('live.ptzZoom') }, button('zoomIn', '+'), button('zoomOut', '−')),
    h('label', { class: 'ptz-speed', for: 'ptz-speed' }, t('live.ptzSpeed'), speed),
    h('h3', { text: t('live.presets') }), presetBox);

  async function loadPresets(code, mine) {
    try {
      const presets = await api(`/cameras/${encodeURIComponent(code)}/presets`);
      if (mine !== generation) return;
      const list = Array.isArray(presets) ? presets : (presets.presets || []);
      presetBox.replaceChildren(list.length ? h('ul', { class: 'plain-list' }, list.map((p) => {
        const n = p.number ?? p.id ?? p.index;
        return h('li', {}, h('button', {
          type: 'button', class: 'secondary small preset-call', dataset: { preset: String(n) },
          on: { click: async () => {
            try { await api(`/cameras/${encodeURIComponent(code)}/presets/${encodeURIComponent(n)}/call`, { method: 'POST' }); } catch (error) { message.replaceChildren(errorNotice(error)); }
          } },
        }, t('live.callPreset', { n, name: p.name || '' })));
      })) : h('p', { class: 'muted small', text: t('live.noPresets') }));
    } catch (error) {
      if (mine === generation) presetBox.replaceChildren(errorNotice(error));
    }
  }

  return {
    el,
    /** The selected tile's camera (or none): asks whether PTZ is allowed, then shows the pad. */
    async show(code, { playing = false } = {}) {
      release();
      const mine = ++generation;
      camera = null;
      body.hidden = true;
      el.dataset.allowed = 'false';
      if (!code) { message.replaceChildren(h('p', { class: 'muted small', text: t('live.ptzPick') })); return; }
      message.replaceChildren(h('p', { class: 'muted small', text: t('common.loading') }));
      try {
        await api('/access/authorize', { method: 'POST', json: { camera: code, action: 'ptz' } });
      } catch (error) {
        if (mine !== generation) return;
        message.replaceChildren(h('p', { class: 'muted small', text: t('live.ptzNotAllowed', { reason: error.message }) }));
        return;
      }
      if (mine !== generation) return;
      camera = code;
      el.dataset.allowed = 'true';
      el.dataset.camera = code;
      message.replaceChildren();
      body.hidden = false;
      // Presets are asked of the device: only once it is known to answer (playing), or on request.
      if (playing) {
        presetBox.replaceChildren(h('p', { class: 'muted small', text: t('common.loading') }));
        loadPresets(code, mine);
      } else {
        presetBox.replaceChildren(h('button', {
          type: 'button', class: 'secondary small', id: 'ptz-load-presets', text: t('live.loadPresets'),
          on: { click: () => { presetBox.replaceChildren(h('p', { class: 'muted small', text: t('common.loading') })); loadPresets(code, generation); } },
        }));
      }
    },
    /** The selected tile started playing: its device answers, so its presets can be read. */
    playing(code) {
      if (camera === code && presetBox.querySelector('#ptz-load-presets')) {
        presetBox.replaceChildren(h('p', { class: 'muted small', text: t('common.loading') }));
        loadPresets(code, generation);
      }
    },
    stop() { release(); generation += 1; },
  };
}
