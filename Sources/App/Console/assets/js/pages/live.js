// Live video: grids of 1, 4, 9 or 16 tiles over ONE WebSocket, each tile its own MSE player; the
// viewer's watermark over every tile, re-drawn each second; PTZ and presets for the selected tile
// when allowed. The layout and the cameras live in the address (#/live?layout=4&cameras=a,b), so a
// language switch or a reload brings the same wall back. Where the node's policy asks a purpose of
// use (使用事由) for live, it is asked once per login: the first tile the server refuses with
// purpose_required asks it, the server remembers it for the login, and every tile that waited opens.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { dateTime } from '../core/format.js';
import { pick, t } from '../core/i18n.js';
import * as router from '../core/router.js';
import * as session from '../core/session.js';
import { LiveSocket } from '../components/live-socket.js';
import { LiveTile } from '../components/live-tile.js';
import { playableCodecs } from '../components/mse-player.js';
import { messageSlot } from '../components/notice.js';
import { pageHeader } from '../components/page-header.js';
import { ptzPanel } from '../components/ptz-pad.js';

const layouts = [1, 4, 9, 16];

export default {
  title: () => t('nav.live'),
  async render(container, { query }) {
    const messages = messageSlot();
    const me = session.user();
    let layout = layouts.includes(Number(query.layout)) ? Number(query.layout) : 4;
    const wanted = (query.cameras || query.camera || '').split(',').map((c) => c.trim());
    const purpose = query.purpose || '';

    const layoutButtons = layouts.map((n) => h('button', {
      type: 'button', class: 'secondary layout-button', dataset: { layout: String(n) }, 'aria-pressed': String(n === layout),
      'aria-label': t('live.layout', { n }), text: String(n),
    }));
    const connection = h('span', { class: 'badge', id: 'live-connection', dataset: { state: 'connecting' }, text: t('live.connecting') });
    container.append(pageHeader(t('nav.live'), h('div', { class: 'layout-switch', role: 'group', 'aria-label': t('live.layouts') }, layoutButtons), connection), messages.el);

    const codecs = playableCodecs();
    if (!codecs.length) messages.error(new Error(t('live.noMse')));

    // Camera picker: a search over the directory; "play" puts the camera in the selected tile.
    const search = h('input', { type: 'search', id: 'live-search', name: 'q', 'aria-label': t('live.search'), placeholder: t('live.searchPlaceholder') });
    const results = h('ul', { class: 'plain-list live-results', id: 'live-results' });
    const pickerForm = h('form', { id: 'live-picker', class: 'live-picker', role: 'search', novalidate: true },
      h('label', { for: 'live-search', class: 'small', text: t('live.search') }), h('div', { class: 'key-row' }, search, h('button', { type: 'submit', class: 'secondary', text: t('filter.search') })), results);
    const grid = h('div', { class: `live-grid grid-${layout}`, id: 'live-grid', dataset: { layout: String(layout) } });
    const ptz = ptzPanel();
    const purposeCard = loginPurposeCard(me, (text) => statePurpose(text));
    container.append(h('div', { class: 'live-layout' }, grid, h('aside', { class: 'live-side' }, h('section', { class: 'card' }, pickerForm), purposeCard.el, ptz.el)));

    let watermarkBase = `${me.displayName || me.username} · ${me.departmentCode || t('user.noDepartment')}`;
    const tiles = [];
    let selected = null;
    const socket = new LiveSocket(session.token() || '', {
      ready(message) {
        if (message.watermark) watermarkBase = message.watermark;
        connection.textContent = t('live.connected');
        connection.dataset.state = 'ready';
        connection.className = 'badge badge-online';
        drawWatermarks();
      },
      event(message) {
        if (message.event === 'error') {
          messages.error(new Error(pick(message.message)));
          return;
        }
        const tile = tiles[message.tile];
        if (!tile) return;
        if (message.event === 'progress') tile.progress(message.step);
        else if (message.event === 'init') tile.init(message);
        else if (message.event === 'failed') tile.fail(message);
        else if (message.event === 'ended') tile.ended(message.message);
      },
      media(index, bytes) {
        const tile = tiles[index];
        if (tile && tile.camera) tile.media(bytes);
      },
      closed({ unauthorised, byUs }) {
        if (byUs) return;
        connection.dataset.state = 'closed';
        connection.className = 'badge badge-offline';
        connection.textContent = t('live.disconnected');
        for (const tile of tiles) if (tile.camera && tile.state !== 'failed') tile.fail({ code: 'disconnected', text: t('live.disconnected') });
        if (unauthorised) {
          // The token was refused: the session is over (main.js sends the user to the login page).
          messages.error(new Error(t('live.unauthorised')));
          session.clear();
          router.go('/login', { expired: '1', next: router.routeKey() });
          return;
        }
        reconnect.hidden = false;
      },
    });
    const reconnect = h('button', { type: 'button', class: 'secondary', id: 'live-reconnect', hidden: true, text: t('live.reconnect') });
    reconnect.addEventListener('click', () => {
      reconnect.hidden = true;
      connection.textContent = t('live.connecting');
      connection.className = 'badge';
      socket.connect();
      for (const tile of tiles) if (tile.camera) openTile(tile, tile.camera, tile.name, tile.purpose);
    });
    messages.el.after(reconnect);

    const actions = {
      select(tile) {
        if (selected === tile) return;
        if (selected) selected.el.classList.remove('selected');
        selected = tile;
        tile.el.classList.add('selected');
        grid.dataset.selected = String(tile.index);
        ptz.show(tile.camera, { playing: tile.state === 'playing' });
      },
      playing(tile) {
        if (selected === tile) ptz.playing(tile.camera);
      },
      close(tile) {
        socket.close(tile.index);
        tile.clear();
        remember();
        if (selected === tile) ptz.show(null);
      },
      reopen(tile, text) {
        statePurpose(text);
      },
    };

    /** States the login's purpose, then opens again every tile that was waiting for one. */
    async function statePurpose(text) {
      try {
        const updated = await session.statePurpose(text);
        purposeCard.show(updated.viewPurpose);
      } catch (error) {
        messages.error(error);
        return;
      }
      for (const tile of tiles.slice(0, layout)) {
        if (tile.camera && tile.el.dataset.code === 'purpose_required') openTile(tile, tile.camera, tile.name, '');
      }
    }

    function openTile(tile, camera, name, text) {
      tile.purpose = text || '';
      tile.opening(camera, name);
      socket.open(tile.index, camera, codecs, text);
      remember();
      if (selected === tile) ptz.show(camera);
    }

    function remember() {
      router.replaceQuery({ layout: String(layout), cameras: tiles.slice(0, layout).map((tile) => tile.camera || '').join(',').replace(/,+$/, '') });
    }

    function setLayout(n) {
      layout = n;
      grid.className = `live-grid grid-${n}`;
      grid.dataset.layout = String(n);
      for (const b of layoutButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.layout) === n));
      while (tiles.length < n) {
        const tile = new LiveTile(tiles.length, actions);
        tiles.push(tile);
      }
      // Tiles beyond the layout stop: a viewer never streams what is not on screen.
      for (const tile of tiles.slice(n)) if (tile.camera) actions.close(tile);
      grid.replaceChildren(...tiles.slice(0, n).map((tile) => tile.el));
      if (!selected || selected.index >= n) actions.select(tiles[0]);
      drawWatermarks();
      remember();
    }
    for (const b of layoutButtons) b.addEventListener('click', () => setLayout(Number(b.dataset.layout)));

    function drawWatermarks() {
      const text = `${watermarkBase} · ${dateTime(new Date())}`;
      grid.dataset.watermark = text;
      for (const tile of tiles.slice(0, layout)) tile.drawWatermark(text);
    }
    const clock = setInterval(drawWatermarks, 1000);

    /** The selected tile if empty, else the first empty one, else the selected one. */
    function targetTile() {
      if (selected && !selected.camera) return selected;
      return tiles.slice(0, layout).find((tile) => !tile.camera) || selected || tiles[0];
    }

    pickerForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const q = search.value.trim();
      try {
        const page = await api('/cameras', { query: { q, limit: 20 } });
        results.replaceChildren(...(page.items.length ? page.items.filter((c) => c.code).map((c) => h('li', { class: 'live-result', dataset: { code: c.code } },
          h('span', { class: 'result-name' }, c.record.name || c.code, h('span', { class: 'mono muted small', text: ` ${c.code}` })),
          h('button', {
            type: 'button', class: 'primary small play-camera', 'aria-label': t('live.playNamed', { name: c.record.name || c.code }), text: t('live.play'),
            on: { click: () => { const tile = targetTile(); actions.select(tile); openTile(tile, c.code, c.record.name); } },
          }))) : [h('li', { class: 'muted', text: t('directory.noResults') })]));
      } catch (error) {
        messages.error(error);
      }
    });

    setLayout(layout);
    socket.connect();
    const names = new Map();
    wanted.forEach((code, index) => {
      if (code && index < layout) openTile(tiles[index], code, '', index === 0 ? purpose : '');
      if (code) names.set(code, index);
    });
    // Names for the cameras from the address, once known.
    for (const [code, index] of names) {
      api(`/cameras/${encodeURIComponent(code)}`).then((camera) => {
        const tile = tiles[index];
        if (tile && tile.camera === code && camera.record.name) { tile.name = camera.record.name; tile.label.textContent = `${camera.record.name} · ${code}`; }
      }).catch(() => {});
    }
    if (!wanted.some(Boolean)) search.focus();

    return () => {
      clearInterval(clock);
      purposeCard.stop();
      ptz.stop();
      socket.disconnect();
      for (const tile of tiles) tile.player.stop();
    };
  },
};


/** The side card that shows the purpose stated for this login, and lets the user state another. */
function loginPurposeCard(me, submit) {
  const current = h('p', { id: 'live-purpose', class: 'small' });
  const input = h('input', { type: 'text', name: 'login-purpose', id: 'live-purpose-input', maxlength: '500', 'aria-label': t('live.purpose'), placeholder: t('live.purposePlaceholder') });
  const form = h('form', { id: 'live-purpose-form', class: 'key-row', novalidate: true }, input, h('button', { type: 'submit', class: 'secondary small', text: t('live.purposeSave') }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { input.setAttribute('aria-invalid', 'true'); input.focus(); return; }
    input.removeAttribute('aria-invalid');
    input.value = '';
    submit(text);
  });
  const required = (me.purposeRequiredFor || []).includes('live');
  const el = h('section', { class: 'card live-purpose-card', hidden: !required && !me.viewPurpose },
    h('h2', { class: 'small', text: t('live.loginPurpose') }), current, form);
  function show(purpose) {
    current.textContent = purpose ? purpose : t('live.noPurposeYet');
    current.classList.toggle('muted', !purpose);
  }
  show(me.viewPurpose);
  const unsubscribe = session.onUserChange((user) => { if (user) show(user.viewPurpose); });
  return { el, show, stop: unsubscribe };
}
