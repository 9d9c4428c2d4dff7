// Prism SDK: dynacast on the publisher side. The server says which simulcast encodings of a published track anyone
// needs (`publisherLayers`, PROTOCOL.md "Dynacast"); the others stop being encoded and sent (RTCRtpSender
// encodings[i].active), saving the publisher's uplink and CPU. Turning one back on makes the browser start that
// encoding with a key frame; the server asks for another through its usual key frame path if it needs to.

import { now } from './clock.js';

const LOG_SIZE = 16;

/**
 * The encodings with `active` set from the server's list: an encoding with a rid is active when the list names it AND
 * `allowed(rid)` (the token's quality cap, quality-cap.js: an encoding above it stays off whatever the list says);
 * one without a rid (a single-encoding track) is left as it is. Pure.
 * @param {(rid: string) => boolean} [allowed] the cap's rule; default every rid
 * @returns {{encodings: object[], changed: boolean}} a copy (the input is untouched) and whether any flag changed
 */
export function encodingsWithActive(encodings, activeRids, allowed = () => true) {
  const wanted = new Set(Array.isArray(activeRids) ? activeRids.filter((r) => typeof r === 'string') : []);
  let changed = false;
  const out = (Array.isArray(encodings) ? encodings : []).map((e) => {
    if (!e || typeof e.rid !== 'string') return e;
    const active = wanted.has(e.rid) && allowed(e.rid);
    if ((e.active !== false) !== active) changed = true;
    return { ...e, active };
  });
  return { encodings: out, changed };
}

/**
 * Applies `publisherLayers` messages to the publisher's senders, one at a time per track (a later message waits for
 * the earlier setParameters). Remembers the latest list per track in {@link Dynacast#active} (for apps and tests).
 * A browser refusing the change costs only the saving: it is counted ({@link Dynacast#failures}) and logged as a
 * console warning, not emitted as an `error` (media is unaffected).
 *
 * Owned by a {@link PrismClient}; reads its publisher's published entries. Runs on the page's event loop.
 */
export class Dynacast {
  /** @param {PrismClient} client the owner */
  constructor(client) {
    this._client = client;
    /** trackId -> the rids the server asked for last */
    this.active = new Map();
    /** The latest messages, oldest first: [{at (ms, the SDK's monotonic clock), trackId, active}] (benchmarks). */
    this.log = [];
    /** setParameters calls the browser refused. */
    this.failures = 0;
    this._queues = new Map();
  }

  /** One `publisherLayers` message. Never throws; a refused change is counted and warned about. */
  apply(msg) {
    if (typeof msg?.trackId !== 'string' || !Array.isArray(msg.active)) return;
    const rids = msg.active.filter((r) => typeof r === 'string');
    this.active.set(msg.trackId, rids);
    this.log.push({ at: now(), trackId: msg.trackId, active: rids });
    if (this.log.length > LOG_SIZE) this.log.shift();
    const previous = this._queues.get(msg.trackId) ?? Promise.resolve();
    const run = previous.then(() => this._set(msg.trackId, rids)).catch((e) => {
      this.failures++;
      console.warn(`prism: dynacast could not set the encodings of ${msg.trackId}: ${e?.message ?? e}`);
    });
    this._queues.set(msg.trackId, run);
    return run;
  }

  /** After a fresh join: new senders start with every encoding on, and the server will say again what it needs. */
  reset() {
    this.active.clear();
    this._queues.clear();
  }

  async _set(trackId, rids) {
    if (this.active.get(trackId) !== rids) return; // a newer message for this track is queued
    const entry = this._entryOf(trackId);
    if (!entry) return; // unpublished meanwhile, or not ours
    const sender = entry.transceiver.sender;
    const params = sender.getParameters();
    const allowed = this._client._publisher.qualityCap?.allows(entry);
    const { encodings, changed } = encodingsWithActive(params.encodings, rids, allowed);
    if (!changed) return;
    params.encodings = encodings;
    await sender.setParameters(params);
  }

  /** The latest list for the track a sender sends, null before any message (quality-cap.js's half of the rule). */
  listedFor(sender) {
    for (const [trackId, rids] of this.active) if (this._entryOf(trackId)?.transceiver.sender === sender) return rids;
    return null;
  }

  /** The published entry of a track, by the server's id (`<identity>:<mid>`, or the room model's for its source). */
  _entryOf(trackId) {
    const client = this._client;
    const local = client._model.local;
    for (const p of client._publisher._published) {
      const mid = p.transceiver?.mid;
      const modelTrack = client._model.findLocalTrack(p.source);
      if ((modelTrack && modelTrack.id === trackId) || (local && mid != null && `${local.id}:${mid}` === trackId)) {
        return p;
      }
    }
    return null;
  }
}
