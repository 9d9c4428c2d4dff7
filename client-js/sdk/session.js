// Prism SDK: the session's lifecycle on the signaling socket: welcome, which part handles each server message, the
// socket closing (reconnect, refusal or the end), and the teardown when the session is over for good.

import { handleDataMessage } from './data-messages.js';
import { refusalError } from './http.js';
import { useIceServers } from './peer-connection.js';
import { PrismError } from './prism-error.js';
import { CLUSTER_UNAVAILABLE, MIGRATE, NODE_DRAINING, OWNER_LOST, SERVER_SHUTDOWN } from './reconnect.js';
import { toSpeakers } from './speakers.js';
import { errorFromMessage, parseServerMessage } from './wire.js';

/**
 * Routes what the signaling socket delivers and decides what a close means. Holds no state of its own besides the
 * page-unload listener: the client's state, room model, requests and parts are the session.
 *
 * Owned by a {@link PrismClient}; its {@link SignalingSocket} calls {@link onMessage} and {@link onClose}. Runs on the
 * page's event loop.
 */
export class Session {
  /** @param {PrismClient} client the owner */
  constructor(client) {
    this._client = client;
    this._onPageHide = () => this.leaveOnUnload();
  }

  /** One frame from the session's socket. */
  onMessage(data) {
    const client = this._client;
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      client._emit('error', parsed.error);
      return;
    }
    const msg = parsed.msg;
    client._socket.heard();
    if (client._state === 'connecting') {
      if (msg.type === 'welcome') this.onWelcome(msg);
      else if (msg.type === 'error') client._emit('error', errorFromMessage(msg));
      else client._emit('error', new PrismError('protocol', `'${msg.type}' before welcome`));
      return;
    }
    if (client._state !== 'connected') return;
    switch (msg.type) {
      case 'publishAnswer':
      case 'pong':
      case 'iceRestartAck':
      case 'repairResult':
      case 'trackPreferencesAck':
      case 'dataAck':
        client._requests.settle(msg);
        break;
      case 'subscriberOffer':
        client._subscriber.enqueueOffer(msg);
        break;
      case 'iceServers':
        useIceServers(client, msg.iceServers);
        break;
      case 'publisherLayers':
        client._publisher.dynacast.apply(msg);
        break;
      case 'error':
        if (!client._requests.settle(msg)) client._emit('error', errorFromMessage(msg));
        break;
      case 'state':
        if (Array.isArray(msg.subscriptions)) client._subscriber.expected = msg.subscriptions;
        client._dispatch(client._model.apply(msg));
        client._requests.settle(msg);
        break;
      case 'participantJoined':
      case 'participantLeft':
      case 'trackPublished':
      case 'trackUnpublished':
      case 'trackMuted':
        client._dispatch(client._model.apply(msg));
        client._requests.settle(msg);
        break;
      case 'speakers':
        client._emit('speakersChanged', toSpeakers(msg, (id) => client._model._owner(id)));
        break;
      case 'migrate':
        // The room is moving: the server closes with 4011 next, and onClose joins again at once.
        client._emit('migrate', { reason: String(msg.reason ?? ''), message: String(msg.message ?? '') });
        break;
      case 'shutdown':
        this._shutdown = msg; // reported with the close (4010) that follows
        break;
      case 'welcome':
        client._emit('error', new PrismError('protocol', 'second welcome ignored'));
        break;
      default:
        handleDataMessage(client, msg); // data, permissionsChanged, metadata (data-messages.js); else ignored
        break; // newer server: ignore what we do not know
    }
  }

  /** The first welcome: connected. (A reconnect's welcome goes to the Reconnector.) */
  onWelcome(msg) {
    const client = this._client;
    client._joinTimeline.mark('welcome');
    const events = client._model.applyWelcome(msg);
    if (!client._model.local) {
      this.failConnect(events[0]?.[1] ?? new PrismError('protocol', 'bad welcome'));
      client._socket.close(1002, 'bad welcome');
      return;
    }
    this.takeSessionInfo(msg);
    client._setState('connected');
    this.startTimers();
    globalThis.addEventListener?.('pagehide', this._onPageHide);
    const waiter = client._socket.endConnect();
    waiter?.resolve(client._model.local);
    client._dispatch(events);
  }

  /** Resume token and window, fresh ICE servers, and the server's list of what we should receive, from a welcome. */
  takeSessionInfo(msg) {
    const client = this._client;
    useIceServers(client, msg.iceServers);
    client._reconnector.takeSessionInfo(msg);
    client._subscriber.expected = Array.isArray(msg.subscriptions) ? msg.subscriptions : [];
    // The token's cap: encodings above it are not sent (a fresh join's senders are new, built under it).
    client._publisher.qualityCap.update(msg.grants, { senders: msg.resumed === true });
  }

  /** Keep-alive pings (a ping unanswered until the next one means a dead socket) and the media check. */
  startTimers() {
    const client = this._client;
    client._socket.startKeepAlive((reason) => this.abandonSocket(reason));
    client._mediaRepair.start();
    client._networkWatch.start();
    client._transportWatch.start();
    client._connectionReport.start();
    client._subscriber.adaptive.start();
  }

  stopTimers() {
    const client = this._client;
    client._socket.stopKeepAlive();
    client._mediaRepair.stop();
    client._networkWatch.stop();
    client._transportWatch.stop();
    client._connectionReport.stop();
    client._subscriber.adaptive.stop();
  }

  /** A page being unloaded (reload, close, navigation) leaves at once, so no ghost stays behind. */
  leaveOnUnload() {
    const client = this._client;
    if (client._state !== 'connected' || client._leaving) return;
    client._leaving = true; // the close that follows must not look like a drop to reconnect from
    this.stopTimers();
    try {
      client._send({ type: 'leave' });
      client._socket.close(1000, 'page unloaded');
    } catch {
      // already closing
    }
  }

  /** The session's socket closed: reconnect, report a refused connect, or end the session. */
  onClose(ev) {
    const client = this._client;
    client._socket.stopConnectTimer(); // the waiter stays: failConnect below settles it
    if (client._state === 'connected' && ev?.code === MIGRATE && client._reconnector.canFollow()) {
      client._reconnector.begin(ev, { resume: false, cause: 'migrate' });
      return;
    }
    if (client._state === 'connected' && ev?.code === SERVER_SHUTDOWN && !client._leaving) {
      this.onShutdown(ev);
      return;
    }
    if (client._state === 'connected' && ev?.code === OWNER_LOST && client._reconnector.canReconnect(ev.code)) {
      // cluster: the link behind our socket broke, the session is still there: resume at once (it routes again)
      client._reconnector.begin(ev, { firstDelayMs: 0, cause: 'owner_lost' });
      return;
    }
    if (client._state === 'connected' && client._reconnector.canReconnect(ev?.code)) {
      client._reconnector.begin(ev);
      return;
    }
    if (client._state === 'connecting') {
      if (client._leaving) {
        this.failConnect(new PrismError('disconnected', 'left before the connection was established'));
        return;
      }
      if (ev?.code === NODE_DRAINING) {
        this.failConnect(new PrismError('node_draining', 'the server is shutting down: try again later or elsewhere',
          { closeCode: ev.code, closeReason: ev.reason ?? '' }));
        return;
      }
      if (ev?.code === CLUSTER_UNAVAILABLE) {
        this.failConnect(new PrismError('cluster_unavailable', 'no server for this room can be reached now: try again '
          + 'shortly', { closeCode: ev.code, closeReason: ev.reason ?? '' }));
        return;
      }
      refusalError(ev, client._socket.url, client._probeRefusal).then((err) => this.failConnect(err));
      return;
    }
    this.teardown({
      code: ev?.code ?? 1006,
      reason: ev?.reason ?? '',
      wasClean: ev?.wasClean ?? false,
      left: client._leaving,
      leftReason: client._selfLeftReason,
    });
  }

  /**
   * The server shut down with us still in the room (close 4010). Terminal by default: `shutdown`, then `disconnected`.
   * With `rejoinAfterShutdown` the client joins afresh after a random 5-30 s (so that a whole server's clients do not
   * all come back in the same instant).
   */
  onShutdown(ev) {
    const client = this._client;
    const msg = this._shutdown ?? {};
    this._shutdown = null;
    const delayMs = client._rejoinAfterShutdown ? client._shutdownRejoinDelay() : null;
    client._emit('shutdown', { reason: String(msg.reason ?? 'server_shutdown'), message: String(msg.message ?? ''),
      rejoinInMs: delayMs });
    if (delayMs !== null && client._reconnector.canFollow() && client._state === 'connected') {
      client._reconnector.begin(ev, { resume: false, firstDelayMs: delayMs, cause: 'shutdown' });
      return;
    }
    this.teardown({ code: ev.code, reason: ev.reason ?? '', wasClean: ev.wasClean ?? false, left: false,
      leftReason: client._selfLeftReason });
  }

  /** Gives up on a socket that stopped answering without waiting for its close handshake, and reconnects. */
  abandonSocket(reason) {
    const client = this._client;
    if (!client._socket.ws || client._state !== 'connected') return;
    client._socket.abandon(4100, reason);
    if (client._reconnector.canReconnect(4100)) client._reconnector.begin({ code: 4100, reason });
    else this.onClose({ code: 4100, reason, wasClean: false });
  }

  /** The first connect failed: disconnected, connect() rejects with `error`. */
  failConnect(error) {
    const client = this._client;
    const waiter = client._socket.endConnect();
    if (client._state !== 'disconnected') {
      client._setState('disconnected');
      client._resolveClosed();
    }
    waiter?.reject(error);
  }

  /** The session is over for good: everything stops, `disconnected` fires once. */
  teardown(info) {
    const client = this._client;
    if (client._state === 'disconnected') return;
    this.stopTimers();
    client._joinTimeline.stop();
    client._reconnector.stop();
    client._socket.stop();
    globalThis.removeEventListener?.('pagehide', this._onPageHide);
    client._requests.rejectAll(new PrismError('disconnected', 'disconnected'));
    this.releaseMedia();
    client._model.reset();
    client._setState('disconnected');
    client._emit('disconnected', info);
    client._resolveClosed();
  }

  /** Stops captured media and closes both peer connections (kept as fields so tests can still read them). */
  releaseMedia() {
    const client = this._client;
    client._publisher.stopOwnedTracks();
    for (const pc of [client.publisherPc, client.subscriberPc]) {
      try {
        pc?.close();
      } catch {
        // already closed
      }
    }
  }
}
