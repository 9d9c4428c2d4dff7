// Prism SDK, pure part: the room as the client sees it, and which remote tracks are subscribed.
//
// Nothing here touches the DOM, WebRTC or a socket, so it runs unchanged under `node --test` (client-js/test/).
// The client feeds it server messages and receiver snapshots and turns the returned event lists into listener calls.

import { PrismError } from './prism-error.js';
import { toParticipant, toTrack } from './wire.js';

/**
 * The client's view of the room, kept from welcome/state/participantJoined/participantLeft/trackPublished/
 * trackUnpublished/trackMuted, plus which remote tracks are subscribed (bound to a receiver of the subscriber
 * connection).
 *
 * Every mutating method returns a list of events `[name, ...args]` for the client to emit, in order:
 * `trackUnsubscribed` first (the track is still described), then room changes, then `trackSubscribed` (the track
 * and its participant are already announced). Internal events the client consumes itself: `selfLeft`.
 *
 * Subscriptions are derived, not tracked by hand: a remote track is subscribed exactly when the latest
 * subscriberOffer lists it on a mid, the room state knows the track, and the subscriber connection has a receiver
 * for that mid. Every change to any of the three re-runs {@link RoomModel#reconcile}, so an offer that arrives
 * before its trackPublished, an unpublish that arrives before the offer that deactivates the m-line, and an m-line
 * reused for another track all come out right without special cases.
 *
 * Track and participant objects keep their identity while they exist, so listeners can hold on to them;
 * `track.muted` and, while subscribed, `track.mediaStreamTrack`, `track.receiver` and `track.mid` are updated in place.
 */
export class RoomModel {
  constructor() {
    /** @type {string|null} */
    this.roomId = null;
    /** Self, from welcome; null before. */
    this.local = null;
    /** Remote participants by id. */
    this.participants = new Map();
    /** mid -> {mid, trackId, participantId, kind} from the latest subscriberOffer. */
    this._offerTracks = new Map();
    /** mid -> {track: MediaStreamTrack, receiver: RTCRtpReceiver} of the subscriber connection. */
    this._receivers = new Map();
    /** trackId -> {track, participant, mid, media} currently reported as subscribed. */
    this._subscribed = new Map();
    /** source -> local MediaStreamTrack being published. */
    this._localMedia = new Map();
  }

  /** Takes the welcome message: self and the initial room, without emitting join events for who is already there. */
  applyWelcome(msg) {
    const self = toParticipant(msg.participant, true);
    if (!self) return [['error', new PrismError('protocol', 'welcome without a valid participant')]];
    this.local = self;
    this._attachLocalMedia();
    const events = this._replaceRoom(msg.room, true);
    return events.filter((e) => e[0] === 'error');
  }

  /** Applies one room-state message; other types return no events. */
  apply(msg) {
    switch (msg.type) {
      case 'state':
        return this._withReconcile(this._replaceRoom(msg.room, false));
      case 'participantJoined':
        return this._withReconcile(this._participantJoined(msg));
      case 'participantLeft':
        return this._withReconcile(this._participantLeft(msg));
      case 'trackPublished':
        return this._withReconcile(this._trackPublished(msg));
      case 'trackUnpublished':
        return this._withReconcile(this._trackUnpublished(msg));
      case 'trackMuted':
        return this._trackMuted(msg);
      default:
        return [];
    }
  }

  /**
   * Takes an applied subscriberOffer.
   * @param {Array} tracks the offer's `tracks` (active m-lines only)
   * @param {Map<string, {track: object, receiver: object}>} receivers mid -> receiver of the subscriber connection
   */
  applyOffer(tracks, receivers) {
    const errors = [];
    this._offerTracks = new Map();
    for (const entry of Array.isArray(tracks) ? tracks : []) {
      const mid = entry && (typeof entry.mid === 'string' || typeof entry.mid === 'number') ? String(entry.mid) : null;
      if (mid === null || typeof entry.trackId !== 'string') {
        errors.push(['error', new PrismError('protocol', `subscriberOffer track entry without mid/trackId: ${safeJson(entry)}`)]);
        continue;
      }
      this._offerTracks.set(mid, {
        mid,
        trackId: entry.trackId,
        participantId: typeof entry.participantId === 'string' ? entry.participantId : null,
        kind: entry.kind,
      });
    }
    this._receivers = receivers instanceof Map ? receivers : new Map();
    return this._withReconcile(errors);
  }

  /** Remote tracks currently subscribed, as {track, participant, mid}. */
  subscriptions() {
    return [...this._subscribed.values()].map(({ track, participant, mid }) => ({ track, participant, mid }));
  }

  /** Registers the MediaStreamTrack published for a source, so local track objects carry it. */
  bindLocalMedia(source, mediaStreamTrack) {
    this._localMedia.set(source, mediaStreamTrack);
    this._attachLocalMedia();
  }

  /** Forgets the MediaStreamTrack of a source that was not published after all (the server refused it). */
  unbindLocalMedia(source) {
    this._localMedia.delete(source);
  }

  /** The local track object with that source, or null while the server has not told us its id. */
  findLocalTrack(source) {
    if (!this.local) return null;
    for (const track of this.local.tracks.values()) {
      if (track.source === source) return track;
    }
    return null;
  }

  /**
   * Adds a local track the server did not list (fallback after publishing); no-op when one with that source exists.
   * @returns events (trackPublished for the local participant when added)
   */
  ensureLocalTrack(rawTrack) {
    if (!this.local) return [];
    const track = toTrack(rawTrack, this.local.id);
    if (!track || this.findLocalTrack(track.source) || this.local.tracks.has(track.id)) return [];
    this.local.tracks.set(track.id, track);
    this._attachLocalMedia();
    return [['trackPublished', track, this.local]];
  }

  /**
   * Takes the welcome of a fresh join that replaced a lost session (the server no longer knew us): every subscription
   * ends (the subscriber connection is new), self keeps its object with the server's fresh view of it, and the room is
   * replaced with its differences reported. @returns events
   */
  applyRejoin(msg) {
    const fresh = toParticipant(msg.participant, true);
    if (!fresh) return [['error', new PrismError('protocol', 'welcome without a valid participant')]];
    const removed = [];
    for (const sub of this._subscribed.values()) {
      clearMedia(sub.track);
      removed.push(['trackUnsubscribed', sub.track, sub.participant]);
    }
    this._subscribed.clear();
    this._offerTracks = new Map();
    this._receivers = new Map();
    const events = [...removed];
    if (this.local && this.local.id === fresh.id) {
      events.push(...this._merge(this.local, fresh));
    } else {
      this.local = fresh;
    }
    this._attachLocalMedia();
    events.push(...this._replaceRoom(msg.room, false));
    return events;
  }

  /** Forgets everything (after disconnect). Subscribed tracks lose their media references; no events. */
  reset() {
    for (const { track } of this._subscribed.values()) clearMedia(track);
    this._subscribed.clear();
    this._offerTracks.clear();
    this._receivers = new Map();
    this.participants.clear();
  }

  /**
   * Recomputes the subscribed set and returns the difference as events.
   * @returns {{removed: Array, added: Array}}
   */
  reconcile() {
    const wanted = new Map();
    for (const entry of this._offerTracks.values()) {
      const found = this._findRemoteTrack(entry.participantId, entry.trackId);
      const rec = this._receivers.get(entry.mid);
      if (!found || !rec || !rec.track) continue;
      wanted.set(found.track.id, { ...found, mid: entry.mid, rec });
    }
    const removed = [];
    for (const [trackId, sub] of this._subscribed) {
      const w = wanted.get(trackId);
      const same = w && w.track === sub.track && w.participant === sub.participant && w.mid === sub.mid
        && w.rec.track === sub.media;
      if (same) continue;
      this._subscribed.delete(trackId);
      clearMedia(sub.track);
      removed.push(['trackUnsubscribed', sub.track, sub.participant]);
    }
    const added = [];
    for (const [trackId, w] of wanted) {
      if (this._subscribed.has(trackId)) continue;
      w.track.mediaStreamTrack = w.rec.track;
      w.track.receiver = w.rec.receiver;
      w.track.mid = w.mid;
      this._subscribed.set(trackId, { track: w.track, participant: w.participant, mid: w.mid, media: w.rec.track });
      added.push(['trackSubscribed', w.track, w.participant]);
    }
    return { removed, added };
  }

  _withReconcile(events) {
    const { removed, added } = this.reconcile();
    return [...removed, ...events, ...added];
  }

  _findRemoteTrack(participantId, trackId) {
    const owner = participantId !== null ? this.participants.get(participantId) : undefined;
    if (owner && owner.tracks.has(trackId)) return { participant: owner, track: owner.tracks.get(trackId) };
    // The offer's participantId is informational; fall back to a search (ids are unique per room).
    for (const participant of this.participants.values()) {
      const track = participant.tracks.get(trackId);
      if (track) return { participant, track };
    }
    return null;
  }

  _owner(participantId) {
    if (this.local && participantId === this.local.id) return this.local;
    return this.participants.get(participantId) ?? null;
  }

  _replaceRoom(room, silent) {
    if (!room || typeof room !== 'object' || !Array.isArray(room.participants)) {
      return [['error', new PrismError('protocol', 'room state without participants')]];
    }
    if (typeof room.id === 'string') this.roomId = room.id;
    const events = [];
    const seen = new Set();
    for (const raw of room.participants) {
      const fresh = toParticipant(raw);
      if (!fresh) continue;
      if (this.local && fresh.id === this.local.id) {
        const localEvents = this._merge(this.local, fresh);
        this._attachLocalMedia();
        if (!silent) events.push(...localEvents);
        continue;
      }
      seen.add(fresh.id);
      const existing = this.participants.get(fresh.id);
      if (!existing) {
        this.participants.set(fresh.id, fresh);
        if (!silent) events.push(['participantJoined', fresh]);
      } else {
        const merged = this._merge(existing, fresh);
        if (!silent) events.push(...merged);
      }
    }
    for (const [id, participant] of this.participants) {
      if (seen.has(id)) continue;
      this.participants.delete(id);
      if (!silent) events.push(['participantLeft', participant, 'gone']);
    }
    return events;
  }

  /** Updates `existing` in place from `fresh`, keeping the identity of tracks that persist. */
  _merge(existing, fresh) {
    existing.name = fresh.name;
    existing.canPublish = fresh.canPublish;
    existing.canSubscribe = fresh.canSubscribe;
    const events = [];
    for (const [id, track] of existing.tracks) {
      if (fresh.tracks.has(id)) continue;
      existing.tracks.delete(id);
      events.push(['trackUnpublished', track, existing]);
    }
    for (const [id, freshTrack] of fresh.tracks) {
      const track = existing.tracks.get(id);
      if (!track) {
        existing.tracks.set(id, freshTrack);
        events.push(['trackPublished', freshTrack, existing]);
        continue;
      }
      track.kind = freshTrack.kind;
      track.source = freshTrack.source;
      if (track.muted !== freshTrack.muted) {
        track.muted = freshTrack.muted;
        events.push(['trackMuted', track, existing]);
      }
    }
    return events;
  }

  _participantJoined(msg) {
    const fresh = toParticipant(msg.participant);
    if (!fresh) return [['error', new PrismError('protocol', 'participantJoined without a valid participant')]];
    if (this.local && fresh.id === this.local.id) return []; // our own identity: the server replaces us, we get closed
    const events = [];
    const previous = this.participants.get(fresh.id);
    // Same identity again means a new connection replaced the old one: new objects, so listeners rebuild.
    if (previous) events.push(['participantLeft', previous, 'replaced']);
    this.participants.set(fresh.id, fresh);
    events.push(['participantJoined', fresh]);
    return events;
  }

  _participantLeft(msg) {
    const id = msg.participantId;
    const reason = typeof msg.reason === 'string' ? msg.reason : 'left';
    if (this.local && id === this.local.id) return [['selfLeft', reason]];
    const participant = this.participants.get(id);
    if (!participant) return [];
    this.participants.delete(id);
    return [['participantLeft', participant, reason]];
  }

  _trackPublished(msg) {
    const track = toTrack(msg.track);
    if (!track || typeof track.participantId !== 'string') {
      return [['error', new PrismError('protocol', 'trackPublished without a valid track')]];
    }
    const owner = this._owner(track.participantId);
    if (!owner) return []; // unknown participant: a later state replay will bring both
    const existing = owner.tracks.get(track.id);
    if (existing) {
      // Already known (e.g. from a state replay): keep the object, report only a mute change.
      existing.kind = track.kind;
      existing.source = track.source;
      if (existing.muted === track.muted) return [];
      existing.muted = track.muted;
      return [['trackMuted', existing, owner]];
    }
    owner.tracks.set(track.id, track);
    if (owner.isLocal) this._attachLocalMedia();
    return [['trackPublished', track, owner]];
  }

  _trackUnpublished(msg) {
    const found = this._locateTrack(msg.participantId, msg.trackId);
    if (!found) return [];
    found.participant.tracks.delete(found.track.id);
    return [['trackUnpublished', found.track, found.participant]];
  }

  _trackMuted(msg) {
    const found = this._locateTrack(msg.participantId, msg.trackId);
    if (!found) return [];
    found.track.muted = msg.muted === true;
    // Always reported, changed or not: it is the server's answer to a mute request.
    return [['trackMuted', found.track, found.participant]];
  }

  _locateTrack(participantId, trackId) {
    if (typeof trackId !== 'string') return null;
    const owner = typeof participantId === 'string' ? this._owner(participantId) : null;
    if (owner && owner.tracks.has(trackId)) return { participant: owner, track: owner.tracks.get(trackId) };
    if (this.local && this.local.tracks.has(trackId)) return { participant: this.local, track: this.local.tracks.get(trackId) };
    return this._findRemoteTrack(null, trackId);
  }

  _attachLocalMedia() {
    if (!this.local) return;
    for (const track of this.local.tracks.values()) {
      const media = this._localMedia.get(track.source);
      if (media) track.mediaStreamTrack = media;
    }
  }
}

function clearMedia(track) {
  delete track.mediaStreamTrack;
  delete track.receiver;
  delete track.mid;
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
