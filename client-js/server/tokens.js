// Prism tokens for Node backends: compact HS256 JWTs signed with the node's API secret (docs/PROTOCOL.md "Connecting",
// docs/API.md "Authentication"). Claims are written in the order Prism's own TokenService writes them, so the same
// grants give the same bytes as the Java SDK and the node.
import { createHmac } from 'node:crypto';

/** A participant token's lifetime unless `ttlSeconds` says otherwise (6 hours). */
export const DEFAULT_PARTICIPANT_TTL_SECONDS = 6 * 3600;
/** A server API token's lifetime unless `ttlSeconds` says otherwise (5 minutes). */
export const DEFAULT_ADMIN_TTL_SECONDS = 300;
/** The node's floor for secrets (docs/API.md). */
export const MIN_SECRET_LENGTH = 32;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const RESERVED = new Set(['room', 'sub', 'name', 'canPublish', 'canSubscribe', 'iat', 'exp', 'nbf', 'codec',
  'canData', 'roomAdmin']);

/**
 * A participant's access token for `/ws?token=`.
 * @param {string} secret the API secret, or the secret of the extra key `keyId`
 * @param {object} options `room`, `identity` (required); `name`; `canPublish`, `canSubscribe`, `canData` (default
 *   true); `codec` ('vp8' | 'h264'); `ttlSeconds`; `keyId` (the `kid` header); `claims` (other grants);
 *   `now` (epoch seconds, for tests)
 * @returns {string} the JWT
 */
export function createToken(secret, options = {}) {
  const { room, identity, name, canPublish = true, canSubscribe = true, canData = true, codec,
    ttlSeconds = DEFAULT_PARTICIPANT_TTL_SECONDS, keyId, claims = {}, now } = options;
  if (typeof room !== 'string' || !room.trim()) throw new TypeError('a token needs a room');
  if (typeof identity !== 'string' || !identity.trim()) throw new TypeError('a token needs an identity');
  if (codec != null && codec !== 'vp8' && codec !== 'h264') throw new TypeError('codec must be vp8 or h264');
  for (const [grant, value] of Object.entries({ canPublish, canSubscribe, canData })) {
    if (typeof value !== 'boolean') throw new TypeError(`${grant} must be a boolean`);
  }
  const iat = issuedAt(now);
  const payload = { room, sub: identity };
  if (name != null) payload.name = String(name);
  payload.canPublish = canPublish;
  payload.canSubscribe = canSubscribe;
  payload.iat = iat;
  payload.exp = iat + lifetime(ttlSeconds);
  if (codec != null) payload.codec = codec;
  if (!canData) payload.canData = false; // absent means granted, as the node writes it
  for (const [claim, value] of Object.entries(claims)) {
    if (RESERVED.has(claim)) throw new TypeError(`claim '${claim}' is set by its own option`);
    payload[claim] = value;
  }
  return sign(secret, keyId, payload);
}

/**
 * A server API token: `{sub, roomAdmin: true, iat, exp}`. Keep it short-lived.
 * @param {string} secret
 * @param {object} [options] `subject` (names the backend in the node's logs); `ttlSeconds` (default 300); `keyId`;
 *   `now` (epoch seconds)
 */
export function createRoomAdminToken(secret, options = {}) {
  const { subject, ttlSeconds = DEFAULT_ADMIN_TTL_SECONDS, keyId, now } = options;
  const iat = issuedAt(now);
  const payload = {};
  if (subject != null) payload.sub = String(subject);
  payload.roomAdmin = true;
  payload.iat = iat;
  payload.exp = iat + lifetime(ttlSeconds);
  return sign(secret, keyId, payload);
}

function sign(secret, keyId, payload) {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`the API secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (keyId != null && !KEY_ID.test(keyId)) throw new TypeError('a key id is 1-64 of A-Z a-z 0-9 . _ -');
  const header = keyId == null ? { alg: 'HS256', typ: 'JWT' } : { alg: 'HS256', typ: 'JWT', kid: keyId };
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

function b64(json) {
  return Buffer.from(json, 'utf8').toString('base64url');
}

function issuedAt(now) {
  const t = now ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(t) || t < 0) throw new TypeError('now must be whole epoch seconds');
  return t;
}

function lifetime(ttlSeconds) {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError('ttlSeconds must be a positive integer');
  return ttlSeconds;
}
