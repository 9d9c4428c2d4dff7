// Prism SDK: restarting ICE when the device's network changes (Wi-Fi to cellular, a new address), before ICE notices.

import { asPrismError } from './prism-error.js';

/**
 * Listens, while the session is connected, for the signs of a network change the page can see: the window's `online`
 * event and `navigator.connection`'s `change` (Network Information API, Chromium only). Either one restarts ICE on both
 * connections at once: a changed address makes the old candidate pair die silently, and ICE alone would take its
 * consent timeout plus the disconnected grace to notice. Where neither exists the ICE state watch still recovers.
 * Callbacks run on the page's event loop.
 */
export class NetworkWatch {
  /**
   * @param {PrismClient} client the owner
   * @param {object} options
   * @param {EventTarget|null} options.window what fires `online` (the global window; a test's fake)
   * @param {EventTarget|null} options.connection what fires `change` (navigator.connection; a test's fake)
   */
  constructor(client, { window, connection }) {
    this._client = client;
    this._targets = [[window, 'online'], [connection, 'change']].filter(([t]) => t && typeof t.addEventListener === 'function');
    this._onChange = () => this._restart();
    this._listening = false;
    /** Network changes seen while connected (each restarted ICE unless one was under way). */
    this.changes = 0;
  }

  start() {
    if (this._listening) return;
    this._listening = true;
    for (const [target, type] of this._targets) target.addEventListener(type, this._onChange);
  }

  stop() {
    if (!this._listening) return;
    this._listening = false;
    for (const [target, type] of this._targets) target.removeEventListener(type, this._onChange);
  }

  _restart() {
    const client = this._client;
    if (client.state !== 'connected' || client._leaving) return;
    if (!client.publisherPc && !client.subscriberPc) return; // nothing to restart yet
    this.changes++;
    restartIceFor(client, 'network');
  }
}

/** The page's network-change sources, or none outside a browser. */
export function pageNetworkTargets() {
  return {
    window: typeof globalThis.addEventListener === 'function' ? globalThis : null,
    connection: globalThis.navigator?.connection ?? null,
  };
}

/**
 * The ICE restart of both connections behind `PrismClient.restartIce()`: the publisher offers with new credentials,
 * the server gives the subscriber new ones in its next offer. Concurrent calls share one restart. Its steps are emitted
 * as `iceRestart` ({phase, cause}): 'started', 'publisherAnswered', 'acknowledged', 'done', and 'subscriberAnswered'
 * once the subscriber's renewed offer is answered (Subscriber).
 *
 * A network change usually takes the signaling socket's TCP connection along with the ICE pair, and keep-alive pings
 * would notice only after up to two intervals. So a restart still unanswered after `client._iceRestartReplyMs`
 * abandons the socket: the reconnect resumes the session and sends the restart's requests again.
 * @param {PrismClient} client connected
 * @param {string} [cause='app'] why: 'stall', 'network', 'ice', 'resume' or 'app' (docs/SDK.md)
 * @returns {Promise<void>} once both requests were answered
 */
export function restartBothConnections(client, cause = 'app') {
  if (client._iceRestarting) return client._iceRestarting;
  let answered = false;
  const step = (phase) => client._emit('iceRestart', { phase, cause });
  const work = (async () => {
    step('started');
    const jobs = [];
    const publisher = client._publisher.restartIce();
    if (publisher) jobs.push(publisher.then(() => step('publisherAnswered')));
    if (client.subscriberPc) {
      jobs.push(client._request({ type: 'iceRestart' }, 'iceRestartAck').then(() => {
        client._subscriber.renewing = cause; // the server's next offer carries the new credentials
        step('acknowledged');
      }));
    }
    await Promise.all(jobs);
    client.iceRestarts++;
    step('done');
  })();
  client._iceRestarting = work;
  const replyDeadline = client._iceRestartReplyMs > 0 ? setTimeout(() => {
    if (!answered) client._session.abandonSocket('no reply to an ICE restart');
  }, client._iceRestartReplyMs) : null;
  const done = () => {
    answered = true;
    clearTimeout(replyDeadline);
    client._iceRestarting = null;
  };
  work.then(done, done);
  return work;
}

/** Restarts ICE for `cause` (see {@link restartBothConnections}); a failure is emitted as `error`. */
export function restartIceFor(client, cause) {
  restartBothConnections(client, cause).catch((e) => client._emit('error', asPrismError(e, 'negotiation')));
}
