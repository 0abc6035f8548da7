// One tile's video: fMP4 bytes from the live socket into a Media Source Extensions SourceBuffer.
// The first chunk is the init segment, then moof+mdat fragments. The buffer is trimmed behind the
// playhead and the playhead kept near the live edge, so a tile can run for hours.
const keepSeconds = 20;
const trimEvery = 10;
const maxLag = 2.5;

/** Which of the codecs the server offers this browser can play: ["avc1", "hvc1"] or fewer. */
export function playableCodecs() {
  if (typeof MediaSource === 'undefined') return [];
  const probes = { avc1: 'video/mp4; codecs="avc1.640028"', hvc1: 'video/mp4; codecs="hvc1.1.6.L120.90"' };
  return Object.entries(probes).filter(([, type]) => MediaSource.isTypeSupported(type)).map(([codec]) => codec);
}

export class MsePlayer {
  /** video: a <video> element; onError(text) when the browser cannot play what arrives. */
  constructor(video, { onError = () => {}, onPlaying = () => {} } = {}) {
    this.video = video;
    this.onError = onError;
    this.onPlaying = onPlaying;
    this.queue = [];
    this.buffer = null;
    this.source = null;
    this.url = null;
    this.closed = false;
    this.lastTrim = 0;
    this.bytes = 0;
    this.chunks = 0;
  }

  /** Starts a stream of `mime` (from the server's init message). */
  start(mime) {
    this.stop();
    this.closed = false;
    if (typeof MediaSource === 'undefined' || !MediaSource.isTypeSupported(mime)) {
      this.onError(mime);
      return false;
    }
    this.mime = mime;
    this.source = new MediaSource();
    this.url = URL.createObjectURL(this.source);
    this.source.addEventListener('sourceopen', () => {
      if (this.closed || !this.source) return;
      try {
        this.buffer = this.source.addSourceBuffer(mime);
        this.buffer.mode = 'segments';
        this.buffer.addEventListener('updateend', () => this.pump());
        this.buffer.addEventListener('error', () => this.onError(mime));
        this.pump();
      } catch {
        this.onError(mime);
      }
    }, { once: true });
    this.video.src = this.url;
    this.video.addEventListener('playing', () => this.onPlaying(), { once: true });
    return true;
  }

  /** A chunk of fMP4 (init segment first). */
  push(bytes) {
    if (this.closed) return;
    this.queue.push(bytes);
    this.bytes += bytes.byteLength;
    this.chunks += 1;
    this.pump();
  }

  pump() {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || this.closed) return;
    const now = this.video.currentTime;
    const ranges = buffer.buffered;
    if (ranges.length) {
      const end = ranges.end(ranges.length - 1);
      // Stay near the live edge: a tab in the background, or a stall, must not play the past.
      if (end - now > maxLag && !this.video.seeking) this.video.currentTime = Math.max(ranges.start(ranges.length - 1), end - 0.3);
      const start = ranges.start(0);
      if (now - start > keepSeconds && now - this.lastTrim > trimEvery) {
        this.lastTrim = now;
        try {
          buffer.remove(start, now - keepSeconds / 2);
          return;
        } catch {
          // Removing is an optimisation; appending goes on.
        }
      }
    }
    const next = this.queue.shift();
    if (!next) return;
    try {
      buffer.appendBuffer(next);
    } catch (error) {
      if (error && error.name === 'QuotaExceededError' && ranges.length) {
        // Full: drop what was played and try again after the removal.
        this.queue.unshift(next);
        try { buffer.remove(ranges.start(0), Math.max(ranges.start(0) + 0.1, now - 1)); } catch { /* nothing to remove yet */ }
      } else {
        this.onError(this.mime || '');
      }
      return;
    }
    if (this.video.paused) this.video.play().catch(() => {});
  }

  stop() {
    this.closed = true;
    this.queue = [];
    if (this.source && this.source.readyState === 'open') {
      try { this.source.endOfStream(); } catch { /* already ending */ }
    }
    this.buffer = null;
    this.source = null;
    if (this.url) {
      this.video.removeAttribute('src');
      this.video.load();
      URL.revokeObjectURL(this.url);
      this.url = null;
    }
  }
}
