// A client for a Prism node's server API (/api/v1, docs/API.md) for Node backends: rooms, participants, track mutes,
// data messages and the webhook replay endpoint. Every call carries a fresh room admin token (5 minutes) signed with
// the given secret; a refusal rejects with a PrismApiError carrying the node's status, code and message.
import { createRoomAdminToken } from './tokens.js';

export const DEFAULT_TIMEOUT_MS = 15000;

/** A refusal from the server API: `status` (e.g. 404), `code` (e.g. 'not_found', or 'http_<status>' for an answer
 *  that is not the API's JSON) and the node's `message`. A refused call changed nothing. */
export class PrismApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'PrismApiError';
    this.status = status;
    this.code = code;
  }
}

export class PrismApi {
  /**
   * @param {string | URL} url the node, e.g. 'http://127.0.0.1:8080'
   * @param {object} options `secret` (required: the API secret, or the secret of `keyId`); `keyId`; `subject`
   *   (the tokens' sub, default 'prism-server-sdk'); `timeoutMs` (default 15000); `fetch` (default globalThis.fetch)
   */
  constructor(url, options = {}) {
    const { secret, keyId, subject = 'prism-server-sdk', timeoutMs = DEFAULT_TIMEOUT_MS, fetch = globalThis.fetch } =
      options;
    createRoomAdminToken(secret, { keyId, subject }); // refuses a short secret or a bad key id now
    this.base = String(url).replace(/\/+$/, '');
    this.token = () => createRoomAdminToken(secret, { keyId, subject });
    this.timeoutMs = timeoutMs;
    this.fetch = fetch;
  }

  /** Creates a room with options (`name`, `maxParticipants`, `emptyTimeout`, `metadata`) or replaces its options. */
  async createRoom(options) {
    return this.call('POST', '/rooms', options);
  }

  /** The node's live rooms and the rooms created through the API. */
  async listRooms() {
    return (await this.call('GET', '/rooms')).rooms;
  }

  async getRoom(room) {
    return this.call('GET', `/rooms/${seg(room)}`);
  }

  /** Removes everyone (room_closed) and forgets the room's options. */
  async deleteRoom(room) {
    return this.call('DELETE', `/rooms/${seg(room)}`);
  }

  /** Participants in join order: `{identity, name, permissions, metadata, tracks}`. */
  async listParticipants(room) {
    return (await this.call('GET', `/rooms/${seg(room)}/participants`)).participants;
  }

  async getParticipant(room, identity) {
    return this.call('GET', participantPath(room, identity));
  }

  /** Removes a participant: its client is told `removed`, the others see it leave. */
  async removeParticipant(room, identity) {
    return this.call('DELETE', participantPath(room, identity));
  }

  /**
   * Changes permissions and/or metadata, live; resolves to the participant after the change.
   * @param {object} update `permissions` ({canPublish, canSubscribe, canData}, absent ones unchanged) and/or
   *   `metadata` (a string, or null to clear)
   */
  async updateParticipant(room, identity, update) {
    return this.call('PATCH', participantPath(room, identity), update);
  }

  /** Mutes or unmutes a published track; resolves to `{trackId, muted}`. */
  async muteTrack(room, identity, trackId, muted) {
    return this.call('POST', `${participantPath(room, identity)}/tracks/${seg(trackId)}/mute`, { muted: !!muted });
  }

  /**
   * A data message from the server to the room, or to `to` (identities); resolves to `{delivered, unknown}`.
   * @param {unknown} payload any JSON value, at most 16 KiB encoded
   */
  async sendData(room, payload, { to } = {}) {
    const body = { payload };
    if (to && to.length) body.to = [...to];
    return this.call('POST', `/rooms/${seg(room)}/data`, body);
  }

  /** The room's kept webhook events with `seq > after`, oldest first (docs/WEBHOOKS.md "Replay"). */
  async events(room, after = 0) {
    if (!Number.isInteger(after) || after < 0) throw new TypeError('after must be a whole number');
    return (await this.call('GET', `/rooms/${seg(room)}/events?after=${after}`)).events;
  }

  async call(method, path, body) {
    const headers = { authorization: `Bearer ${this.token()}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(`${this.base}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (text && json === undefined) throw new Error(`${method} ${path}: the node's answer is not JSON`);
      return json;
    }
    if (json && typeof json.error === 'string') {
      throw new PrismApiError(response.status, json.error, typeof json.message === 'string' ? json.message : json.error);
    }
    throw new PrismApiError(response.status, `http_${response.status}`, text.trim().slice(0, 200));
  }
}

function participantPath(room, identity) {
  return `/rooms/${seg(room)}/participants/${seg(identity)}`;
}

/** A path segment, percent-encoded (an identity may hold '/', '@', spaces). */
function seg(value) {
  if (typeof value !== 'string' || !value) throw new TypeError('a room, identity or track id must be a non-empty string');
  return encodeURIComponent(value);
}
