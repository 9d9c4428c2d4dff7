// Prism SDK, pure part: server frames and wire objects (docs/PROTOCOL.md) turned into SDK values. Never throws on
// bad input: a malformed frame is an error value the client emits.

import { PrismError } from './prism-error.js';

/** The track source the SDK publishes for each media kind (PROTOCOL.md `publishOffer.tracks[].source`). */
export const SOURCE_FOR_KIND = Object.freeze({ audio: 'microphone', video: 'camera' });

/**
 * Parses one WebSocket text frame.
 * @returns {{ok: true, msg: object} | {ok: false, error: PrismError}} never throws
 */
export function parseServerMessage(data) {
  if (typeof data !== 'string') {
    return { ok: false, error: new PrismError('protocol', 'binary frame from server') };
  }
  let msg;
  try {
    msg = JSON.parse(data);
  } catch (e) {
    return { ok: false, error: new PrismError('protocol', 'server sent invalid JSON', { cause: e }) };
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string') {
    return { ok: false, error: new PrismError('protocol', 'server message without a type') };
  }
  return { ok: true, msg };
}

/** Wire track -> SDK track object, or null when it has no usable id. */
export function toTrack(raw, fallbackParticipantId) {
  if (!raw || typeof raw !== 'object' || typeof raw.id !== 'string' || raw.id === '') return null;
  const participantId = typeof raw.participantId === 'string' ? raw.participantId : fallbackParticipantId;
  return {
    id: raw.id,
    participantId,
    kind: typeof raw.kind === 'string' ? raw.kind : 'unknown',
    source: typeof raw.source === 'string' ? raw.source : 'unknown',
    muted: raw.muted === true,
  };
}

/** Wire participant -> SDK participant object (tracks as a Map by id), or null when it has no usable id. */
export function toParticipant(raw, isLocal = false) {
  if (!raw || typeof raw !== 'object' || typeof raw.id !== 'string' || raw.id === '') return null;
  const tracks = new Map();
  for (const rawTrack of Array.isArray(raw.tracks) ? raw.tracks : []) {
    const track = toTrack(rawTrack, raw.id);
    if (track) tracks.set(track.id, track);
  }
  return {
    id: raw.id,
    name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : raw.id,
    canPublish: raw.canPublish !== false,
    canSubscribe: raw.canSubscribe !== false,
    isLocal,
    tracks,
  };
}

/** PROTOCOL.md `error` message -> PrismError. */
export function errorFromMessage(msg) {
  const code = typeof msg.code === 'string' ? msg.code : 'internal';
  const message = typeof msg.message === 'string' && msg.message !== '' ? msg.message : code;
  return new PrismError(code, message, { requestType: msg.requestType, requestId: msg.requestId });
}
