// Prism SDK: noticing within a second that both peer connections stopped receiving (the path died), long before ICE.

import { now } from './clock.js';
import { asPrismError } from './prism-error.js';

/**
 * Every `checkMs` sums `bytesReceived` of both connections' transports (getStats). When the sum stood still for
 * `stallMs` after it had been growing, the network path is taken for dead: a changed address (Wi-Fi to cellular)
 * leaves ICE-'connected' for ~6 s in Chromium before it says 'disconnected'. Then the signaling socket, whose TCP
 * connection went with the old address, is resumed at once, and ICE restarts on both connections once it is back. A publisher always receives the server's RTCP feedback, a subscriber its media, so
 * silence while connected is not normal; a client that receives nothing at all is never judged (no growth seen yet).
 * Runs on the page's event loop, while the session is connected.
 */
export class TransportWatch {
  /**
   * @param {PrismClient} client the owner
   * @param {object} options
   * @param {number} options.checkMs how often stats are read; 0 disables
   * @param {number} options.stallMs how long received bytes may stand still
   */
  constructor(client, { checkMs, stallMs }) {
    this._client = client;
    this._checkMs = checkMs;
    this._stallMs = stallMs;
    this._timer = null;
    this._checking = false;
    this._bytes = -1;
    this._since = 0;
    /** Stalls acted on so far. */
    this.stalls = 0;
  }

  start() {
    this.stop();
    this._bytes = -1;
    if (this._checkMs > 0) {
      this._timer = setInterval(() => this.check().catch((e) => console.warn('prism: transport check failed', e)), this._checkMs);
    }
  }

  stop() {
    clearInterval(this._timer);
    this._timer = null;
  }

  /** One round: read the bytes received, act on a stall. */
  async check() {
    const client = this._client;
    if (client.state !== 'connected' || client._leaving || this._checking) return;
    const pcs = [client.publisherPc, client.subscriberPc].filter((pc) => pc && pc.signalingState !== 'closed');
    if (pcs.length === 0) return;
    this._checking = true;
    let bytes = 0;
    try {
      for (const pc of pcs) {
        (await pc.getStats()).forEach((s) => { if (s.type === 'transport') bytes += s.bytesReceived || 0; });
      }
    } finally {
      this._checking = false;
    }
    const t = now();
    if (bytes !== this._bytes) {
      const growing = bytes > this._bytes && this._bytes >= 0;
      this._bytes = bytes;
      this._since = growing ? t : -1; // -1: not judged until bytes grow (a new connection, nothing received yet)
      return;
    }
    if (this._since < 0 || t - this._since < this._stallMs || client._iceRestarting) return;
    this._since = -1; // once per stall: the restart's own traffic starts the next judgement
    this.stalls++;
    if (client.state !== 'connected' || client._leaving) return;
    if (!client._reconnector.canReconnect(4100)) {
      client.restartIce().catch((e) => client._emit('error', asPrismError(e, 'negotiation')));
      return;
    }
    client._iceRestartOnResume = true; // the restart's requests need a live socket: they go once resumed
    client._session.abandonSocket('nothing received on either connection');
  }
}
