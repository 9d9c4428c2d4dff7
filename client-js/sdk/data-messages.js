// Prism SDK: in-room data messages over the signaling WebSocket (docs/PROTOCOL.md, "Data messages"), and the server
// API's notices about this participant (grants, metadata). PrismClient#sendData calls sendData here.

import { PrismError } from './prism-error.js';

/** The server's limit on one message's payload, in bytes of its JSON/UTF-8 form. */
export const MAX_DATA_BYTES = 16 * 1024;

/**
 * PrismClient#sendData: a small message to everyone else in the room, or to the identities in `to`. Delivered in
 * order, with this participant's identity, over the signaling WebSocket (reliable; no data channel).
 * @param {object} client the PrismClient
 * @param {*} payload a string or any JSON value, at most 16 KiB encoded
 * @param {{to?: string[]}} [options]
 * @returns {Promise<{delivered: number, unknown: string[]}>} how many received it; named identities not in the room
 * @throws {PrismError} `data_too_large`, `data_rate_limited` (over 20 a second, bursts of 60), `not_allowed` (the
 *   token has `canData: false`), `bad_request`, `not_connected`
 */
export async function sendData(client, payload, { to } = {}) {
  if (payload === undefined) throw new PrismError('bad_request', 'sendData needs a payload');
  if (to !== undefined && (!Array.isArray(to) || !to.every((id) => typeof id === 'string' && id))) {
    throw new PrismError('bad_request', 'to must be an array of identities');
  }
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_DATA_BYTES) {
    throw new PrismError('data_too_large', `the payload is ${bytes} bytes; the limit is ${MAX_DATA_BYTES}`);
  }
  const message = { type: 'sendData', payload };
  if (to !== undefined) message.to = to;
  const reply = await client._request(message, 'dataAck');
  return { delivered: reply.delivered ?? 0, unknown: Array.isArray(reply.unknown) ? reply.unknown : [] };
}

/**
 * Emits what the server says about data and this participant; returns false for any other message type.
 *   data                -> 'dataReceived' ({payload, from, fromServer, participant})
 *   permissionsChanged  -> 'permissionsChanged' ({canPublish, canSubscribe, canData})
 *   participantMetadata -> 'participantMetadata' ({participantId, metadata, participant})
 *   roomMetadata        -> 'roomMetadata' ({metadata})
 */
export function handleDataMessage(client, msg) {
  switch (msg.type) {
    case 'data': {
      const fromServer = msg.server === true;
      const from = fromServer ? null : String(msg.from ?? '');
      client._emit('dataReceived', { payload: msg.payload, from, fromServer,
        participant: from ? client._model.participants.get(from) ?? null : null });
      return true;
    }
    case 'permissionsChanged': {
      const p = msg.permissions ?? {};
      client._emit('permissionsChanged', { canPublish: p.canPublish !== false, canSubscribe: p.canSubscribe !== false,
        canData: p.canData !== false });
      return true;
    }
    case 'participantMetadata': {
      const id = String(msg.participantId ?? '');
      const local = client._model.local;
      client._emit('participantMetadata', { participantId: id, metadata: msg.metadata ?? null,
        participant: local && local.id === id ? local : client._model.participants.get(id) ?? null });
      return true;
    }
    case 'roomMetadata':
      client._emit('roomMetadata', { metadata: msg.metadata ?? null });
      return true;
    default:
      return false;
  }
}
