// Prism SDK: reconnecting after the signaling socket dropped, and resuming the session (docs/SDK.md, Reconnecting).

import { now } from './clock.js';
import { restartIceFor } from './network-watch.js';
import { PrismError } from './prism-error.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import { parseServerMessage } from './wire.js';

/**
 * Close codes after which the session is over for good: media connection closed (4000), replaced (4001), removed by an
 * operator (4004), room closed by an operator (4005), server shut down (4010: see `rejoinAfterShutdown`).
 */
export const TERMINAL_CLOSE_CODES = new Set([4000, 4001, 4004, 4005, 4010]);
/** The server refused a resume token (spent or expired): the next attempt joins afresh. */
const RESUME_FAILED = 4002;
/** The server shut down with us still there (`shutdown` message first). */
export const SERVER_SHUTDOWN = 4010;
/** The room is moving (`migrate` message first): join again at once, afresh. */
export const MIGRATE = 4011;
/** A new session refused: the server is stopping. A reconnect attempt tries again on its schedule. */
export const NODE_DRAINING = 4012;
/** Cluster: the server holding our socket lost its link to the room's server. Resume at once (it routes again). */
export const OWNER_LOST = 4013;
/** Cluster: no server for the room could be found or reached (`cluster_unavailable` first). Retry with backoff. */
export const CLUSTER_UNAVAILABLE = 4014;
/** After each 4014 in a row the next attempt waits this much more, doubling, up to 16 times it (with jitter). */
const UNAVAILABLE_BACKOFF_MS = 1000;
const UNAVAILABLE_BACKOFF_MAX_FACTOR = 16;

/**
 * Opens new sockets with the resume token after a drop, on the {@link ReconnectSchedule}, until one is welcomed or
 * time is up. Peer connections, published tracks and subscriptions are left alone meanwhile: media keeps flowing.
 * A welcome with `resumed: true` gets the session back (room reconciled, requests in flight sent again); any other
 * welcome is a fresh join (new peer connections, the same tracks published again).
 *
 * Owned by a {@link PrismClient}; drives its state, socket, publisher, subscriber and room model. Runs on the page's
 * event loop.
 */
export class Reconnector {
  /**
   * @param {PrismClient} client the owner
   * @param {object} options
   * @param {boolean} options.enabled whether to reconnect at all
   * @param {number[]} options.delaysMs delays before successive attempts (the last repeats)
   * @param {number} options.timeoutMs give up this long after the drop
   * @param {number} options.attemptTimeoutMs abandon one attempt that got no welcome in this time
   * @param {number} [options.unavailableBackoffMs] first extra wait after an attempt refused with 4014
   */
  constructor(client, { enabled, delaysMs, timeoutMs, attemptTimeoutMs, unavailableBackoffMs = UNAVAILABLE_BACKOFF_MS }) {
    this._unavailableBackoffMs = unavailableBackoffMs;
    this._client = client;
    this._enabled = enabled;
    this._delaysMs = delaysMs;
    this._timeoutMs = timeoutMs;
    this._attemptTimeoutMs = attemptTimeoutMs;
    /** From welcome: the secret a reconnect presents, and how long the server keeps us after a drop. */
    this.resumeToken = null;
    this.resumeWindowMs = 0;
    /** The reconnect in progress: {schedule, ws, timer, attemptTimer, useResume}, or null. */
    this._current = null;
  }

  /** Resume token and window from a welcome. */
  takeSessionInfo(msg) {
    this.resumeToken = typeof msg.resumeToken === 'string' ? msg.resumeToken : null;
    this.resumeWindowMs = typeof msg.resumeWindowMs === 'number' ? msg.resumeWindowMs : 0;
  }

  /** Whether a socket that closed with `code` is worth reconnecting. */
  canReconnect(code) {
    return this._enabled && !this._client._leaving && this.resumeToken !== null && !TERMINAL_CLOSE_CODES.has(code);
  }

  /** Whether to follow the server's `migrate` (close 4011): a fresh join at once, unless reconnecting is off. */
  canFollow() {
    return this._enabled && !this._client._leaving;
  }

  /**
   * The signaling socket dropped: reconnect in the background. Peer connections, published tracks and subscriptions
   * stay as they are; requests in flight wait and are sent again once the session is back.
   *
   * @param {{code?: number, reason?: string}} ev the close event
   * @param {object} [how]
   * @param {boolean} [how.resume=true] present the resume token (false: the server ended the session, join afresh)
   * @param {number} [how.firstDelayMs] wait this long before the first attempt (then the usual delays)
   * @param {string} [how.cause='drop'] what `reconnecting` and `reconnected` report: 'drop', 'migrate', 'shutdown',
   *   'owner_lost'
   */
  begin(ev, { resume = true, firstDelayMs, cause = 'drop' } = {}) {
    const client = this._client;
    client._session.stopTimers();
    client._socket.ws = null;
    const delaysMs = firstDelayMs === undefined ? this._delaysMs : [firstDelayMs, ...this._delaysMs.slice(1)];
    const timeoutMs = this._timeoutMs + (firstDelayMs ?? 0);
    this._current = {
      schedule: new ReconnectSchedule({ delaysMs, timeoutMs }),
      ws: null, timer: null, attemptTimer: null, useResume: resume, cause, unavailableMs: 0, atOnce: false,
      lastCode: ev?.code ?? 1006,
    };
    this._current.schedule.start(now());
    client._setState('reconnecting');
    const info = { code: ev?.code ?? 1006, reason: ev?.reason ?? '', cause };
    if (firstDelayMs !== undefined) info.delayMs = firstDelayMs;
    client._emit('reconnecting', info);
    this._scheduleAttempt();
  }

  /** Abandons the reconnect in progress, if any (leave, teardown). */
  stop() {
    const r = this._current;
    if (!r) return;
    this._current = null;
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

  _scheduleAttempt() {
    const r = this._current;
    if (!r) return;
    const delay = r.schedule.next(now());
    if (delay === null) {
      this.stop();
      this._client._session.teardown({ code: 4100, reason: 'could not reconnect', wasClean: false, left: false, leftReason: null });
      return;
    }
    // After 4014 (no server for the room now) wait longer each time, spread out: a cluster's clients do not all
    // retry at once.
    const extra = r.unavailableMs > 0 ? Math.round(r.unavailableMs * (0.5 + Math.random() / 2)) : 0;
    // After resume_failed (4002) the server is there and answered: the fresh join goes at once (a killed room owner's
    // clients land here, and every schedule delay would only add to their time without media).
    const wait = r.atOnce ? 0 : delay + extra;
    r.atOnce = false;
    r.timer = setTimeout(() => this._attempt(), wait);
  }

  _attempt() {
    const r = this._current;
    const socket = this._client._socket;
    if (!r || this._client.state !== 'reconnecting') return;
    const url = new URL(socket.url.href);
    if (r.useResume && this.resumeToken) url.searchParams.set('resume', this.resumeToken);
    let ws;
    try {
      ws = new socket.WebSocket(url.href);
    } catch {
      this._scheduleAttempt();
      return;
    }
    r.ws = ws;
    this._client._emit('reconnectAttempt', { attempt: r.schedule.attempts, resume: url.searchParams.has('resume'),
      ms: Math.round(r.schedule.elapsed(now())), previousCode: r.lastCode });
    ws.onmessage = (ev) => this._onAttemptMessage(ws, ev.data);
    ws.onclose = (ev) => this._onAttemptClose(ws, ev);
    ws.onerror = () => {};
    r.attemptTimer = setTimeout(() => {
      if (r.ws !== ws) return;
      r.ws = null;
      r.lastCode = 4101;
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
    const r = this._current;
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
    this._current = null;
    this._client._socket.adopt(ws);
    const info = { ms: Math.round(r.schedule.elapsed(now())), attempts: r.schedule.attempts, cause: r.cause };
    if (msg.resumed === true) this._onResumed(msg, info);
    else this._onRejoined(msg, info);
  }

  _onAttemptClose(ws, ev) {
    const r = this._current;
    if (!r || r.ws !== ws) return;
    clearTimeout(r.attemptTimer);
    r.ws = null;
    r.lastCode = ev?.code ?? 1006;
    if (ev?.code === RESUME_FAILED || ev?.code === MIGRATE) r.useResume = false;
    r.atOnce = ev?.code === RESUME_FAILED;
    r.unavailableMs = ev?.code === CLUSTER_UNAVAILABLE
      ? Math.min(r.unavailableMs === 0 ? this._unavailableBackoffMs : r.unavailableMs * 2,
        this._unavailableBackoffMs * UNAVAILABLE_BACKOFF_MAX_FACTOR)
      : 0;
    if (TERMINAL_CLOSE_CODES.has(ev?.code)) {
      this.stop();
      this._client._session.teardown({ code: ev.code, reason: ev.reason ?? '', wasClean: ev.wasClean ?? false, left: false,
        leftReason: this._client._selfLeftReason });
      return;
    }
    this._scheduleAttempt();
  }

  /** The server kept our session: catch up on the room and carry on as if nothing happened. */
  _onResumed(msg, info) {
    const client = this._client;
    client._session.takeSessionInfo(msg);
    client._setState('connected');
    client._session.startTimers();
    client._dispatch(client._model.apply({ type: 'state', room: msg.room }));
    client._requests.resendAll((m) => client._send(m));
    client.lastReconnect = { resumed: true, ...info };
    client._emit('reconnected', client.lastReconnect);
    this._restartIceIfBroken();
  }

  /**
   * The server no longer knew us (the window ran out, or it restarted): a fresh session. New peer connections, the
   * same local tracks published again; others saw us leave and come back.
   */
  _onRejoined(msg, info) {
    const client = this._client;
    client._session.takeSessionInfo(msg);
    for (const pc of [client.publisherPc, client.subscriberPc]) {
      try {
        pc?.close();
      } catch {
        // already closed
      }
    }
    const republish = client._publisher.takeForRepublish();
    client._subscriber.reset();
    client._requests.rejectAll(new PrismError('disconnected', 'the session was lost and joined again'));
    client._setState('connected');
    client._session.startTimers();
    client._dispatch(client._model.applyRejoin(msg));
    client.lastReconnect = { resumed: false, ...info };
    client._emit('reconnected', client.lastReconnect);
    client._publisher.republish(republish);
  }

  /** After a resume the network may have changed under the peer connections: restart ICE where it is not well (or asked). */
  _restartIceIfBroken() {
    const client = this._client;
    const wanted = client._iceRestartOnResume; // the transport watch saw the path die: its cause
    client._iceRestartOnResume = null;
    const broken = wanted || [client.publisherPc, client.subscriberPc].some((pc) => pc
      && (pc.iceConnectionState === 'failed' || pc.iceConnectionState === 'disconnected'));
    if (broken) restartIceFor(client, wanted || 'resume');
  }
}
