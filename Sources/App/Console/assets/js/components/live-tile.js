// One tile of the live grid: the video, what is happening in words (progress, failure, end), the
// watermark, and a purpose prompt when the camera needs one.
import { h } from '../core/dom.js';
import { pick, t } from '../core/i18n.js';
import { MsePlayer } from './mse-player.js';

export class LiveTile {
  /** index: the tile number on the socket; actions: {select(tile), close(tile), reopen(tile, purpose)} */
  constructor(index, actions) {
    this.index = index;
    this.actions = actions;
    this.camera = null;
    this.name = '';
    this.state = 'empty';
    this.video = h('video', { muted: true, autoplay: true, playsinline: true, 'aria-hidden': 'true' });
    this.video.muted = true;
    this.status = h('div', { class: 'tile-status', role: 'status' });
    this.watermark = h('div', { class: 'tile-watermark', 'aria-hidden': 'true' });
    this.label = h('div', { class: 'tile-label' });
    this.closeButton = h('button', { type: 'button', class: 'tile-close', hidden: true, 'aria-label': t('live.closeTile', { n: index + 1 }), text: '×' });
    this.closeButton.addEventListener('click', (event) => { event.stopPropagation(); actions.close(this); });
    this.el = h('div', {
      class: 'live-tile', tabindex: '0', role: 'group', 'aria-label': t('live.tile', { n: index + 1 }), dataset: { tile: String(index), state: 'empty' },
    }, this.video, this.watermark, this.label, this.status, this.closeButton);
    this.el.addEventListener('click', () => actions.select(this));
    this.el.addEventListener('focus', () => actions.select(this));
    this.player = new MsePlayer(this.video, {
      onError: (mime) => this.fail({ code: 'unsupported_codec', text: t('live.unsupported', { mime }) }),
      onPlaying: () => { this.setState('playing'); actions.playing?.(this); },
    });
    this.setStatus(t('live.empty'));
  }

  setState(state) {
    this.state = state;
    this.el.dataset.state = state;
    if (state === 'playing') this.status.replaceChildren();
  }

  setStatus(text, kind = 'info') {
    this.status.replaceChildren(text ? h('p', { class: `tile-message tile-${kind}`, text }) : '');
  }

  /** A camera is asked for: the tile shows it is being requested. */
  opening(camera, name) {
    this.player.stop();
    this.camera = camera;
    this.name = name || '';
    this.el.dataset.camera = camera;
    delete this.el.dataset.code;
    this.label.textContent = name ? `${name} · ${camera}` : camera;
    this.closeButton.hidden = false;
    this.setState('opening');
    this.setStatus(t('live.step.requested'));
  }

  progress(step) {
    this.setState('opening');
    this.el.dataset.step = step;
    this.setStatus(t(`live.step.${step}`) === `live.step.${step}` ? step : t(`live.step.${step}`));
  }

  init(message) {
    this.el.dataset.mime = message.mime;
    this.el.dataset.transcoded = String(Boolean(message.transcoded));
    this.setState('starting');
    this.setStatus(message.transcoded ? t('live.transcoded') : t('live.step.playing'));
    this.player.start(message.mime);
  }

  media(bytes) {
    // Copied: the socket's buffer is reused for the next message.
    this.player.push(bytes.slice());
    this.el.dataset.chunks = String(this.player.chunks);
  }

  /** failed: {code, step, message {zh, en}} or {code, text}. */
  fail(failure) {
    this.player.stop();
    this.setState('failed');
    this.el.dataset.code = failure.code || '';
    const text = failure.text || pick(failure.message) || failure.code;
    this.status.replaceChildren(h('p', { class: 'tile-message tile-error', role: 'alert', text }));
    if (failure.code === 'purpose_required') this.status.append(this.purposeForm());
  }

  ended(message) {
    this.player.stop();
    this.setState('ended');
    this.status.replaceChildren(h('p', { class: 'tile-message tile-error', role: 'alert', text: pick(message) || t('live.ended') }));
  }

  purposeForm() {
    const input = h('input', { type: 'text', name: 'purpose', maxlength: '500', 'aria-label': t('live.purpose'), placeholder: t('live.purposePlaceholder') });
    const submit = h('button', { type: 'submit', class: 'primary small', text: t('live.reopen') });
    const form = h('form', { class: 'tile-purpose', novalidate: true }, h('label', { class: 'small', text: t('live.purposePrompt') }), input, submit);
    form.addEventListener('click', (event) => event.stopPropagation());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!input.value.trim()) { input.setAttribute('aria-invalid', 'true'); input.focus(); return; }
      this.actions.reopen(this, input.value.trim());
    });
    setTimeout(() => input.focus(), 0);
    return form;
  }

  clear() {
    this.player.stop();
    this.camera = null;
    this.name = '';
    delete this.el.dataset.camera;
    delete this.el.dataset.step;
    delete this.el.dataset.code;
    this.label.textContent = '';
    this.closeButton.hidden = true;
    this.setState('empty');
    this.setStatus(t('live.empty'));
  }

  /** The same line repeated across the tile (a screenshot of any part still names the viewer). */
  drawWatermark(text) {
    if (this.watermark.childElementCount !== 6) this.watermark.replaceChildren(...Array.from({ length: 6 }, () => h('span')));
    for (const span of this.watermark.children) span.textContent = text;
    this.watermark.dataset.text = text;
  }
}
