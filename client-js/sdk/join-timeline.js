// Prism SDK: when each step of the first join happened, on the page's performance.now() clock, so that a join-time
// benchmark (perf/README.md, "Join time") can break a join down without guessing: signaling, the subscriber
// connection's ICE and DTLS, and (when asked for) the first remote video packet, frame and decoded frame.

import { now as defaultNow } from './clock.js';

/** The steps in the order a join takes them; `marks` holds the first time of each (ms, performance.now()). */
export const JOIN_STEPS = Object.freeze(['connect', 'socketOpen', 'welcome', 'subscriberOffer', 'answerSent',
  'iceConnected', 'dtlsConnected', 'firstRtp', 'firstFrame', 'firstDecoded']);

/** The media steps are read from getStats for at most this long after the subscriber connection appears. */
export const MEDIA_POLL_LIMIT_MS = 15000;

/**
 * The first join's timeline. Each step is marked once (a reconnect or a later offer does not move it). The media
 * steps (`firstRtp`: a video packet received, `firstFrame`: a whole video frame received, which Prism makes a key
 * frame, `firstDecoded`) come from polling the subscriber connection's getStats every `pollMs`, only when `pollMs` is
 * above 0, and only until the first decoded frame or {@link MEDIA_POLL_LIMIT_MS}: accurate to one poll interval.
 *
 * Owned by a {@link PrismClient}. Runs on the page's event loop.
 */
export class JoinTimeline {
  /**
   * @param {object} [options]
   * @param {number} [options.pollMs=0] getStats interval for the media steps; 0 leaves them null
   * @param {() => number} [options.now] the clock (tests)
   */
  constructor({ pollMs = 0, now = defaultNow } = {}) {
    this._pollMs = pollMs;
    this._now = now;
    this._pollTimer = null;
    /** step -> ms (null until it happened). Same object for the client's life. */
    this.marks = Object.fromEntries(JOIN_STEPS.map((s) => [s, null]));
  }

  /** Records `step` now unless it was recorded before. */
  mark(step) {
    if (this.marks[step] === null) this.marks[step] = this._now();
  }

  /** The subscriber connection (the first one only): its ICE and DTLS states, and its media when polling. */
  watchSubscriber(pc) {
    if (this._watched) return;
    this._watched = true;
    pc.addEventListener?.('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') this.mark('iceConnected');
    });
    pc.addEventListener?.('connectionstatechange', () => {
      if (pc.connectionState === 'connected') this.mark('dtlsConnected');
    });
    if (this._pollMs > 0) this._poll(pc, this._now() + MEDIA_POLL_LIMIT_MS);
  }

  /** Stops polling (the session ended). */
  stop() {
    clearTimeout(this._pollTimer);
    this._pollTimer = null;
    this._watched = true;
  }

  _poll(pc, deadline) {
    this._pollTimer = setTimeout(async () => {
      this._pollTimer = null;
      try {
        this.readStats(await pc.getStats());
      } catch {
        // closed meanwhile: nothing more to learn
        return;
      }
      if (this.marks.firstDecoded === null && this._now() < deadline && pc.signalingState !== 'closed') {
        this._poll(pc, deadline);
      }
    }, this._pollMs);
  }

  /** One getStats report: marks the media steps its video inbound-rtp entries show. */
  readStats(report) {
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp' || (s.kind ?? s.mediaType) !== 'video') return;
      if (s.packetsReceived > 0) this.mark('firstRtp');
      if (s.framesReceived > 0) this.mark('firstFrame');
      if (s.framesDecoded > 0) this.mark('firstDecoded');
    });
  }
}
