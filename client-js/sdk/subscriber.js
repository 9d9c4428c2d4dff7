// Prism SDK: the subscriber peer connection, the one the server offers on (PROTOCOL.md subscriberOffer/Answer).

import { AdaptiveStream } from './adaptive-stream.js';
import { newClientPeerConnection } from './peer-connection.js';
import { PrismError, asPrismError } from './prism-error.js';

/**
 * Applies the server's subscriber offers in order (a promise queue), answers them, and hands the room model the
 * transceivers' receivers so it can derive which remote tracks are subscribed. Remembers the last answer, sent again
 * when the server repeats an offer whose answer was lost with an old socket.
 *
 * Owned by a {@link PrismClient}; uses its room model, socket and state. Runs on the page's event loop.
 */
export class Subscriber {
  /**
   * @param {PrismClient} client the owner
   * @param {{adaptiveStream?: boolean}} [options] `adaptiveStream`: preferences follow the video elements
   */
  constructor(client, { adaptiveStream = true } = {}) {
    this._client = client;
    /** Sets each received video track's preferences from its elements (started and stopped with the session). */
    this.adaptive = new AdaptiveStream(client, { enabled: adaptiveStream });
    /** @type {RTCPeerConnection|null} kept after close (tests read its stats); null again after a fresh join */
    this.pc = null;
    /**
     * What the server says it sends us (welcome/state `subscriptions`, the latest offer's `tracks`):
     * [{trackId, muted?, ...}], the media repair's list of what must arrive.
     */
    this.expected = [];
    /** Serializes subscriber offers: each is applied and answered before the next starts. */
    this._offerQueue = Promise.resolve();
    this._lastOfferVersion = -Infinity;
    /** {version, sdp} of the last answer sent, sent again if the server repeats that offer (its answer was lost). */
    this._lastAnswer = null;
    /** The cause of an ICE restart whose renewed offer is still to come (set when the server acknowledged it). */
    this.renewing = null;
  }

  /** Queues a `subscriberOffer`; a failure to apply it is emitted as `error` (code `negotiation`). */
  enqueueOffer(msg) {
    this._client._joinTimeline.mark('subscriberOffer');
    this._offerQueue = this._offerQueue
      .then(() => this._onOffer(msg))
      .catch((e) => this._client._emit('error', asPrismError(e, 'negotiation')));
  }

  /** After a fresh join: forgets the old connection (the caller closes it) and the offers it negotiated. */
  reset() {
    this.pc = null;
    this.adaptive.forget();
    this._lastOfferVersion = -Infinity;
    this._lastAnswer = null;
    this._offerQueue = Promise.resolve();
    this.renewing = null;
  }

  async _onOffer(msg) {
    const client = this._client;
    if (client.state !== 'connected') return;
    if (typeof msg.sdp !== 'string' || typeof msg.version !== 'number') {
      throw new PrismError('protocol', 'subscriberOffer without sdp/version');
    }
    if (msg.version === this._lastOfferVersion && this._lastAnswer?.version === msg.version) {
      // The server sent the offer we answered again: our answer was lost with the old socket.
      client._send({ type: 'subscriberAnswer', version: msg.version, sdp: this._lastAnswer.sdp });
      return;
    }
    if (msg.version <= this._lastOfferVersion) return; // stale: a newer one was already answered
    if (!this.pc) {
      this.pc = newClientPeerConnection(client, 'subscriber');
      client._joinTimeline.watchSubscriber(this.pc);
    }
    const pc = this.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this._lastOfferVersion = msg.version;
    this._lastAnswer = { version: msg.version, sdp: pc.localDescription.sdp };
    if (client.state === 'connected') {
      try {
        client._send({ type: 'subscriberAnswer', version: msg.version, sdp: pc.localDescription.sdp });
        client._joinTimeline.mark('answerSent');
      } catch {
        // the socket dropped meanwhile: the server sends this offer again after the resume, we answer it then
      }
    }
    if (this.renewing) {
      client._emit('iceRestart', { phase: 'subscriberAnswered', cause: this.renewing });
      this.renewing = null;
    }
    // Bind by transceiver rather than by 'track' events: the receiver's track exists as soon as the offer is set,
    // and an m-line reused for another track keeps its receiver without necessarily firing 'track' again.
    const receivers = new Map();
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.mid != null) {
        receivers.set(String(transceiver.mid), { track: transceiver.receiver.track, receiver: transceiver.receiver });
      }
    }
    client._dispatch(client._model.applyOffer(msg.tracks, receivers));
    // The offer lists every track the server now sends us: that is what must arrive.
    if (Array.isArray(msg.tracks)) this.expected = msg.tracks;
  }
}
