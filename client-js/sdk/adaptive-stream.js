// Prism SDK: adaptive stream on the subscriber side. Each subscribed video track's `trackPreferences` follow the
// size and visibility of the <video> elements it plays in, without the app doing anything: a small tile asks for a
// small layer, a tile scrolled out of view or a hidden page asks for nothing (paused). The server then forwards
// less, and (dynacast) tells the publisher to stop encoding what nobody needs.

/**
 * The preference for one track from the elements showing it. Pure.
 * @param {{height: number, visible: boolean}[]} views each element's CSS height and whether it is on screen
 * @param {{documentHidden?: boolean, devicePixelRatio?: number, oversize?: number}} page `oversize`: how much taller
 *   than the element a layer may be and still be chosen (the server takes the highest layer at or below maxHeight;
 *   without margin a 650 px tile would get 360 lines rather than 720)
 * @returns {{maxHeight: number, paused: boolean}}
 */
export function preferenceFor(views, { documentHidden = false, devicePixelRatio = 1, oversize = 1.5 } = {}) {
  let tallest = 0;
  for (const v of views) if (v && v.visible && v.height > tallest) tallest = v.height;
  if (documentHidden || tallest <= 0) return { maxHeight: 0, paused: true };
  return { maxHeight: Math.max(1, Math.round(tallest * (devicePixelRatio || 1) * oversize)), paused: false };
}

/** Whether `next` differs enough from what was sent (`last`, null before anything) to tell the server. Pure. */
export function worthSending(last, next, minChange = 0.15) {
  if (!last) return true;
  if (last.paused !== next.paused) return true;
  if (next.paused) return false;
  return Math.abs(next.maxHeight - last.maxHeight) > minChange * Math.max(last.maxHeight, 1);
}

/**
 * Watches the page's <video> elements: every `scanMs` it finds those whose srcObject holds a subscribed remote video
 * track, and observes their size (ResizeObserver), their visibility (IntersectionObserver) and the page's
 * (visibilitychange). Changes are debounced (`debounceMs`, at most 4x that while they keep coming), then each track's
 * preference is sent when {@link worthSending}. A track is judged only once both observers reported on one of its
 * elements (a page whose observers stay silent keeps the server's defaults); once shown and then in no element any
 * more, it is paused. A track the app sets preferences for ({@link manual}) is left alone. Does nothing without a DOM.
 *
 * Owned by a {@link PrismClient}. Runs on the page's event loop; `env` stands for the page (tests pass a fake).
 */
export class AdaptiveStream {
  constructor(client, { enabled = true, debounceMs = 250, scanMs = 500, oversize = 1.5, env = globalThis } = {}) {
    this._client = client;
    this._enabled = enabled;
    this._debounceMs = debounceMs;
    this._scanMs = scanMs;
    this._oversize = oversize;
    this._env = env;
    /** element -> {trackId, height, visible} */
    this._views = new Map();
    /** trackId -> the preference sent last */
    this._sent = new Map();
    this._manual = new Set();
    this._timer = null;
    this._firstPendingAt = null;
    this._onVisibility = () => this._schedule();
  }

  get running() {
    return this._scanTimer != null;
  }

  start() {
    const env = this._env;
    if (!this._enabled || this.running || !env.document || !env.ResizeObserver || !env.IntersectionObserver) return;
    this._resize = new env.ResizeObserver((entries) => {
      for (const e of entries) this._update(e.target, { height: e.contentRect?.height ?? 0 });
    });
    this._intersect = new env.IntersectionObserver((entries) => {
      for (const e of entries) this._update(e.target, { visible: !!e.isIntersecting });
    });
    env.document.addEventListener?.('visibilitychange', this._onVisibility);
    this._scanTimer = env.setInterval(() => this.scan(), this._scanMs);
    this.scan();
  }

  stop() {
    const env = this._env;
    if (!this.running) return;
    env.clearInterval(this._scanTimer);
    this._scanTimer = null;
    if (this._timer != null) env.clearTimeout(this._timer);
    this._timer = null;
    this._resize.disconnect();
    this._intersect.disconnect();
    env.document.removeEventListener?.('visibilitychange', this._onVisibility);
    this._views.clear(); // what was sent stays: a resumed session keeps its preferences on the server
  }

  /** After a fresh join the server knows no preferences: everything is sent again, the app's choices are gone. */
  forget() {
    this._sent.clear();
    this._manual.clear();
  }

  /** Whether adaptive stream paused this track (media repair then expects nothing of it). */
  isPaused(trackId) {
    return this._sent.get(trackId)?.paused === true;
  }

  /** The app set this track's preferences itself: adaptive stream keeps off it. */
  manual(trackId) {
    this._manual.add(trackId);
  }

  /** Finds the elements playing subscribed video tracks; observes new ones, forgets gone ones. */
  scan() {
    const byMedia = new Map();
    for (const { track } of this._client.subscriptions()) {
      if (track?.kind === 'video' && track.mediaStreamTrack) byMedia.set(track.mediaStreamTrack, track.id);
    }
    const found = new Map();
    for (const el of this._env.document.querySelectorAll('video')) {
      const tracks = el.srcObject?.getVideoTracks?.() ?? [];
      const hit = tracks.find((t) => byMedia.has(t));
      if (hit) found.set(el, byMedia.get(hit));
    }
    let changed = false;
    for (const [el, view] of this._views) {
      if (found.get(el) !== view.trackId) {
        this._resize.unobserve(el);
        this._intersect.unobserve(el);
        this._views.delete(el);
        changed = true;
      }
    }
    for (const [el, trackId] of found) {
      if (this._views.has(el)) continue;
      this._views.set(el, { trackId, height: null, visible: null }); // until both observers have reported
      this._resize.observe(el);
      this._intersect.observe(el);
      changed = true;
    }
    const subscribed = new Set(byMedia.values());
    for (const id of this._sent.keys()) if (!subscribed.has(id)) this._sent.delete(id);
    if (changed) this._schedule();
  }

  _update(el, change) {
    const view = this._views.get(el);
    if (!view) return;
    Object.assign(view, change);
    this._schedule();
  }

  /** Debounce: evaluate `debounceMs` after the last change, or at most 4x that after the first. */
  _schedule() {
    const env = this._env;
    const now = env.performance?.now?.() ?? Date.now();
    if (this._firstPendingAt == null) this._firstPendingAt = now;
    if (this._timer != null) env.clearTimeout(this._timer);
    const waited = now - this._firstPendingAt;
    this._timer = env.setTimeout(() => this.evaluate(), Math.max(0, Math.min(this._debounceMs,
      4 * this._debounceMs - waited)));
  }

  /** Sends each managed track's preference when it changed enough. */
  evaluate() {
    this._timer = null;
    this._firstPendingAt = null;
    if (this._client.state !== 'connected') return;
    const byTrack = new Map();
    for (const id of this._sent.keys()) byTrack.set(id, []); // shown before: paused when in no element now
    for (const view of this._views.values()) {
      if (!byTrack.has(view.trackId)) byTrack.set(view.trackId, []);
      byTrack.get(view.trackId).push(view);
    }
    const page = { documentHidden: this._env.document.visibilityState === 'hidden',
      devicePixelRatio: this._env.devicePixelRatio ?? 1, oversize: this._oversize };
    for (const [trackId, views] of byTrack) {
      const known = views.filter((v) => v.height != null && v.visible != null);
      if (this._manual.has(trackId) || (views.length > 0 && known.length === 0)) continue; // not measured yet
      const next = preferenceFor(known, page);
      if (!worthSending(this._sent.get(trackId), next)) continue;
      this._sent.set(trackId, next);
      this._client.setTrackPreferences(trackId, next, { adaptive: true })
        .catch(() => this._sent.delete(trackId)); // unsubscribed meanwhile, or disconnected: tried again later
    }
  }
}
