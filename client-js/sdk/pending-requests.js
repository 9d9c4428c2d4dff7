// Prism SDK, pure part: outstanding requests and the replies that settle them. Timers are injectable for tests.

import { PrismError } from './prism-error.js';
import { errorFromMessage } from './wire.js';

/**
 * Outstanding requests and how replies find them.
 *
 * A reply settles a request when (1) it echoes the request's `requestId` and has the expected reply type (and passes
 * the request's `match`, if any), or else (2) it is the oldest request expecting that reply type whose `match`
 * accepts it — or, without a `match`, when the reply carries no requestId at all. Rule (2) covers replies the
 * protocol does not tag (`state`, the broadcast `trackMuted` that answers `mute`). An `error` settles by requestId,
 * or without one by `requestType`. Every request times out.
 */
export class PendingRequests {
  /**
   * @param {object} [options]
   * @param {number} [options.timeoutMs=10000]
   * @param {Function} [options.setTimer] setTimeout-compatible, injectable for tests
   * @param {Function} [options.clearTimer] clearTimeout-compatible
   */
  constructor({ timeoutMs = 10000, setTimer, clearTimer } = {}) {
    this._timeoutMs = timeoutMs;
    // Wrapped, not stored bare: browsers throw 'Illegal invocation' when setTimeout is called with another `this`.
    this._setTimer = setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this._clearTimer = clearTimer ?? ((timer) => clearTimeout(timer));
    this._next = 1;
    /** requestId -> entry; Map keeps insertion order, i.e. age. */
    this._pending = new Map();
  }

  get size() {
    return this._pending.size;
  }

  /**
   * Registers a request.
   * @param {object} message the request without requestId
   * @param {string} replyType the message type that answers it
   * @param {(msg: object) => boolean} [match] extra condition for untagged replies
   * @returns {{message: object, promise: Promise<object>}} the message with its requestId, and the reply
   */
  open(message, replyType, match) {
    const requestId = String(this._next++);
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const tagged = { ...message, requestId };
    const entry = { requestId, requestType: message.type, replyType, match, resolve, reject, timer: null, message: tagged };
    entry.timer = this._setTimer(() => {
      if (this._pending.get(requestId) !== entry) return;
      this._pending.delete(requestId);
      reject(new PrismError('timeout', `no ${replyType} for ${message.type} within ${this._timeoutMs} ms`,
        { requestType: message.type, requestId }));
    }, this._timeoutMs);
    this._pending.set(requestId, entry);
    return { message: tagged, promise };
  }

  /**
   * Sends every outstanding request again, oldest first (after a resumed connection: the server may never have seen
   * them, and the protocol's requests are safe to repeat). A send that throws rejects its request.
   * @param {(message: object) => void} send
   */
  resendAll(send) {
    for (const entry of [...this._pending.values()]) {
      try {
        send(entry.message);
      } catch (e) {
        if (this._pending.get(entry.requestId) === entry) this._finish(entry).reject(e);
      }
    }
  }

  /** Offers a server message to the outstanding requests. @returns {boolean} whether one was settled */
  settle(msg) {
    if (msg.type === 'error') return this._settleError(msg);
    const tagged = msg.requestId != null ? this._pending.get(String(msg.requestId)) : undefined;
    if (tagged && tagged.replyType === msg.type && (!tagged.match || tagged.match(msg))) {
      this._finish(tagged).resolve(msg);
      return true;
    }
    for (const entry of this._pending.values()) {
      if (entry.replyType !== msg.type) continue;
      if (entry.match ? entry.match(msg) : msg.requestId == null) {
        this._finish(entry).resolve(msg);
        return true;
      }
    }
    return false;
  }

  /** Rejects a request locally (e.g. it could not be sent). */
  fail(requestId, error) {
    const entry = this._pending.get(requestId);
    if (entry) this._finish(entry).reject(error);
  }

  /** Rejects everything outstanding (disconnect). */
  rejectAll(error) {
    for (const entry of [...this._pending.values()]) this._finish(entry).reject(error);
  }

  _settleError(msg) {
    let entry;
    if (msg.requestId != null) {
      entry = this._pending.get(String(msg.requestId));
    } else if (typeof msg.requestType === 'string') {
      entry = [...this._pending.values()].find((e) => e.requestType === msg.requestType);
    }
    if (!entry) return false;
    this._finish(entry).reject(errorFromMessage(msg));
    return true;
  }

  _finish(entry) {
    this._pending.delete(entry.requestId);
    this._clearTimer(entry.timer);
    return entry;
  }
}
