// Prism SDK, pure part: when to try again after the signaling socket dropped.

/**
 * When to try again after the signaling socket dropped: attempt delays follow `delaysMs` (the last one repeats), and
 * nothing is tried after `timeoutMs` since the drop. Pure: time is passed in, so tests drive it with a fake clock.
 */
export class ReconnectSchedule {
  /**
   * @param {object} [options]
   * @param {number[]} [options.delaysMs=[0, 250, 500, 1000]] delay before attempt 1, 2, ...
   * @param {number} [options.timeoutMs=30000] give up this long after the drop
   */
  constructor({ delaysMs = [0, 250, 500, 1000], timeoutMs = 30000 } = {}) {
    if (!Array.isArray(delaysMs) || delaysMs.length === 0) throw new TypeError('delaysMs must be a non-empty array');
    this._delays = delaysMs;
    this._timeoutMs = timeoutMs;
    this._startedAt = null;
    this._attempts = 0;
  }

  /** The socket dropped at `nowMs`: starts counting. */
  start(nowMs) {
    this._startedAt = nowMs;
    this._attempts = 0;
  }

  /** Attempts made since {@link start}. */
  get attempts() {
    return this._attempts;
  }

  /** Milliseconds since the drop. */
  elapsed(nowMs) {
    return this._startedAt === null ? 0 : nowMs - this._startedAt;
  }

  /**
   * The delay before the next attempt, counting it as made; null when the time is up (give up).
   * @param {number} nowMs
   */
  next(nowMs) {
    if (this._startedAt === null) throw new Error('ReconnectSchedule.next before start');
    const delay = this._delays[Math.min(this._attempts, this._delays.length - 1)];
    if (nowMs + delay - this._startedAt > this._timeoutMs) return null;
    this._attempts++;
    return delay;
  }
}
