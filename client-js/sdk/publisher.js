// Prism SDK: the publisher peer connection, the one this client offers on (PROTOCOL.md publishOffer/publishAnswer).

import { Dynacast } from './dynacast.js';
import { PrismError, asPrismError } from './prism-error.js';
import { addSender, baseEncodings, captureMedia } from './local-media.js';
import { newClientPeerConnection } from './peer-connection.js';
import { QualityCap } from './quality-cap.js';
import { SOURCE_FOR_KIND } from './wire.js';

/**
 * What this client publishes and the connection it goes out on. Renegotiations (new tracks, ICE restarts,
 * republishing after a fresh join) run one at a time through a promise queue.
 *
 * Owned by a {@link PrismClient}; uses its room model, requests and state. Runs on the page's event loop.
 */
export class Publisher {
  /**
   * @param {PrismClient} client the owner
   * @param {{simulcast: boolean}} options `simulcast`: send the camera as three encodings
   */
  constructor(client, { simulcast }) {
    this._client = client;
    this._simulcast = simulcast;
    /** @type {RTCPeerConnection|null} kept after close (tests read its stats); null again after a fresh join */
    this.pc = null;
    /** Serializes publisher renegotiations. */
    this._queue = Promise.resolve();
    /** [{kind, source, track, transceiver, owned, media}] in publish order. */
    this._published = [];
    /** Turns encodings off and on as the server's `publisherLayers` say. */
    this.dynacast = new Dynacast(client);
    /** The token's quality cap (from each welcome): encodings above it are not sent. */
    this.qualityCap = new QualityCap(this);
  }

  /** Whether anything is published (an ICE restart then has a connection to renegotiate). */
  get active() {
    return this.pc !== null && this._published.length > 0;
  }

  /** PrismClient#publish: captures the kinds not yet published and publishes them. */
  async publish({ audio, video, stream }) {
    const client = this._client;
    client._requireConnected();
    if (client._model.local && !client._model.local.canPublish) {
      throw new PrismError('not_allowed', 'this token does not allow publishing');
    }
    const wanted = ['audio', 'video'].filter((kind) => (kind === 'audio' ? audio : video) && !this._publishedKind(kind));
    if (wanted.length === 0) return [];
    const { media, owned, picks } = await captureMedia(wanted, { audio, video, stream });
    if (client.state !== 'connected') {
      if (owned) picks.forEach((p) => p.track.stop());
      throw new PrismError('disconnected', 'disconnected while capturing media');
    }
    return this._enqueue(() => this._publishPicks(picks, media, owned));
  }

  /**
   * ICE restart of the publisher connection: an offer with new credentials. Checked again when its turn in the queue
   * comes: a publish queued before it may have failed and left the connection carrying nothing, and an offer without
   * a live m-line has no BUNDLE group, which a max-bundle connection refuses. @returns {Promise|null} null if idle
   */
  restartIce() {
    if (!this.active) return null;
    return this._enqueue(() => (this.active ? this._negotiate({ iceRestart: true }) : undefined));
  }

  /**
   * After a fresh join (the server lost our session), step 1: forgets the old connection (the caller closes it) and
   * what went out on it. @returns the live tracks to {@link republish} once the new session is announced
   */
  takeForRepublish() {
    const again = this._published.filter((p) => p.track.readyState !== 'ended');
    this.pc = null;
    this._published = [];
    this.dynacast.reset();
    return again;
  }

  /** Step 2: publishes those tracks again on a new connection. Failures are emitted as `error`. */
  republish(again) {
    const byMedia = new Map();
    for (const p of again) {
      if (!byMedia.has(p.media)) byMedia.set(p.media, []);
      byMedia.get(p.media).push({ kind: p.kind, source: p.source, track: p.track, owned: p.owned,
        sendEncodings: p.sendEncodings });
    }
    for (const [media, picks] of byMedia) {
      this._enqueue(() => this._publishPicks(picks, media, picks[0].owned),
        (e) => this._client._emit('error', asPrismError(e, 'negotiation')));
    }
  }

  /**
   * Publishes tracks captured elsewhere (screen-share.js), each `{kind, source, track, sendEncodings?}`, beside what is
   * already published. @returns {Promise<object[]>} their local track objects (as {@link publish})
   */
  publishTracks(picks, media, owned) {
    return this._enqueue(() => this._publishPicks(picks, media, owned));
  }

  /**
   * Stops sending the tracks of these sources, stops them if the SDK captured them, forgets their local track
   * objects (`trackUnpublished` for the local participant) and tells the server by renegotiating: the server
   * unpublishes an m-line that no longer sends. Resolves at once when none is published.
   */
  unpublish(sources) {
    return this._enqueue(async () => {
      const gone = this._published.filter((p) => sources.includes(p.source));
      if (gone.length === 0) return;
      this._published = this._published.filter((p) => !gone.includes(p));
      const model = this._client._model;
      for (const p of gone) {
        stopSending(this.pc, p.transceiver, this._published.length > 0);
        if (p.owned) p.track.stop();
        const track = model.findLocalTrack(p.source);
        model.unbindLocalMedia(p.source);
        if (track && model.local) {
          this._client._dispatch(model.apply({ type: 'trackUnpublished', participantId: model.local.id,
            trackId: track.id }));
        }
      }
      if (this.pc && this._client.state === 'connected') await this._negotiate();
    });
  }

  /** Stops the tracks the SDK captured itself (leave, teardown); tracks the app passed in keep running. */
  stopOwnedTracks() {
    for (const p of this._published) if (p.owned) p.track.stop();
  }

  _enqueue(job, onError = () => {}) {
    const run = this._queue.then(job);
    this._queue = run.catch(onError);
    return run;
  }

  async _publishPicks(picks, media, owned) {
    const client = this._client;
    client._requireConnected();
    if (!this.pc) this.pc = newClientPeerConnection(client, 'publisher');
    const added = [];
    for (const pick of picks) {
      const base = baseEncodings(pick, this._simulcast);
      const transceiver = await addSender(this.pc, pick, media, this.qualityCap.sendEncodings(pick, base));
      const entry = { ...pick, transceiver, owned, media, baseEncodings: base };
      this._published.push(entry);
      added.push(entry);
      client._model.bindLocalMedia(pick.source, pick.track);
    }
    let reply;
    try {
      reply = await this._negotiate();
    } catch (e) {
      for (const entry of added) {
        this._published.splice(this._published.indexOf(entry), 1);
        try {
          entry.transceiver.stop();
        } catch {
          // connection already closed
        }
        if (owned) entry.track.stop();
      }
      throw e;
    }
    const refused = this._dropRefused(added, reply?.refused);
    const kept = added.filter((entry) => !refused.entries.includes(entry));
    if (kept.length > 0) await this._learnLocalTrackIds();
    const published = kept.map((entry) => client._model.findLocalTrack(entry.source)).filter(Boolean);
    if (refused.details.length > 0) {
      throw new PrismError('track_refused', refused.details.map((r) => `${r.kind}: ${r.message}`).join('; '),
        { refused: refused.details, published });
    }
    return published;
  }

  /**
   * The server answered some of the new m-lines with port 0 and said why (`publishAnswer.refused`, PROTOCOL.md):
   * those tracks are not published. Stops their transceivers (and owned tracks) and forgets them.
   * @returns {{entries: object[], details: {mid: string, kind: string, reason: string, message: string}[]}}
   */
  _dropRefused(added, refusedList) {
    const list = Array.isArray(refusedList) ? refusedList : [];
    const entries = added.filter((entry) => list.some((r) => r && r.mid != null && r.mid === entry.transceiver.mid));
    const details = [];
    for (const entry of entries) {
      const r = list.find((x) => x.mid === entry.transceiver.mid);
      details.push({ mid: r.mid, kind: r.kind ?? entry.kind, reason: r.reason ?? 'refused',
        message: r.message ?? 'refused by the server' });
      this._published.splice(this._published.indexOf(entry), 1);
      this._client._model.unbindLocalMedia(entry.source);
      try {
        entry.transceiver.stop();
      } catch {
        // connection already closed
      }
      if (entry.owned) entry.track.stop();
    }
    return { entries, details };
  }

  async _negotiate(offerOptions = undefined) {
    const pc = this.pc;
    const offer = await pc.createOffer(offerOptions);
    await pc.setLocalDescription(offer);
    const tracks = this._published
      .filter((p) => p.transceiver.mid != null)
      .map((p) => ({ mid: p.transceiver.mid, source: p.source }));
    let reply;
    try {
      reply = await this._client._request({ type: 'publishOffer', sdp: pc.localDescription.sdp, tracks }, 'publishAnswer');
      if (typeof reply.sdp !== 'string') throw new PrismError('protocol', 'publishAnswer without sdp');
    } catch (e) {
      // Leave the connection stable so a later publish can offer again.
      if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      throw e;
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    return reply;
  }

  /**
   * The server names published tracks (the answer does not carry their ids): read them from the room state, and
   * fall back to `<identity>:<mid>` (the server's current scheme) if the state does not list them.
   */
  async _learnLocalTrackIds() {
    const client = this._client;
    const model = client._model;
    const missing = () => this._published.filter((p) => !model.findLocalTrack(p.source));
    if (missing().length === 0) return;
    try {
      await client.getState();
    } catch (e) {
      if (client.state !== 'connected') throw e;
    }
    for (const p of missing()) {
      if (p.transceiver.mid == null) continue; // never negotiated: there is no id to guess
      const id = `${model.local.id}:${p.transceiver.mid}`;
      console.warn(`prism: server did not list our ${p.source} track; assuming id ${id}`);
      client._dispatch(model.ensureLocalTrack({ id, kind: p.kind, source: p.source, muted: !p.track.enabled }));
    }
  }

  /** Whether the kind's own source is published (a shared screen is video, yet no camera). */
  _publishedKind(kind) {
    return this._published.some((p) => p.source === SOURCE_FOR_KIND[kind]);
  }
}

/**
 * Stops one transceiver sending. While other m-lines stay live it is stopped (its m-line is then rejected and may be
 * reused); the last one only loses its track, so the offer keeps a bundled (inactive) m-line the server can answer.
 */
function stopSending(pc, transceiver, othersLive) {
  try {
    if (othersLive) transceiver.stop();
    else pc.removeTrack(transceiver.sender);
  } catch {
    // connection already closed
  }
}
