// Checking the webhooks a Prism node posts (docs/WEBHOOKS.md "Delivery"): header Prism-Signature =
// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with the API secret (or the key Prism-Key-Id names),
// a t within the tolerance of now, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'prism-signature';
export const KEY_ID_HEADER = 'prism-key-id';
export const EVENT_ID_HEADER = 'prism-event-id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A request that is not a genuine, recent Prism event; `message` says why. Answer it with 401. */
export class WebhookVerificationError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'WebhookVerificationError';
  }
}

/**
 * Verifies a webhook and returns its event, parsed.
 * @param {string | Record<string, string>} secrets the API secret, or secrets by key id ('default' for the API secret)
 * @param {string | undefined} signatureHeader the Prism-Signature header
 * @param {string | Buffer} rawBody the body exactly as received, before any JSON parsing
 * @param {object} [options] `keyId` (the Prism-Key-Id header); `toleranceSeconds` (default 300); `now` (epoch seconds)
 * @returns {object} the event: `id`, `event`, `room`, `roomSid`, `seq`, `createdAt`, ...
 * @throws {WebhookVerificationError}
 */
export function verifyWebhook(secrets, signatureHeader, rawBody, options = {}) {
  checkSignature(secrets, signatureHeader, rawBody, options);
  let event;
  try {
    event = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
  } catch (e) {
    throw new WebhookVerificationError(`signed, but not an event: ${e.message}`);
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new WebhookVerificationError('signed, but not an event: not a JSON object');
  }
  for (const field of ['id', 'event', 'room', 'roomSid']) {
    if (typeof event[field] !== 'string') {
      throw new WebhookVerificationError(`signed, but not an event: event field '${field}' missing or not a string`);
    }
  }
  return event;
}

/** True if the signature is valid and recent (the body is not parsed); for receivers that need a yes or no. */
export function isValidWebhook(secrets, signatureHeader, rawBody, options = {}) {
  try {
    checkSignature(secrets, signatureHeader, rawBody, options);
    return true;
  } catch (e) {
    if (e instanceof WebhookVerificationError) return false;
    throw e;
  }
}

function checkSignature(secrets, signatureHeader, rawBody, options) {
  const { keyId, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) } = options;
  if (!signatureHeader) throw new WebhookVerificationError('no Prism-Signature header');
  if (rawBody == null) throw new WebhookVerificationError('no body');
  const byId = typeof secrets === 'string' ? { default: secrets } : secrets;
  const secret = Object.hasOwn(byId, keyId ?? 'default') ? byId[keyId ?? 'default'] : undefined;
  if (!secret) throw new WebhookVerificationError('unknown key id');
  let t;
  let v1;
  for (const part of String(signatureHeader).split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') t = value;
    else if (name === 'v1' && v1 === undefined) v1 = value;
  }
  if (t === undefined || v1 === undefined || !/^[0-9]{1,12}$/.test(t)) {
    throw new WebhookVerificationError('malformed Prism-Signature header');
  }
  if (Math.abs(now - Number(t)) > toleranceSeconds) {
    throw new WebhookVerificationError('signature timestamp outside the tolerance');
  }
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex'), 'ascii');
  const given = Buffer.from(v1.toLowerCase(), 'ascii');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new WebhookVerificationError('bad signature');
  }
}
