// Prism browser SDK: one WebSocket for signaling, a publisher RTCPeerConnection the client offers on and a
// subscriber RTCPeerConnection the server offers on (docs/PROTOCOL.md). Dependency-free ES modules, no build step.
// (Usage: docs/SDK.md "Quick start".)
// This module is the public entry: PrismClient (the session's state and the API) and what it exports. The work is
// split by responsibility into the modules beside it, imported relatively (the node serves them all under /sdk/):
//   session.js           welcome, routing server messages, close, teardown
//   signaling-socket.js  the WebSocket: connect, send, keep-alive;  reconnect.js  resuming after a drop
//   publisher.js         the publisher peer connection (local-media.js; screen-share.js: screen; dynacast.js)
//   subscriber.js        the subscriber peer connection and its offers (adaptive-stream.js: preferences from tiles)
//   peer-connection.js   creating one, watching its transport (connection-report.js: telling what it runs over)
//   media-repair.js      missing remote media reported for repair;  data-messages.js  sendData and its events
//   events.js  EVENTS, listeners;  http.js  dev tokens, refusals;  join-timeline.js  when each join step happened
// and the pure part, unit-tested under node (prism-state.js gathers it): room-model.js, pending-requests.js,
// wire.js, prism-error.js, reconnect-schedule.js, media-watch.js, connection-info.js. API reference: docs/SDK.md.

import { now } from './clock.js';
import { ConnectionReport } from './connection-report.js';
import { EVENTS, Emitter } from './events.js';
import { fetchDevToken, wsUrl } from './http.js';
import { JoinTimeline } from './join-timeline.js';
import { MediaRepair } from './media-repair.js';
import { NetworkWatch, pageNetworkTargets, restartBothConnections } from './network-watch.js';
import { PendingRequests } from './pending-requests.js';
import { PrismError } from './prism-error.js';
import { Publisher } from './publisher.js';
import { Reconnector } from './reconnect.js';
import { RoomModel } from './room-model.js';
import { addScreenShareApi } from './screen-share.js';
import { Session } from './session.js';
import { SignalingSocket } from './signaling-socket.js';
import { Subscriber } from './subscriber.js';
import { sendData } from './data-messages.js';
import { TransportWatch } from './transport-watch.js';
import { SOURCE_FOR_KIND } from './wire.js';

export { EVENTS, PrismError, SOURCE_FOR_KIND };
const LEAVE_CLOSE_GRACE_MS = 1500;

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
   * @param {boolean} [options.forceRelay=false] gather relayed (TURN) candidates only: iceTransportPolicy 'relay'
   * @param {number} [options.requestTimeoutMs=10000] how long a request waits for its reply
   * @param {number} [options.connectTimeoutMs=15000] how long connect() waits for `welcome`
   * @param {number} [options.keepAliveMs=10000] interval of `ping` messages keeping idle proxies open; a socket that
   *   leaves one unanswered until the next is taken for dead and reconnected; 0 disables
   * @param {boolean} [options.reconnect=true] reconnect (resume) when the signaling socket drops
   * @param {number[]} [options.reconnectDelaysMs=[0, 250, 500, 1000]] delays before successive attempts
   * @param {number} [options.reconnectTimeoutMs=60000] give up (disconnected) this long after a drop
   * @param {number} [options.connectAttemptTimeoutMs=4000] abandon one reconnect attempt after this long
   * @param {number} [options.unavailableBackoffMs=1000] cluster: first extra wait after an attempt refused with 4014
   *   (`cluster_unavailable`), doubling per refusal in a row up to 16 times it, with jitter
   * @param {boolean} [options.rejoinAfterShutdown=false] when the server shuts down (close 4010), join afresh after a
   *   random delay of `shutdownRejoinDelayMs` instead of ending the session (`shutdown` is emitted either way)
   * @param {number[]} [options.shutdownRejoinDelayMs=[5000, 30000]] the [min, max] of that random delay
   * @param {number} [options.mediaCheckMs=2000] how often received media is compared with what the server says should
   *   arrive; 0 disables media repair
   * @param {number} [options.mediaMissingMs=4000] expected media missing this long is reported for repair
   * @param {number} [options.iceDisconnectedGraceMs=1000] ICE-'disconnected' this long restarts ICE; and
   *   [options.iceRestartReplyMs=1500]: a restart unanswered this long resumes the socket (0 never)
   * @param {number} [options.mediaStallMs=600] a steady flow silent this long: resume, restart ICE; 0 disables
   * @param {number} [options.connectionInfoMs=3000] how often each connection's selected candidate pair is read (also
   *   on connecting and pair changes); a change is told to the server (`connectionInfo`); 0 tells nothing
   * @param {number} [options.joinTimelineMs=0] `joinTimeline` also reads the first video packet/frame/decode (getStats)
   * @param {boolean} [options.watchNetwork=true] restart ICE at once on `online` or a `navigator.connection` change
   * @param {boolean} [options.probeRefusal=true] when the upgrade is refused, GET the same URL to read the server's
   *   HTTP status and reason (browsers hide them from WebSocket)
   * @param {boolean} [options.simulcast=true] publish the camera as three simulcast encodings (320x180, 640x360 and
   *   1280x720 for a 720p camera), so that each subscriber receives the one its downlink carries; the server turns
   *   off the ones nobody needs (dynacast)
   * @param {boolean} [options.adaptiveStream=true] set each received video track's preferences from the size and
   *   visibility of the <video> elements playing it (until the app calls setTrackPreferences for that track)
   * @param {Function} [options.WebSocket] implementation override (tests)
   * @param {Function} [options.RTCPeerConnection] implementation override (tests)
   * @param {{window: ?EventTarget, connection: ?EventTarget}} [options.networkTargets] override (tests)
   */
  constructor(options = {}) {
    if (!options || typeof options.token !== 'string' || options.token === '') {
      throw new PrismError('bad_request', 'PrismClient needs a token');
    }
    this._iceServers = Array.isArray(options.iceServers) ? options.iceServers : []; // until the server sends some
    this._forceRelay = options.forceRelay === true;
    this._RTCPeerConnection = options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    this._probeRefusal = options.probeRefusal !== false;
    this._iceDisconnectedGraceMs = options.iceDisconnectedGraceMs; // undefined: peer-connection's default
    this._iceRestartReplyMs = options.iceRestartReplyMs ?? 1500; // and _iceRestartOnResume, set by the transport watch

    this._state = 'idle';
    this._joinTimeline = new JoinTimeline({ pollMs: options.joinTimelineMs ?? 0 });
    this._events = new Emitter();
    this._model = new RoomModel();
    this._requests = new PendingRequests({ timeoutMs: options.requestTimeoutMs ?? 10000 });
    this._socket = new SignalingSocket(this, {
      url: wsUrl(options.url ?? '/ws', options.token),
      WebSocket: options.WebSocket ?? globalThis.WebSocket,
      connectTimeoutMs: options.connectTimeoutMs ?? 15000,
      keepAliveMs: options.keepAliveMs ?? 10000,
    });
    this._reconnector = new Reconnector(this, {
      enabled: options.reconnect !== false,
      delaysMs: options.reconnectDelaysMs ?? [0, 250, 500, 1000],
      timeoutMs: options.reconnectTimeoutMs ?? 60000,
      attemptTimeoutMs: options.connectAttemptTimeoutMs ?? 4000,
      unavailableBackoffMs: options.unavailableBackoffMs ?? 1000,
    });
    this._publisher = new Publisher(this, { simulcast: options.simulcast !== false });
    this._subscriber = new Subscriber(this, { adaptiveStream: options.adaptiveStream !== false });
    this._mediaRepair = new MediaRepair(this, { checkMs: options.mediaCheckMs ?? 2000, missingMs: options.mediaMissingMs ?? 4000 });
    this._session = new Session(this);
    this._connectionReport = new ConnectionReport(this, { checkMs: options.connectionInfoMs ?? 3000 });
    this._transportWatch = new TransportWatch(this, { checkMs: options.mediaStallMs === 0 ? 0 : 100, stallMs: options.mediaStallMs ?? 600 });
    this._networkWatch = new NetworkWatch(this, options.watchNetwork === false ? {} : options.networkTargets ?? pageNetworkTargets());
    this._iceRestarting = null;
    this._leaving = false;
    this._selfLeftReason = null;
    this._rejoinAfterShutdown = options.rejoinAfterShutdown === true;
    const [minDelay, maxDelay] = options.shutdownRejoinDelayMs ?? [5000, 30000];
    /** A delay spread over [min, max]: clients of a stopped server come back at different times. */
    this._shutdownRejoinDelay = () => Math.round(minDelay + Math.random() * Math.max(0, maxDelay - minDelay));

    this.lastReconnect = null; // {resumed, ms, attempts, cause} of the last reconnect
    this.repairs = this._mediaRepair.repairs; // [{at, trackId, issue, action}]: media repairs so far
    this.iceRestarts = 0; // ICE restarts so far (both connections count as one)
    this.connectionInfo = this._connectionReport.current; // {publisher, subscriber}: what each selected pair runs over
    this.joinTimeline = this._joinTimeline.marks; // step -> performance.now() ms of the first join (JOIN_STEPS)

    this._closed = new Promise((resolve) => { this._resolveClosed = resolve; });
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
    return fetchDevToken(room, name, options);
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

  /** @type {RTCPeerConnection|null} the connection this client offers on (exposed for getStats in tests) */
  get publisherPc() {
    return this._publisher.pc;
  }

  /** @type {RTCPeerConnection|null} the connection the server offers on */
  get subscriberPc() {
    return this._subscriber.pc;
  }

  /** Remote tracks currently subscribed: [{track, participant, mid}]. */
  subscriptions() { return this._model.subscriptions(); }

  /** Registers a listener. @returns {() => void} a function that removes it */
  on(event, fn) {
    return this._events.on(event, fn);
  }

  off(event, fn) { this._events.off(event, fn); }

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
    return this._socket.open();
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
    return this._publisher.publish({ audio, video, stream });
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
    return (await this._request({ type: 'getState' }, 'state')).room;
  }

  /**
   * Tells the server how much of a remote video track this client wants, so that its bandwidth goes where it shows:
   * a small tile needs no 720p, a hidden one nothing at all. The server picks the simulcast layer within these limits
   * (and the downlink estimate). Kept while subscribed; call again to change. Adaptive stream then leaves it alone.
   * @param {string} trackId a remote track's id
   * @param {object} prefs
   * @param {number} [prefs.maxHeight=0] largest picture height wanted in pixels (e.g. the tile's height x
   *   devicePixelRatio); 0 for no limit
   * @param {number} [prefs.maxTemporal=3] highest temporal layer (0..3): fewer for a lower frame rate
   * @param {boolean} [prefs.paused=false] receive no video for it at all
   * @returns {Promise<object>} what the server applied: `{trackId, maxHeight, maxTemporal, paused}`
   * @throws {PrismError} `unknown_track` when the track is not subscribed, `bad_request` for invalid values
   */
  async setTrackPreferences(trackId, { maxHeight = 0, maxTemporal = 3, paused = false } = {}, { adaptive = false } = {}) {
    if (!adaptive) this._subscriber.adaptive.manual(trackId); // the app's choice wins over adaptive stream
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
  sendData(payload, options = {}) { return sendData(this, payload, options); } // in-room message: data-messages.js

  /**
   * ICE restart of both connections (after a network change, e.g. Wi-Fi to cellular): the publisher connection offers
   * with new credentials, the server gives the subscriber connection new ones in its next offer. Media keeps its
   * DTLS/SRTP session. Runs by itself when a connection's ICE fails or stays disconnected; concurrent calls share one
   * restart.
   * @returns {Promise<void>} once both requests were answered
   */
  restartIce() {
    this._requireConnected();
    return restartBothConnections(this);
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
      this._socket.close(1000, 'left');
      return this._closed;
    }
    if (this._state === 'reconnecting') {
      this._reconnector.stop();
      this._session.teardown({ code: 1000, reason: 'left', wasClean: true, left: true, leftReason: 'left' });
      return this._closed;
    }
    this._session.stopTimers();
    try {
      this._send({ type: 'leave' });
    } catch {
      // socket already closing: the close handler finishes
    }
    this._session.releaseMedia();
    this._socket.closeAfter(LEAVE_CLOSE_GRACE_MS, 1000, 'left');
    return this._closed;
  }

  // ---------------------------------------------------------------------------------------------- internals the parts share

  // The modules beside this one (session, signaling-socket, reconnect, publisher, subscriber, media-repair) hold their
  // owner and call these, on the page's event loop; they are not API (names starting with '_' are not in the .d.ts).

  /** @throws {PrismError} `not_connected` without an open socket */
  _send(message) {
    this._socket.send(message);
  }

  /** Sends a request tagged with a requestId. @returns {Promise<object>} the reply (PendingRequests' rules) */
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

  /** Emits the room model's events in order; `selfLeft` is ours, and the server's mute wins over `enabled`. */
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
    this._events.emit(event, ...args);
  }
}

addScreenShareApi(PrismClient); // shareScreen(options), stopScreenShare(), isSharingScreen()
