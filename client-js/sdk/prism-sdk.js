// Prism browser SDK: one WebSocket for signaling, a publisher RTCPeerConnection the client offers on and a
// subscriber RTCPeerConnection the server offers on (docs/PROTOCOL.md). Dependency-free ES module, no build step.
//
//   import { PrismClient } from '/sdk/prism-sdk.js';
//   const { token } = await PrismClient.devToken('demo', 'Alice');
//   const client = new PrismClient({ token });
//   client.on('trackSubscribed', (track, participant) => attach(track.mediaStreamTrack));
//   await client.connect();
//   await client.publish({ audio: true, video: true });
//
// The room bookkeeping lives in prism-state.js (pure, unit-tested under node); this file does the I/O.
// API reference: docs/SDK.md.

import {
  MediaWatch,
  PendingRequests,
  PrismError,
  ReconnectSchedule,
  RoomModel,
  SOURCE_FOR_KIND,
  errorFromMessage,
  parseServerMessage,
} from './prism-state.js';

export { PrismError, SOURCE_FOR_KIND };

/** Event names {@link PrismClient#on} accepts, with their listener arguments (see docs/SDK.md). */
export const EVENTS = Object.freeze([
  'participantJoined', // (participant)
  'participantLeft', // (participant, reason)
  'trackPublished', // (track, participant)            local or remote: check participant.isLocal
  'trackUnpublished', // (track, participant)
  'trackSubscribed', // (track, participant)           track.mediaStreamTrack is set
  'trackUnsubscribed', // (track, participant)
  'trackMuted', // (track, participant)                 track.muted is the new state; local or remote
  'stateChanged', // (state, previousState)    'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected'
  'reconnecting', // ({code, reason})                   the signaling socket dropped; media keeps flowing meanwhile
  'reconnected', // ({resumed, ms, attempts})           resumed: same session, nobody noticed; else joined afresh
  'repair', // ({track, participant, issue, action})    expected media was missing and the server repaired it
  'error', // (PrismError)                              errors not tied to a call the app awaits
  'disconnected', // ({code, reason, wasClean, left, leftReason})
]);

const PC_CONFIG = Object.freeze({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
const DEFAULT_VIDEO = Object.freeze({ width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } });
/**
 * Camera simulcast: three VP8 encodings, lowest resolution first (the server reads the spatial layer from this order).
 * For a 1280x720 camera: 320x180, 640x360, 1280x720. Each subscriber gets the one its downlink carries.
 */
const SIMULCAST_ENCODINGS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 }),
  Object.freeze({ rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_700_000 }),
]);
const LEAVE_CLOSE_GRACE_MS = 1500;
const PROBE_TIMEOUT_MS = 3000;
/**
 * Close codes after which the session is over for good: media connection closed (4000), replaced (4001), removed by an
 * operator (4004), room closed by an operator (4005).
 */
const TERMINAL_CLOSE_CODES = new Set([4000, 4001, 4004, 4005]);
/** The server refused a resume token (spent or expired): the next attempt joins afresh. */
const RESUME_FAILED = 4002;
/** How long a peer connection may stay ICE-'disconnected' before the SDK restarts ICE. */
const ICE_DISCONNECTED_GRACE_MS = 3000;

/**
 * One participant's connection to a Prism room.
 *
 * Lifecycle: `idle` -> `connecting` -> `connected` <-> `reconnecting` -> `disconnected` (terminal; make a new client to
 * rejoin). When the signaling socket drops, the client reconnects on its own and presents its resume token: within the
 * server's resume window it gets its session back (same identity and tracks, media never stopped, nobody else notices);
 * after it, it joins afresh and publishes its tracks again. Peer connections whose ICE fails are restarted, and
 * expected remote media that stops arriving is reported to the server, which repairs it.
 * All callbacks run on the page's event loop; listener exceptions are logged and never break the client.
 */
export class PrismClient {
  /**
   * @param {object} options
   * @param {string} options.token access token (JWT); sent as `?token=` on the WebSocket URL
   * @param {string} [options.url] WebSocket endpoint, absolute or relative to the page (default `/ws`);
   *   http(s) URLs are turned into ws(s)
   * @param {RTCIceServer[]} [options.iceServers] used when the server's welcome lists none (default none)
   * @param {number} [options.requestTimeoutMs=10000] how long a request waits for its reply
   * @param {number} [options.connectTimeoutMs=15000] how long connect() waits for `welcome`
   * @param {number} [options.keepAliveMs=10000] interval of `ping` messages keeping idle proxies open; a socket that
   *   leaves one unanswered until the next is taken for dead and reconnected; 0 disables
   * @param {boolean} [options.reconnect=true] reconnect (resume) when the signaling socket drops
   * @param {number[]} [options.reconnectDelaysMs=[0, 250, 500, 1000]] delays before successive attempts
   * @param {number} [options.reconnectTimeoutMs=60000] give up (disconnected) this long after a drop
   * @param {number} [options.connectAttemptTimeoutMs=4000] abandon one reconnect attempt after this long
   * @param {number} [options.mediaCheckMs=2000] how often received media is compared with what the server says should
   *   arrive; 0 disables media repair
   * @param {number} [options.mediaMissingMs=4000] expected media missing this long is reported for repair
   * @param {boolean} [options.probeRefusal=true] when the upgrade is refused, GET the same URL to read the server's
   *   HTTP status and reason (browsers hide them from WebSocket)
   * @param {boolean} [options.simulcast=true] publish the camera as three simulcast encodings (320x180, 640x360 and
   *   1280x720 for a 720p camera), so that each subscriber receives the one its downlink carries
   * @param {Function} [options.WebSocket] implementation override (tests)
   * @param {Function} [options.RTCPeerConnection] implementation override (tests)
   */
  constructor(options = {}) {
    if (!options || typeof options.token !== 'string' || options.token === '') {
      throw new PrismError('bad_request', 'PrismClient needs a token');
    }
    this._url = wsUrl(options.url ?? '/ws', options.token);
    this._iceServersOption = Array.isArray(options.iceServers) ? options.iceServers : [];
    this._iceServers = this._iceServersOption;
    this._connectTimeoutMs = options.connectTimeoutMs ?? 15000;
    this._keepAliveMs = options.keepAliveMs ?? 10000;
    this._reconnectEnabled = options.reconnect !== false;
    this._reconnectDelaysMs = options.reconnectDelaysMs ?? [0, 250, 500, 1000];
    this._reconnectTimeoutMs = options.reconnectTimeoutMs ?? 60000;
    this._attemptTimeoutMs = options.connectAttemptTimeoutMs ?? 4000;
    this._mediaCheckMs = options.mediaCheckMs ?? 2000;
    this._mediaWatch = new MediaWatch({ missingMs: options.mediaMissingMs ?? 4000 });
    this._probeRefusal = options.probeRefusal !== false;
    this._WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this._RTCPeerConnection = options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this._simulcast = options.simulcast !== false;

    this._state = 'idle';
    this._listeners = new Map();
    this._model = new RoomModel();
    this._requests = new PendingRequests({ timeoutMs: options.requestTimeoutMs ?? 10000 });
    this._ws = null;
    this._connectWaiter = null;
    this._connectTimer = null;
    this._keepAliveTimer = null;
    this._awaitingReplySince = null;
    this._leaveTimer = null;
    this._mediaTimer = null;
    this._checkingMedia = false;
    /** From welcome: the secret a reconnect presents, and how long the server keeps us after a drop. */
    this._resumeToken = null;
    this._resumeWindowMs = 0;
    /** The reconnect in progress: {schedule, ws, timer, attemptTimer, useResume}, or null. */
    this._reconnect = null;
    this._iceRestarting = null;
    this._onPageHide = () => this._leaveOnUnload();
    this._leaving = false;
    this._selfLeftReason = null;
    /** Serializes subscriber offers: each is applied and answered before the next starts. */
    this._offerQueue = Promise.resolve();
    this._lastOfferVersion = -Infinity;
    /** {version, sdp} of the last answer sent, sent again if the server repeats that offer (its answer was lost). */
    this._lastAnswer = null;
    /** Serializes publisher renegotiations. */
    this._publishQueue = Promise.resolve();
    /** [{kind, source, track, transceiver, owned}] in publish order. */
    this._published = [];

    /** @type {RTCPeerConnection|null} the connection this client offers on (exposed for getStats in tests) */
    this.publisherPc = null;
    /** @type {RTCPeerConnection|null} the connection the server offers on */
    this.subscriberPc = null;
    /** @type {{resumed: boolean, ms: number, attempts: number}|null} how the last reconnect went */
    this.lastReconnect = null;
    /** @type {Array<{at: number, trackId: string, issue: string, action: string}>} media repairs so far */
    this.repairs = [];
    /** ICE restarts so far (both connections count as one). */
    this.iceRestarts = 0;

    this._closed = new Promise((resolve) => {
      this._resolveClosed = resolve;
    });
  }

  /**
   * Asks a development-mode server for a token (`GET /api/dev-token`).
   * @param {string} room
   * @param {string} name display name
   * @param {object} [options]
   * @param {string} [options.baseUrl] server origin, default the page's
   * @param {Function} [options.fetch] fetch override (tests)
   * @returns {Promise<{token: string, identity: string}>}
   * @throws {PrismError} `not_allowed` when the server has an API secret (403), `http_error` otherwise
   */
  static async devToken(room, name, options = {}) {
    const doFetch = options.fetch ?? globalThis.fetch;
    const url = new URL('/api/dev-token', options.baseUrl ?? globalThis.location?.href);
    url.searchParams.set('room', room);
    url.searchParams.set('name', name);
    let res;
    try {
      res = await doFetch(url.href, { cache: 'no-store' });
    } catch (e) {
      throw new PrismError('http_error', `cannot reach ${url.origin}: ${e.message}`, { cause: e });
    }
    if (res.status === 403) {
      throw new PrismError('not_allowed', 'dev tokens are disabled on this server (an API secret is set): pass a token',
        { status: 403 });
    }
    if (!res.ok) {
      const text = await plainReason(res);
      throw new PrismError('http_error', `dev-token: HTTP ${res.status}${text ? ` ${text}` : ''}`, { status: res.status });
    }
    const body = await res.json().catch(() => null);
    if (!body || typeof body.token !== 'string') throw new PrismError('protocol', 'dev-token reply without a token');
    return { token: body.token, identity: body.identity };
  }

  /** 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' */
  get state() {
    return this._state;
  }

  /** The room id from welcome, null before. */
  get roomId() {
    return this._model.roomId;
  }

  /** Remote participants: Map id -> {id, name, canPublish, canSubscribe, isLocal: false, tracks: Map id -> track}. */
  get participants() {
    return this._model.participants;
  }

  /** Self (same shape as a remote participant, isLocal: true); null before welcome. */
  get localParticipant() {
    return this._model.local;
  }

  /** Remote tracks currently subscribed: [{track, participant, mid}]. */
  subscriptions() {
    return this._model.subscriptions();
  }

  /**
   * Registers a listener. @returns {() => void} a function that removes it
   */
  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError('listener must be a function');
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this.off(event, fn);
  }

  off(event, fn) {
    this._listeners.get(event)?.delete(fn);
  }

  /**
   * Opens the WebSocket and waits for `welcome`.
   * @returns {Promise<object>} the local participant
   * @throws {PrismError} `connection_refused` (message carries the server's reason when it can be learned,
   *   `closeCode`/`closeReason`/`status` the details), `timeout`, `bad_state` when called twice
   */
  connect() {
    if (this._state !== 'idle') {
      return Promise.reject(new PrismError('bad_state', `connect() called while ${this._state}`));
    }
    this._setState('connecting');
    return new Promise((resolve, reject) => {
      this._connectWaiter = { resolve, reject };
      let ws;
      try {
        ws = new this._WebSocket(this._url.href);
      } catch (e) {
        this._failConnect(new PrismError('connection_refused', `connection refused: ${e.message}`, { cause: e }));
        return;
      }
      this._ws = ws;
      ws.onmessage = (ev) => this._onMessage(ev.data);
      ws.onclose = (ev) => this._onClose(ev);
      ws.onerror = () => {}; // a close event with the details always follows
      this._connectTimer = setTimeout(() => {
        this._failConnect(new PrismError('timeout', `no welcome within ${this._connectTimeoutMs} ms`));
        ws.close();
      }, this._connectTimeoutMs);
    });
  }

  /**
   * Captures and publishes local media. Calling it again with a kind not yet published adds that track
   * (renegotiating the same publisher connection); kinds already published are skipped.
   * @param {object} [options]
   * @param {boolean|MediaTrackConstraints} [options.audio=true]
   * @param {boolean|MediaTrackConstraints} [options.video=true]
   * @param {MediaStream} [options.stream] publish these tracks instead of calling getUserMedia (the SDK then
   *   leaves them running on leave)
   * @returns {Promise<object[]>} the local track objects published by this call
   * @throws {PrismError} `media` (getUserMedia failed; `cause` is the DOMException), `not_allowed`, a server error,
   *   or `track_refused`: the server refused some tracks (e.g. a browser offering only H.264 video); `refused` lists
   *   them `{mid, kind, reason, message}`, `published` the track objects this call did publish
   */
  async publish({ audio = true, video = true, stream = null } = {}) {
    this._requireConnected();
    if (this._model.local && !this._model.local.canPublish) {
      throw new PrismError('not_allowed', 'this token does not allow publishing');
    }
    const wanted = ['audio', 'video'].filter((kind) => (kind === 'audio' ? audio : video) && !this._publishedKind(kind));
    if (wanted.length === 0) return [];

    let media = stream;
    const owned = !stream;
    if (!media) {
      const constraints = {
        audio: wanted.includes('audio') ? (audio === true ? true : audio) : false,
        video: wanted.includes('video') ? (video === true ? { ...DEFAULT_VIDEO } : video) : false,
      };
      try {
        media = await navigator.mediaDevices.getUserMedia(constraints);
      } catch (e) {
        throw new PrismError('media', `cannot capture ${wanted.join(' and ')}: ${e?.name ?? 'Error'}: ${e?.message ?? e}`,
          { cause: e });
      }
    }
    const picks = [];
    for (const kind of wanted) {
      const track = media.getTracks().find((t) => t.kind === kind && t.readyState !== 'ended');
      if (track) picks.push({ kind, source: SOURCE_FOR_KIND[kind], track });
    }
    if (owned) {
      for (const t of media.getTracks()) if (!picks.some((p) => p.track === t)) t.stop();
    }
    if (picks.length === 0) throw new PrismError('media', 'no audio or video track to publish');
    if (this._state !== 'connected') {
      if (owned) picks.forEach((p) => p.track.stop());
      throw new PrismError('disconnected', 'disconnected while capturing media');
    }

    const run = this._publishQueue.then(() => this._publishPicks(picks, media, owned));
    this._publishQueue = run.catch(() => {});
    return run;
  }

  /**
   * Mutes or unmutes a published track: the track stops/starts sending at once (`enabled`), then the server is told;
   * its `trackMuted` broadcast is the authority and resolves this call.
   * @param {'audio'|'video'|string} kind a kind, or a source name
   * @param {boolean} muted
   * @returns {Promise<boolean>} the muted state the server confirmed
   * @throws {PrismError} `unknown_track` when nothing of that kind is published, or the server's error (the track's
   *   `enabled` then goes back to the server's state)
   */
  async setMuted(kind, muted) {
    this._requireConnected();
    const source = SOURCE_FOR_KIND[kind] ?? kind;
    const track = this._model.findLocalTrack(source);
    if (!track) throw new PrismError('unknown_track', `no published ${kind} track`);
    const media = track.mediaStreamTrack;
    if (media) media.enabled = !muted;
    try {
      await this._request({ type: 'mute', trackId: track.id, muted: !!muted }, 'trackMuted',
        (m) => m.trackId === track.id);
    } catch (e) {
      if (media) media.enabled = !track.muted;
      throw e;
    }
    return track.muted;
  }

  /** Whether the published track of that kind is muted (server view); null when not published. */
  isMuted(kind) {
    const track = this._model.findLocalTrack(SOURCE_FOR_KIND[kind] ?? kind);
    return track ? track.muted : null;
  }

  /** Asks for the full room state and reconciles (events fire for any difference). @returns {Promise<object>} room */
  async getState() {
    const reply = await this._request({ type: 'getState' }, 'state');
    return reply.room;
  }

  /**
   * Tells the server how much of a remote video track this client wants, so that its bandwidth goes where it shows:
   * a small tile needs no 720p, a hidden one nothing at all. The server picks the simulcast layer within these limits
   * (and the downlink estimate). Kept while the track stays subscribed; call again to change.
   * @param {string} trackId a remote track's id
   * @param {object} prefs
   * @param {number} [prefs.maxHeight=0] largest picture height wanted in pixels (e.g. the tile's height x
   *   devicePixelRatio); 0 for no limit
   * @param {number} [prefs.maxTemporal=3] highest temporal layer (0..3): fewer for a lower frame rate
   * @param {boolean} [prefs.paused=false] receive no video for it at all
   * @returns {Promise<object>} what the server applied: `{trackId, maxHeight, maxTemporal, paused}`
   * @throws {PrismError} `unknown_track` when the track is not subscribed, `bad_request` for invalid values
   */
  async setTrackPreferences(trackId, { maxHeight = 0, maxTemporal = 3, paused = false } = {}) {
    const reply = await this._request({ type: 'trackPreferences', trackId, maxHeight: Math.round(maxHeight),
      maxTemporal, paused: !!paused }, 'trackPreferencesAck', (m) => m.trackId === trackId);
    return { trackId: reply.trackId, maxHeight: reply.maxHeight, maxTemporal: reply.maxTemporal, paused: reply.paused };
  }

  /** Round trip through the server. @returns {Promise<number>} milliseconds */
  async ping() {
    const start = now();
    await this._request({ type: 'ping' }, 'pong');
    return now() - start;
  }

  /**
   * ICE restart of both connections (after a network change, e.g. Wi-Fi to cellular): the publisher connection offers
   * with new credentials, the server gives the subscriber connection new ones in its next offer. Media keeps its
   * DTLS/SRTP session. Runs by itself when a connection's ICE fails or stays disconnected; concurrent calls share one
   * restart.
   * @returns {Promise<void>} once both requests were answered
   */
  restartIce() {
    this._requireConnected();
    if (this._iceRestarting) return this._iceRestarting;
    const work = (async () => {
      const jobs = [];
      if (this.publisherPc && this._published.length > 0) {
        const run = this._publishQueue.then(() => this._negotiatePublisher({ iceRestart: true }));
        this._publishQueue = run.catch(() => {});
        jobs.push(run);
      }
      if (this.subscriberPc) jobs.push(this._request({ type: 'iceRestart' }, 'iceRestartAck'));
      await Promise.all(jobs);
      this.iceRestarts++;
    })();
    this._iceRestarting = work;
    work.then(() => { this._iceRestarting = null; }, () => { this._iceRestarting = null; });
    return work;
  }

  /**
   * Leaves the room: sends `leave`, stops captured media and closes both peer connections at once, then waits for
   * the server to close the socket (closing it after a short grace period otherwise).
   * @returns {Promise<void>} resolves once disconnected
   */
  leave() {
    if (this._state === 'idle') {
      this._setState('disconnected');
      this._resolveClosed();
      return this._closed;
    }
    if (this._state === 'disconnected' || this._leaving) return this._closed;
    this._leaving = true;
    if (this._state === 'connecting') {
      this._ws?.close(1000, 'left');
      return this._closed;
    }
    if (this._state === 'reconnecting') {
      this._stopReconnect();
      this._teardown({ code: 1000, reason: 'left', wasClean: true, left: true, leftReason: 'left' });
      return this._closed;
    }
    this._stopTimers();
    try {
      this._send({ type: 'leave' });
    } catch {
      // socket already closing: the close handler finishes
    }
    this._releaseMedia();
    this._leaveTimer = setTimeout(() => this._ws?.close(1000, 'left'), LEAVE_CLOSE_GRACE_MS);
    return this._closed;
  }

  // ---------------------------------------------------------------------------------------------- socket

  _onMessage(data) {
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      this._emit('error', parsed.error);
      return;
    }
    const msg = parsed.msg;
    this._awaitingReplySince = null;
    if (this._state === 'connecting') {
      if (msg.type === 'welcome') this._onWelcome(msg);
      else if (msg.type === 'error') this._emit('error', errorFromMessage(msg));
      else this._emit('error', new PrismError('protocol', `'${msg.type}' before welcome`));
      return;
    }
    if (this._state !== 'connected') return;
    switch (msg.type) {
      case 'publishAnswer':
      case 'pong':
      case 'iceRestartAck':
      case 'repairResult':
      case 'trackPreferencesAck':
        this._requests.settle(msg);
        break;
      case 'subscriberOffer':
        this._offerQueue = this._offerQueue
          .then(() => this._onSubscriberOffer(msg))
          .catch((e) => this._emit('error', asPrismError(e, 'negotiation')));
        break;
      case 'error':
        if (!this._requests.settle(msg)) this._emit('error', errorFromMessage(msg));
        break;
      case 'state':
        if (Array.isArray(msg.subscriptions)) this._expected = msg.subscriptions;
        this._dispatch(this._model.apply(msg));
        this._requests.settle(msg);
        break;
      case 'participantJoined':
      case 'participantLeft':
      case 'trackPublished':
      case 'trackUnpublished':
      case 'trackMuted':
        this._dispatch(this._model.apply(msg));
        this._requests.settle(msg);
        break;
      case 'welcome':
        this._emit('error', new PrismError('protocol', 'second welcome ignored'));
        break;
      default:
        break; // newer server: ignore what we do not know
    }
  }

  _onWelcome(msg) {
    clearTimeout(this._connectTimer);
    const events = this._model.applyWelcome(msg);
    if (!this._model.local) {
      this._failConnect(events[0]?.[1] ?? new PrismError('protocol', 'bad welcome'));
      this._ws.close(1002, 'bad welcome');
      return;
    }
    if (Array.isArray(msg.iceServers) && msg.iceServers.length > 0) this._iceServers = msg.iceServers;
    this._takeSessionInfo(msg);
    this._setState('connected');
    this._startTimers();
    globalThis.addEventListener?.('pagehide', this._onPageHide);
    const waiter = this._connectWaiter;
    this._connectWaiter = null;
    waiter?.resolve(this._model.local);
    this._dispatch(events);
  }

  /** Resume token and window, and the server's list of what we should receive, from a welcome. */
  _takeSessionInfo(msg) {
    this._resumeToken = typeof msg.resumeToken === 'string' ? msg.resumeToken : null;
    this._resumeWindowMs = typeof msg.resumeWindowMs === 'number' ? msg.resumeWindowMs : 0;
    this._expected = Array.isArray(msg.subscriptions) ? msg.subscriptions : [];
  }

  /** Keep-alive pings (a ping unanswered until the next one means a dead socket) and the media check. */
  _startTimers() {
    this._stopTimers();
    if (this._keepAliveMs > 0) {
      this._keepAliveTimer = setInterval(() => {
        if (this._awaitingReplySince !== null && now() - this._awaitingReplySince >= this._keepAliveMs) {
          this._abandonSocket('no reply to ping');
          return;
        }
        try {
          this._send({ type: 'ping' });
          this._awaitingReplySince ??= now();
        } catch {
          // closing; the close handler cleans up
        }
      }, this._keepAliveMs);
    }
    if (this._mediaCheckMs > 0) {
      this._mediaTimer = setInterval(() => {
        this._checkMedia().catch((e) => console.warn('prism: media check failed', e));
      }, this._mediaCheckMs);
    }
  }

  _stopTimers() {
    clearInterval(this._keepAliveTimer);
    clearInterval(this._mediaTimer);
    this._keepAliveTimer = null;
    this._mediaTimer = null;
    this._awaitingReplySince = null;
  }

  /** A page being unloaded (reload, close, navigation) leaves at once, so no ghost stays behind. */
  _leaveOnUnload() {
    if (this._state !== 'connected' || this._leaving) return;
    this._leaving = true; // the close that follows must not look like a drop to reconnect from
    this._stopTimers();
    try {
      this._send({ type: 'leave' });
      this._ws.close(1000, 'page unloaded');
    } catch {
      // already closing
    }
  }

  _onClose(ev) {
    clearTimeout(this._connectTimer);
    if (this._state === 'connected' && this._canReconnect(ev?.code)) {
      this._beginReconnect(ev);
      return;
    }
    if (this._state === 'connecting') {
      if (this._leaving) {
        this._failConnect(new PrismError('disconnected', 'left before the connection was established'));
        return;
      }
      this._refusalError(ev).then((err) => this._failConnect(err));
      return;
    }
    this._teardown({
      code: ev?.code ?? 1006,
      reason: ev?.reason ?? '',
      wasClean: ev?.wasClean ?? false,
      left: this._leaving,
      leftReason: this._selfLeftReason,
    });
  }

  _canReconnect(code) {
    return this._reconnectEnabled && !this._leaving && this._resumeToken !== null && !TERMINAL_CLOSE_CODES.has(code);
  }

  /** Gives up on a socket that stopped answering without waiting for its close handshake, and reconnects. */
  _abandonSocket(reason) {
    const ws = this._ws;
    if (!ws || this._state !== 'connected') return;
    ws.onclose = null;
    ws.onmessage = null;
    try {
      ws.close(4100, reason);
    } catch {
      // already closed
    }
    if (this._canReconnect(4100)) this._beginReconnect({ code: 4100, reason });
    else this._onClose({ code: 4100, reason, wasClean: false });
  }

  /**
   * The signaling socket dropped: reconnect in the background. Peer connections, published tracks and subscriptions
   * stay as they are; requests in flight wait and are sent again once the session is back.
   */
  _beginReconnect(ev) {
    this._stopTimers();
    this._ws = null;
    this._reconnect = {
      schedule: new ReconnectSchedule({ delaysMs: this._reconnectDelaysMs, timeoutMs: this._reconnectTimeoutMs }),
      ws: null, timer: null, attemptTimer: null, useResume: true,
    };
    this._reconnect.schedule.start(now());
    this._setState('reconnecting');
    this._emit('reconnecting', { code: ev?.code ?? 1006, reason: ev?.reason ?? '' });
    this._scheduleAttempt();
  }

  _scheduleAttempt() {
    const r = this._reconnect;
    if (!r) return;
    const delay = r.schedule.next(now());
    if (delay === null) {
      this._stopReconnect();
      this._teardown({ code: 4100, reason: 'could not reconnect', wasClean: false, left: false, leftReason: null });
      return;
    }
    r.timer = setTimeout(() => this._attempt(), delay);
  }

  _attempt() {
    const r = this._reconnect;
    if (!r || this._state !== 'reconnecting') return;
    const url = new URL(this._url.href);
    if (r.useResume && this._resumeToken) url.searchParams.set('resume', this._resumeToken);
    let ws;
    try {
      ws = new this._WebSocket(url.href);
    } catch {
      this._scheduleAttempt();
      return;
    }
    r.ws = ws;
    ws.onmessage = (ev) => this._onAttemptMessage(ws, ev.data);
    ws.onclose = (ev) => this._onAttemptClose(ws, ev);
    ws.onerror = () => {};
    r.attemptTimer = setTimeout(() => {
      if (r.ws !== ws) return;
      r.ws = null;
      ws.onclose = null;
      ws.onmessage = null;
      try {
        ws.close(4101, 'attempt timed out');
      } catch {
        // never opened
      }
      this._scheduleAttempt();
    }, this._attemptTimeoutMs);
  }

  _onAttemptMessage(ws, data) {
    const r = this._reconnect;
    if (!r || r.ws !== ws) return;
    const parsed = parseServerMessage(data);
    if (!parsed.ok) return;
    const msg = parsed.msg;
    if (msg.type === 'error' && msg.code === 'resume_failed') {
      r.useResume = false; // the server forgot us: the next attempt joins afresh (its close follows)
      return;
    }
    if (msg.type !== 'welcome') return;
    clearTimeout(r.attemptTimer);
    this._reconnect = null;
    this._ws = ws;
    ws.onmessage = (ev) => this._onMessage(ev.data);
    ws.onclose = (ev) => this._onClose(ev);
    const info = { ms: Math.round(r.schedule.elapsed(now())), attempts: r.schedule.attempts };
    if (msg.resumed === true) this._onResumed(msg, info);
    else this._onRejoined(msg, info);
  }

  _onAttemptClose(ws, ev) {
    const r = this._reconnect;
    if (!r || r.ws !== ws) return;
    clearTimeout(r.attemptTimer);
    r.ws = null;
    if (ev?.code === RESUME_FAILED) r.useResume = false;
    if (TERMINAL_CLOSE_CODES.has(ev?.code)) {
      this._stopReconnect();
      this._teardown({ code: ev.code, reason: ev.reason ?? '', wasClean: ev.wasClean ?? false, left: false,
        leftReason: this._selfLeftReason });
      return;
    }
    this._scheduleAttempt();
  }

  _stopReconnect() {
    const r = this._reconnect;
    if (!r) return;
    this._reconnect = null;
    clearTimeout(r.timer);
    clearTimeout(r.attemptTimer);
    if (r.ws) {
      r.ws.onclose = null;
      r.ws.onmessage = null;
      try {
        r.ws.close(1000, 'left');
      } catch {
        // never opened
      }
    }
  }

  /** The server kept our session: catch up on the room and carry on as if nothing happened. */
  _onResumed(msg, info) {
    this._takeSessionInfo(msg);
    this._setState('connected');
    this._startTimers();
    this._dispatch(this._model.apply({ type: 'state', room: msg.room }));
    this._requests.resendAll((m) => this._send(m));
    this.lastReconnect = { resumed: true, ...info };
    this._emit('reconnected', this.lastReconnect);
    this._restartIceIfBroken();
  }

  /**
   * The server no longer knew us (the window ran out, or it restarted): a fresh session. New peer connections, the
   * same local tracks published again; others saw us leave and come back.
   */
  _onRejoined(msg, info) {
    this._takeSessionInfo(msg);
    for (const pc of [this.publisherPc, this.subscriberPc]) {
      try {
        pc?.close();
      } catch {
        // already closed
      }
    }
    this.publisherPc = null;
    this.subscriberPc = null;
    this._lastOfferVersion = -Infinity;
    this._lastAnswer = null;
    this._offerQueue = Promise.resolve();
    this._requests.rejectAll(new PrismError('disconnected', 'the session was lost and joined again'));
    const republish = this._published.filter((p) => p.track.readyState !== 'ended');
    this._published = [];
    this._setState('connected');
    this._startTimers();
    this._dispatch(this._model.applyRejoin(msg));
    this.lastReconnect = { resumed: false, ...info };
    this._emit('reconnected', this.lastReconnect);
    const byMedia = new Map();
    for (const p of republish) {
      if (!byMedia.has(p.media)) byMedia.set(p.media, []);
      byMedia.get(p.media).push({ kind: p.kind, source: p.source, track: p.track, owned: p.owned });
    }
    for (const [media, picks] of byMedia) {
      const run = this._publishQueue.then(() => this._publishPicks(picks, media, picks[0].owned));
      this._publishQueue = run.catch((e) => this._emit('error', asPrismError(e, 'negotiation')));
    }
  }

  /** After a resume the network may have changed under the peer connections: restart ICE where it is not well. */
  _restartIceIfBroken() {
    const broken = [this.publisherPc, this.subscriberPc].some((pc) => pc
      && (pc.iceConnectionState === 'failed' || pc.iceConnectionState === 'disconnected'));
    if (broken) this.restartIce().catch((e) => this._emit('error', asPrismError(e, 'negotiation')));
  }

  /** Browsers report a refused upgrade as close code 1006 with no reason; ask the server over plain HTTP why. */
  async _refusalError(ev) {
    const closeCode = ev?.code ?? 1006;
    const closeReason = ev?.reason ?? '';
    let status;
    let reason = closeReason;
    if (!reason && this._probeRefusal && typeof fetch === 'function') {
      const probe = await probeHttp(this._url);
      if (probe) {
        status = probe.status;
        reason = probe.text;
      }
    }
    const message = `connection refused${reason ? `: ${reason}` : ''}${status ? ` (HTTP ${status})` : ` (close code ${closeCode})`}`;
    return new PrismError('connection_refused', message, { status, reason: reason || undefined, closeCode, closeReason });
  }

  _failConnect(error) {
    clearTimeout(this._connectTimer);
    const waiter = this._connectWaiter;
    this._connectWaiter = null;
    if (this._state !== 'disconnected') {
      this._setState('disconnected');
      this._resolveClosed();
    }
    waiter?.reject(error);
  }

  _teardown(info) {
    if (this._state === 'disconnected') return;
    this._stopTimers();
    this._stopReconnect();
    globalThis.removeEventListener?.('pagehide', this._onPageHide);
    clearTimeout(this._leaveTimer);
    this._requests.rejectAll(new PrismError('disconnected', 'disconnected'));
    this._releaseMedia();
    this._model.reset();
    this._setState('disconnected');
    this._emit('disconnected', info);
    this._resolveClosed();
  }

  _send(message) {
    const ws = this._ws;
    if (!ws || ws.readyState !== 1 /* OPEN */) throw new PrismError('not_connected', 'not connected');
    ws.send(JSON.stringify(message));
  }

  _request(message, replyType, match) {
    this._requireConnected();
    const { message: tagged, promise } = this._requests.open(message, replyType, match);
    try {
      this._send(tagged);
    } catch (e) {
      this._requests.fail(tagged.requestId, e);
    }
    return promise;
  }

  _requireConnected() {
    if (this._state !== 'connected' || this._leaving) {
      throw new PrismError('not_connected', `not connected (${this._leaving ? 'leaving' : this._state})`);
    }
  }

  // ---------------------------------------------------------------------------------------------- publisher

  async _publishPicks(picks, media, owned) {
    this._requireConnected();
    const pc = this._ensurePublisherPc();
    const added = [];
    for (const pick of picks) {
      const init = { direction: 'sendonly', streams: [media] };
      const simulcast = pick.kind === 'video' && pick.source === 'camera' && this._simulcast;
      if (simulcast) init.sendEncodings = SIMULCAST_ENCODINGS.map((e) => ({ ...e }));
      const transceiver = pc.addTransceiver(pick.track, init);
      if (simulcast) await keepResolution(transceiver.sender);
      const entry = { ...pick, transceiver, owned, media };
      this._published.push(entry);
      added.push(entry);
      this._model.bindLocalMedia(pick.source, pick.track);
    }
    let reply;
    try {
      reply = await this._negotiatePublisher();
    } catch (e) {
      for (const entry of added) {
        this._published.splice(this._published.indexOf(entry), 1);
        try {
          entry.transceiver.stop();
        } catch {
          // connection already closed
        }
        if (owned) entry.track.stop();
      }
      throw e;
    }
    const refused = this._dropRefused(added, reply?.refused);
    const kept = added.filter((entry) => !refused.entries.includes(entry));
    if (kept.length > 0) await this._learnLocalTrackIds();
    const published = kept.map((entry) => this._model.findLocalTrack(entry.source)).filter(Boolean);
    if (refused.details.length > 0) {
      throw new PrismError('track_refused', refused.details.map((r) => `${r.kind}: ${r.message}`).join('; '),
        { refused: refused.details, published });
    }
    return published;
  }

  /**
   * The server answered some of the new m-lines with port 0 and said why (`publishAnswer.refused`, PROTOCOL.md):
   * those tracks are not published. Stops their transceivers (and owned tracks) and forgets them.
   * @returns {{entries: object[], details: {mid: string, kind: string, reason: string, message: string}[]}}
   */
  _dropRefused(added, refusedList) {
    const list = Array.isArray(refusedList) ? refusedList : [];
    const entries = added.filter((entry) => list.some((r) => r && r.mid != null && r.mid === entry.transceiver.mid));
    const details = [];
    for (const entry of entries) {
      const r = list.find((x) => x.mid === entry.transceiver.mid);
      details.push({ mid: r.mid, kind: r.kind ?? entry.kind, reason: r.reason ?? 'refused',
        message: r.message ?? 'refused by the server' });
      this._published.splice(this._published.indexOf(entry), 1);
      this._model.unbindLocalMedia(entry.source);
      try {
        entry.transceiver.stop();
      } catch {
        // connection already closed
      }
      if (entry.owned) entry.track.stop();
    }
    return { entries, details };
  }

  async _negotiatePublisher(offerOptions = undefined) {
    const pc = this.publisherPc;
    const offer = await pc.createOffer(offerOptions);
    await pc.setLocalDescription(offer);
    const tracks = this._published
      .filter((p) => p.transceiver.mid != null)
      .map((p) => ({ mid: p.transceiver.mid, source: p.source }));
    let reply;
    try {
      reply = await this._request({ type: 'publishOffer', sdp: pc.localDescription.sdp, tracks }, 'publishAnswer');
      if (typeof reply.sdp !== 'string') throw new PrismError('protocol', 'publishAnswer without sdp');
    } catch (e) {
      // Leave the connection stable so a later publish can offer again.
      if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      throw e;
    }
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    return reply;
  }

  /**
   * The server names published tracks (the answer does not carry their ids): read them from the room state, and
   * fall back to `<identity>:<mid>` (the server's current scheme) if the state does not list them.
   */
  async _learnLocalTrackIds() {
    const missing = () => this._published.filter((p) => !this._model.findLocalTrack(p.source));
    if (missing().length === 0) return;
    try {
      await this.getState();
    } catch (e) {
      if (this._state !== 'connected') throw e;
    }
    for (const p of missing()) {
      if (p.transceiver.mid == null) continue; // never negotiated: there is no id to guess
      const id = `${this._model.local.id}:${p.transceiver.mid}`;
      console.warn(`prism: server did not list our ${p.source} track; assuming id ${id}`);
      this._dispatch(this._model.ensureLocalTrack({ id, kind: p.kind, source: p.source, muted: !p.track.enabled }));
    }
  }

  _publishedKind(kind) {
    return this._published.some((p) => p.kind === kind);
  }

  _ensurePublisherPc() {
    if (!this.publisherPc) this.publisherPc = this._newPc('publisher');
    return this.publisherPc;
  }

  // ---------------------------------------------------------------------------------------------- subscriber

  async _onSubscriberOffer(msg) {
    if (this._state !== 'connected') return;
    if (typeof msg.sdp !== 'string' || typeof msg.version !== 'number') {
      throw new PrismError('protocol', 'subscriberOffer without sdp/version');
    }
    if (msg.version === this._lastOfferVersion && this._lastAnswer?.version === msg.version) {
      // The server sent the offer we answered again: our answer was lost with the old socket.
      this._send({ type: 'subscriberAnswer', version: msg.version, sdp: this._lastAnswer.sdp });
      return;
    }
    if (msg.version <= this._lastOfferVersion) return; // stale: a newer one was already answered
    const pc = this._ensureSubscriberPc();
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this._lastOfferVersion = msg.version;
    this._lastAnswer = { version: msg.version, sdp: pc.localDescription.sdp };
    if (this._state === 'connected') {
      try {
        this._send({ type: 'subscriberAnswer', version: msg.version, sdp: pc.localDescription.sdp });
      } catch {
        // the socket dropped meanwhile: the server sends this offer again after the resume, we answer it then
      }
    }
    // Bind by transceiver rather than by 'track' events: the receiver's track exists as soon as the offer is set,
    // and an m-line reused for another track keeps its receiver without necessarily firing 'track' again.
    const receivers = new Map();
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.mid != null) {
        receivers.set(String(transceiver.mid), { track: transceiver.receiver.track, receiver: transceiver.receiver });
      }
    }
    this._dispatch(this._model.applyOffer(msg.tracks, receivers));
    // The offer lists every track the server now sends us: that is what must arrive.
    if (Array.isArray(msg.tracks)) this._expected = msg.tracks;
  }

  _ensureSubscriberPc() {
    if (!this.subscriberPc) this.subscriberPc = this._newPc('subscriber');
    return this.subscriberPc;
  }

  _newPc(role) {
    const pc = new this._RTCPeerConnection({ ...PC_CONFIG, iceServers: this._iceServers });
    pc.addEventListener?.('connectionstatechange', () => {
      if (pc.connectionState === 'failed' && this._state === 'connected') {
        this._emit('error', new PrismError('transport_failed', `${role} connection failed (ICE/DTLS)`));
      }
    });
    // A network change (Wi-Fi to cellular) shows as ICE 'disconnected', then 'failed': restart ICE on both connections
    // (the server is ICE-lite, so only new credentials make the browser look for a new path).
    let disconnectedTimer = null;
    pc.addEventListener?.('iceconnectionstatechange', () => {
      clearTimeout(disconnectedTimer);
      const restart = () => {
        if (this._state === 'connected' && !this._leaving && pc.signalingState !== 'closed') {
          this.restartIce().catch((e) => this._emit('error', asPrismError(e, 'negotiation')));
        }
      };
      if (pc.iceConnectionState === 'failed') restart();
      else if (pc.iceConnectionState === 'disconnected') disconnectedTimer = setTimeout(restart, ICE_DISCONNECTED_GRACE_MS);
    });
    return pc;
  }

  // ---------------------------------------------------------------------------------------------- media repair

  /**
   * Compares what the subscriber connection receives with what the server says should arrive: every remote track the
   * server subscribed us to and that is not muted must make progress (frames decoded for video, packets for audio).
   * A track that makes none for a while, or that the server lists but we are not subscribed to, is reported with
   * `repairTrack`; the server fixes what it can (keyframe, new consumer, re-offer, ICE restart) and says what it did.
   */
  async _checkMedia() {
    if (this._state !== 'connected' || this._leaving || this._checkingMedia) return;
    this._checkingMedia = true;
    try {
      // Nothing can arrive while the subscriber connection is still being set up (ICE checks, DTLS). A report then
      // would have the server restart ICE in the middle of the handshake, which on a loaded machine can keep it from
      // ever finishing; so the watch starts over (forgets every track) until the connection is up. A connection that
      // fails is restarted by its own state handler.
      const state = this.subscriberPc?.connectionState;
      if (state === 'new' || state === 'connecting') {
        this._mediaWatch.observe(now(), []);
        return;
      }
      const byMid = new Map();
      if (this.subscriberPc && typeof this.subscriberPc.getStats === 'function') {
        const report = await this.subscriberPc.getStats();
        report.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.mid != null) byMid.set(String(s.mid), s);
        });
      }
      if (this._state !== 'connected') return;
      const subscribed = new Map(this._model.subscriptions().map((sub) => [sub.track.id, sub]));
      const observed = [];
      const known = (trackId) => [...this._model.participants.values()].some((p) => p.tracks.has(trackId));
      for (const entry of this._expected ?? []) {
        if (!entry || typeof entry.trackId !== 'string' || !known(entry.trackId)) continue;
        const sub = subscribed.get(entry.trackId);
        const track = sub?.track;
        const muted = track ? track.muted : entry.muted === true;
        const s = sub ? byMid.get(String(sub.mid)) : undefined;
        const count = !sub ? null : !s ? 0 : (track.kind === 'video' ? (s.framesDecoded ?? 0) : (s.packetsReceived ?? 0));
        observed.push({ trackId: entry.trackId, expected: !muted, count });
      }
      for (const { trackId, issue } of this._mediaWatch.observe(now(), observed)) {
        const sub = subscribed.get(trackId);
        this._repair(trackId, sub ? issue : 'not_subscribed', sub);
      }
    } finally {
      this._checkingMedia = false;
    }
  }

  async _repair(trackId, issue, sub) {
    try {
      const reply = await this._request({ type: 'repairTrack', trackId, issue }, 'repairResult',
        (m) => m.trackId === trackId);
      const record = { at: Date.now(), trackId, issue, action: reply.action };
      this.repairs.push(record);
      if (this.repairs.length > 50) this.repairs.shift();
      this._emit('repair', { track: sub?.track ?? null, participant: sub?.participant ?? null, issue, action: reply.action });
    } catch (e) {
      if (this._state === 'connected' && !this._leaving) console.warn('prism: repair request failed', e);
    }
  }

  /** Stops captured media and closes both peer connections (kept as fields so tests can still read them). */
  _releaseMedia() {
    for (const p of this._published) if (p.owned) p.track.stop();
    for (const pc of [this.publisherPc, this.subscriberPc]) {
      try {
        pc?.close();
      } catch {
        // already closed
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- events

  _dispatch(events) {
    for (const [name, ...args] of events) {
      if (name === 'selfLeft') {
        this._selfLeftReason = args[0];
        continue;
      }
      if (name === 'trackMuted' && args[1]?.isLocal && args[0].mediaStreamTrack) {
        args[0].mediaStreamTrack.enabled = !args[0].muted; // the server's word wins
      }
      this._emit(name, ...args);
    }
  }

  _setState(state) {
    const previous = this._state;
    if (previous === state) return;
    this._state = state;
    this._emit('stateChanged', state, previous);
  }

  _emit(event, ...args) {
    const listeners = this._listeners.get(event);
    if (event === 'error' && (!listeners || listeners.size === 0)) {
      console.warn('prism:', args[0]);
      return;
    }
    for (const fn of listeners ? [...listeners] : []) {
      try {
        fn(...args);
      } catch (e) {
        console.error(`prism: '${event}' listener threw`, e);
      }
    }
  }
}

function wsUrl(url, token) {
  const base = globalThis.location?.href;
  const u = base ? new URL(url, base) : new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  u.searchParams.set('token', token);
  return u;
}

async function probeHttp(wsUrlObj) {
  const u = new URL(wsUrlObj.href);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => controller?.abort(), PROBE_TIMEOUT_MS);
  try {
    const res = await fetch(u.href, { cache: 'no-store', signal: controller?.signal });
    if (res.status < 400) return null; // nothing to learn: the refusal was not an HTTP error
    return { status: res.status, text: await plainReason(res) };
  } catch {
    return null; // unreachable, cross-origin, aborted
  } finally {
    clearTimeout(timer);
  }
}

/** The first line of a short plain-text error body (the server's reason); '' for HTML error pages and the like. */
async function plainReason(res) {
  const type = res.headers?.get?.('content-type') ?? '';
  if (/html|json|xml/i.test(type)) return '';
  const text = await res.text().catch(() => '');
  if (/^\s*</.test(text)) return '';
  return text.trim().split(/\r?\n/)[0].slice(0, 200);
}

function asPrismError(e, code) {
  return e instanceof PrismError ? e : new PrismError(code, e?.message ?? String(e), { cause: e });
}

function now() {
  return globalThis.performance?.now() ?? Date.now();
}

/**
 * Simulcast layers stand for resolutions: under CPU or bandwidth pressure the encoder should lower the frame rate (or
 * drop the top layer), not scale every layer down. Best effort: older browsers refuse the setting.
 */
async function keepResolution(sender) {
  try {
    const params = sender.getParameters();
    if (!params || !Array.isArray(params.encodings)) return;
    params.degradationPreference = 'maintain-resolution';
    await sender.setParameters(params);
  } catch {
    // not supported here: the browser's default applies
  }
}
