// The live view's one WebSocket (/api/v1/live/ws), shared by every tile: JSON control messages both
// ways; binary messages whose first byte is the tile number and the rest fMP4.

export function liveSocketURL() {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/live/ws`;
}

export class LiveSocket {
  /**
   * handlers: ready({watermark}), event(message) for tile events, media(tile, bytes),
   * closed({code, reason, unauthorised})
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.socket = null;
    this.ready = false;
    this.pending = [];
    this.ended = false;
  }

  connect() {
    this.ended = false;
    this.ready = false;
    const socket = new WebSocket(liveSocketURL());
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ op: 'auth', token: this.token }));
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') {
        const data = new Uint8Array(event.data);
        if (data.length > 1) this.handlers.media(data[0], data.subarray(1));
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.event === 'ready') {
        this.ready = true;
        this.handlers.ready(message);
        for (const queued of this.pending.splice(0)) socket.send(JSON.stringify(queued));
      } else {
        this.handlers.event(message);
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.ready = false;
      this.socket = null;
      this.handlers.closed({ code: event.code, reason: event.reason, unauthorised: event.code === 4401, byUs: this.ended });
    });
  }

  send(message) {
    if (this.socket && this.ready && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
    else this.pending.push(message);
  }

  open(tile, camera, codecs, purpose) {
    // A tile re-opened before the socket is ready replaces its earlier wish.
    this.pending = this.pending.filter((m) => m.tile !== tile);
    this.send({ op: 'open', tile, camera, codecs, ...(purpose ? { purpose } : {}) });
  }

  close(tile) {
    this.pending = this.pending.filter((m) => m.tile !== tile);
    if (this.socket && this.ready) this.send({ op: 'close', tile });
  }

  disconnect() {
    this.ended = true;
    this.pending = [];
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close(1000, 'page left');
    }
  }
}
