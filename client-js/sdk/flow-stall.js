// Prism SDK, pure part: when a steady flow of received bytes has stopped (the network path died), see transport-watch.js.

/**
 * Judges samples of a received-bytes counter (both peer connections' transports, summed). A flow is *steady* once it
 * has grown at samples no more than `maxGapMs` apart for `steadyMs`: a connection carrying media or transport-cc
 * feedback grows at every sample (packets every 20-50 ms), one carrying only a sender report a second never is. A
 * steady flow that then stands still for `stallMs` has stalled: reported once, after which the flow must be steady
 * again before it is judged again. A counter that went down (new connections) starts over. Only a steady flow is
 * judged, so a quiet connection (muted tracks, nobody else in the room) is never taken for a dead one, and the
 * threshold can be short: its cost when wrong is one ICE restart over a path that still works.
 * Pure: time and the counter come in.
 */
export class FlowStall {
  /**
   * @param {object} [options]
   * @param {number} [options.stallMs=600] how long a steady flow may stand still
   * @param {number} [options.steadyMs=stallMs] how long it must have grown to count as steady
   * @param {number} [options.maxGapMs=stallMs/2] growth further apart than this breaks the steady run
   */
  constructor({ stallMs = 600, steadyMs = stallMs, maxGapMs = stallMs / 2 } = {}) {
    this._stallMs = stallMs;
    this._steadyMs = steadyMs;
    this._maxGapMs = maxGapMs;
    this.reset();
  }

  /** Forgets the flow (new connections, a resumed session). */
  reset() {
    this._bytes = -1;
    this._grewAt = -1;
    this._steadySince = -1;
  }

  /**
   * One sample.
   * @param {number} nowMs
   * @param {number} bytes the counter now
   * @returns {boolean} true when the flow has just stalled (once per stall)
   */
  sample(nowMs, bytes) {
    if (this._bytes < 0 || bytes < this._bytes) {
      this._bytes = bytes;
      this._grewAt = -1;
      this._steadySince = -1;
      return false;
    }
    if (bytes > this._bytes) {
      this._bytes = bytes;
      if (this._grewAt < 0 || this._steadySince < 0 || nowMs - this._grewAt > this._maxGapMs) this._steadySince = nowMs;
      this._grewAt = nowMs;
      return false;
    }
    if (!this.steady() || nowMs - this._grewAt < this._stallMs) return false;
    this._steadySince = -1; // once per stall: the flow must be steady again first
    return true;
  }

  /** Whether the flow is steady (judged when it stops). */
  steady() {
    return this._steadySince >= 0 && this._grewAt - this._steadySince >= this._steadyMs;
  }
}
