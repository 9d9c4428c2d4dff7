// Prism SDK: the signaling WebSocket of a session: opening it and waiting for welcome, sending, keep-alive pings,
// and closing it (PROTOCOL.md). Reconnecting lives in reconnect.js.

import { now } from './clock.js';
import { PrismError } from './prism-error.js';

/**
 * The socket currently carrying the session. Incoming frames and the close go to the owner's session's `onMessage(data)`
 * and `onClose(event)`; keep-alive pings go out every `keepAliveMs`, and a ping still unanswered when the next is due
 * reports the socket dead.
 *
 * Owned by a {@link PrismClient}. Runs on the page's event loop.
 */
export class SignalingSocket {
  /**
   * @param {PrismClient} client the owner
   * @param {object} options
   * @param {URL} options.url the WebSocket URL with the token
   * @param {Function} options.WebSocket the constructor (the global one, or a test's fake)
   * @param {number} options.connectTimeoutMs how long the first connect waits for welcome
   * @param {number} options.keepAliveMs ping interval; 0 disables
   */
  constructor(client, { url, WebSocket, connectTimeoutMs, keepAliveMs }) {
    this._client = client;
    this.url = url;
    this.WebSocket = WebSocket;
    this._connectTimeoutMs = connectTimeoutMs;
    this._keepAliveMs = keepAliveMs;
    /** @type {WebSocket|null} the session's socket; null while reconnecting */
    this.ws = null;
    this._connectWaiter = null;
    this._connectTimer = null;
    this._keepAliveTimer = null;
    this._awaitingReplySince = null;
    this._leaveTimer = null;
  }

  /**
   * Opens the first socket. The promise settles through {@link endConnect}: the owner resolves it on welcome and
   * rejects it when the socket closes first; a connect timeout fails it through the session's `failConnect`.
   */
  open() {
    const client = this._client;
    return new Promise((resolve, reject) => {
      this._connectWaiter = { resolve, reject };
      let ws;
      try {
        ws = new this.WebSocket(this.url.href);
      } catch (e) {
        client._session.failConnect(new PrismError('connection_refused', `connection refused: ${e.message}`, { cause: e }));
        return;
      }
      client._joinTimeline.mark('connect');
      ws.onopen = () => client._joinTimeline.mark('socketOpen');
      this.adopt(ws);
      this._connectTimer = setTimeout(() => {
        client._session.failConnect(new PrismError('timeout', `no welcome within ${this._connectTimeoutMs} ms`));
        ws.close();
      }, this._connectTimeoutMs);
    });
  }

  /** Makes `ws` the session's socket (the first one, or the one a reconnect attempt got welcomed on). */
  adopt(ws) {
    const client = this._client;
    this.ws = ws;
    ws.onmessage = (ev) => client._session.onMessage(ev.data);
    ws.onclose = (ev) => client._session.onClose(ev);
    ws.onerror = () => {}; // a close event with the details always follows
  }

  /** The first connect is decided (welcome or failure). @returns {{resolve, reject}|null} its waiter, once */
  endConnect() {
    this.stopConnectTimer();
    const waiter = this._connectWaiter;
    this._connectWaiter = null;
    return waiter;
  }

  /** The connect timeout no longer applies (the socket closed; the waiter is settled after a refusal probe). */
  stopConnectTimer() {
    clearTimeout(this._connectTimer);
  }

  /** @throws {PrismError} `not_connected` when there is no open socket */
  send(message) {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1 /* OPEN */) throw new PrismError('not_connected', 'not connected');
    ws.send(JSON.stringify(message));
  }

  /** Any frame from the server proves the socket alive. */
  heard() {
    this._awaitingReplySince = null;
  }

  /** @param {(reason: string) => void} onDead called when a ping is still unanswered as the next one is due */
  startKeepAlive(onDead) {
    this.stopKeepAlive();
    if (this._keepAliveMs <= 0) return;
    this._keepAliveTimer = setInterval(() => {
      if (this._awaitingReplySince !== null && now() - this._awaitingReplySince >= this._keepAliveMs) {
        onDead('no reply to ping');
        return;
      }
      try {
        this.send({ type: 'ping' });
        this._awaitingReplySince ??= now();
      } catch {
        // closing; the close handler cleans up
      }
    }, this._keepAliveMs);
  }

  stopKeepAlive() {
    clearInterval(this._keepAliveTimer);
    this._keepAliveTimer = null;
    this._awaitingReplySince = null;
  }

  /** Closes the socket after `graceMs` unless the server closes it first (after `leave`). */
  closeAfter(graceMs, code, reason) {
    this._leaveTimer = setTimeout(() => this.ws?.close(code, reason), graceMs);
  }

  close(code, reason) {
    this.ws?.close(code, reason);
  }

  /** Drops the socket without waiting for its close handshake: no more frames or close event reach the owner. */
  abandon(code, reason) {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onclose = null;
    ws.onmessage = null;
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Session over: no timer of this socket fires any more. */
  stop() {
    this.endConnect();
    this.stopKeepAlive();
    clearTimeout(this._leaveTimer);
  }
}
