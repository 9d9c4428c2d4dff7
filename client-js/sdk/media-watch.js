// Prism SDK, pure part: when expected remote media counts as missing (media repair, docs/SDK.md).

/**
 * Decides when expected remote media counts as missing: for each subscribed track it remembers the last time its
 * progress counter (frames decoded for video, packets for audio) moved; a track that should flow (not muted) and has
 * not moved for `missingMs` is reported, then again at most every `missingMs`. Pure: time and counters come in.
 */
export class MediaWatch {
  /** @param {object} [options] @param {number} [options.missingMs=4000] */
  constructor({ missingMs = 4000 } = {}) {
    this._missingMs = missingMs;
    /** trackId -> {count, since, reportedAt} */
    this._watched = new Map();
  }

  /**
   * One observation round.
   * @param {number} nowMs
   * @param {Array<{trackId: string, expected: boolean, count: number|null}>} observed every subscribed track: whether
   *   media is expected (not muted) and its progress counter (null when its stats are missing)
   * @returns {Array<{trackId: string, issue: string}>} tracks to repair now (issue: no_media when nothing ever
   *   arrived, stalled when it stopped)
   */
  observe(nowMs, observed) {
    const seen = new Set();
    const due = [];
    for (const { trackId, expected, count } of observed) {
      seen.add(trackId);
      const c = typeof count === 'number' ? count : -1;
      let w = this._watched.get(trackId);
      if (!w) {
        w = { count: c, since: nowMs, reportedAt: -Infinity };
        this._watched.set(trackId, w);
      }
      if (!expected || (c > w.count && c > 0)) { // stats appearing with a zero count is no progress
        w.count = Math.max(w.count, c);
        w.since = nowMs;
        continue;
      }
      if (nowMs - w.since >= this._missingMs && nowMs - w.reportedAt >= this._missingMs) {
        w.reportedAt = nowMs;
        due.push({ trackId, issue: c <= 0 ? 'no_media' : 'stalled' });
      }
    }
    for (const id of [...this._watched.keys()]) if (!seen.has(id)) this._watched.delete(id);
    return due;
  }
}
