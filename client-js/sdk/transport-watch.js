// Prism SDK: noticing within about half a second that both peer connections stopped receiving (the path died), long before ICE.

import { now } from './clock.js';
import { FlowStall } from './flow-stall.js';
import { restartIceFor } from './network-watch.js';

/**
 * Every `checkMs` sums `bytesReceived` of both connections' transports (getStats) and hands the sum to a
 * {@link FlowStall}: a flow that was steady and stood still for `stallMs` means the network path died. A changed
 * address (Wi-Fi to cellular) leaves ICE-'connected' for ~6 s in Chromium before it says 'disconnected', and the page
 * hears of no change. Then the signaling socket, whose TCP connection went with the old address, is resumed at once,
 * and ICE restarts on both connections once it is back (`iceRestart` phase 'detected', cause 'stall'). A publisher
 * receives the server's transport-cc feedback every 50 ms and a subscriber its media, so silence there is not normal;
 * a quiet connection (nothing steady to lose) is never judged.
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
    this._flow = new FlowStall({ stallMs });
    this._timer = null;
    this._checking = false;
    /** Stalls acted on so far. */
    this.stalls = 0;
  }

  start() {
    this.stop();
    this._flow.reset();
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
    if (!this._flow.sample(now(), bytes) || client._iceRestarting) return;
    this.stalls++;
    if (client.state !== 'connected' || client._leaving) return;
    client._emit('iceRestart', { phase: 'detected', cause: 'stall' });
    if (!client._reconnector.canReconnect(4100)) {
      restartIceFor(client, 'stall');
      return;
    }
    client._iceRestartOnResume = 'stall'; // the restart's requests need a live socket: they go once resumed
    client._session.abandonSocket('nothing received on either connection');
  }
}
