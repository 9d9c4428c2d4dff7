// Prism SDK: media repair. Compares what the subscriber connection receives with what the server says it sends, and
// reports missing media to the server (PROTOCOL.md repairTrack/repairResult).

import { now } from './clock.js';
import { MediaWatch } from './media-watch.js';

const MAX_REPAIRS_KEPT = 50;

/**
 * Every `checkMs` reads the subscriber connection's stats: every remote track the server subscribed us to and that
 * is not muted must make progress (frames decoded for video, packets for audio). A track that makes none for a while
 * (the {@link MediaWatch} decides), or that the server lists but we are not subscribed to, is reported with
 * `repairTrack`; the server fixes what it can (keyframe, new consumer, re-offer, ICE restart) and says what it did.
 *
 * Owned by a {@link PrismClient}; uses its subscriber, room model, requests and state. Runs on the page's event loop.
 */
export class MediaRepair {
  /**
   * @param {PrismClient} client the owner
   * @param {{checkMs: number, missingMs: number}} options `checkMs` 0 turns repair off
   */
  constructor(client, { checkMs, missingMs }) {
    this._client = client;
    this._checkMs = checkMs;
    this._watch = new MediaWatch({ missingMs });
    this._timer = null;
    this._checking = false;
    /** @type {Array<{at: number, trackId: string, issue: string, action: string}>} the last 50 repairs */
    this.repairs = [];
  }

  /** Starts the periodic check (connected). */
  start() {
    this.stop();
    if (this._checkMs > 0) {
      this._timer = setInterval(() => {
        this.check().catch((e) => console.warn('prism: media check failed', e));
      }, this._checkMs);
    }
  }

  stop() {
    clearInterval(this._timer);
    this._timer = null;
  }

  /** One round: observe every expected track, report those the watch finds missing. */
  async check() {
    const client = this._client;
    if (client.state !== 'connected' || client._leaving || this._checking) return;
    this._checking = true;
    try {
      // Nothing can arrive while the subscriber connection is still being set up (ICE checks, DTLS). A report then
      // would have the server restart ICE in the middle of the handshake, which on a loaded machine can keep it from
      // ever finishing; so the watch starts over (forgets every track) until the connection is up. A connection that
      // fails is restarted by its own state handler.
      const pc = client.subscriberPc;
      const state = pc?.connectionState;
      if (state === 'new' || state === 'connecting') {
        this._watch.observe(now(), []);
        return;
      }
      const byMid = new Map();
      if (pc && typeof pc.getStats === 'function') {
        const report = await pc.getStats();
        report.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.mid != null) byMid.set(String(s.mid), s);
        });
      }
      if (client.state !== 'connected') return;
      const model = client._model;
      const subscribed = new Map(model.subscriptions().map((sub) => [sub.track.id, sub]));
      const observed = [];
      const known = (trackId) => [...model.participants.values()].some((p) => p.tracks.has(trackId));
      for (const entry of client._subscriber.expected ?? []) {
        if (!entry || typeof entry.trackId !== 'string' || !known(entry.trackId)) continue;
        const sub = subscribed.get(entry.trackId);
        const track = sub?.track;
        const paused = client._subscriber.adaptive.isPaused(entry.trackId); // a hidden tile: nothing is expected
        const muted = (track ? track.muted : entry.muted === true) || paused;
        const s = sub ? byMid.get(String(sub.mid)) : undefined;
        const count = !sub ? null : !s ? 0 : (track.kind === 'video' ? (s.framesDecoded ?? 0) : (s.packetsReceived ?? 0));
        observed.push({ trackId: entry.trackId, expected: !muted, count });
      }
      for (const { trackId, issue } of this._watch.observe(now(), observed)) {
        const sub = subscribed.get(trackId);
        this._repair(trackId, sub ? issue : 'not_subscribed', sub);
      }
    } finally {
      this._checking = false;
    }
  }

  async _repair(trackId, issue, sub) {
    const client = this._client;
    try {
      const reply = await client._request({ type: 'repairTrack', trackId, issue }, 'repairResult',
        (m) => m.trackId === trackId);
      const record = { at: Date.now(), trackId, issue, action: reply.action };
      this.repairs.push(record);
      if (this.repairs.length > MAX_REPAIRS_KEPT) this.repairs.shift();
      client._emit('repair', { track: sub?.track ?? null, participant: sub?.participant ?? null, issue, action: reply.action });
    } catch (e) {
      if (client.state === 'connected' && !client._leaving) console.warn('prism: repair request failed', e);
    }
  }
}
