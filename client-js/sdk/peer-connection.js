// Prism SDK: creating a peer connection and watching its transport (failure and ICE loss).

import { PrismError, asPrismError } from './prism-error.js';

const PC_CONFIG = Object.freeze({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
/**
 * Default of how long a peer connection may stay ICE-'disconnected' before the SDK restarts ICE. Short: Chromium
 * already waited ~2.5 s without an answer to its checks before saying 'disconnected', and a restart over a path that
 * was about to recover costs one offer/answer, while waiting costs seconds of frozen media.
 */
export const ICE_DISCONNECTED_GRACE_MS = 1000;

/**
 * The configuration of the client's peer connections: bundle, rtcp-mux, the ICE servers of the last welcome or
 * `iceServers` message, and relayed candidates only when the client was made with `forceRelay`.
 * @param {PrismClient} client
 * @returns {RTCConfiguration}
 */
export function pcConfig(client) {
  const config = { ...PC_CONFIG, iceServers: client._iceServers };
  if (client._forceRelay) config.iceTransportPolicy = 'relay';
  return config;
}

/**
 * New ICE servers from the server (`welcome.iceServers` or an `iceServers` message: fresh TURN credentials before the
 * last ones expire). Kept for the peer connections made later and applied at once to the live ones, so that their next
 * ICE gathering (an ICE restart) uses them. An empty or missing list keeps what the client has.
 * @param {PrismClient} client
 * @param {RTCIceServer[]|undefined} iceServers
 */
export function useIceServers(client, iceServers) {
  if (!Array.isArray(iceServers) || iceServers.length === 0) return;
  client._iceServers = iceServers;
  for (const pc of [client.publisherPc, client.subscriberPc]) {
    if (!pc || pc.signalingState === 'closed' || typeof pc.setConfiguration !== 'function') continue;
    try {
      pc.setConfiguration(pcConfig(client));
    } catch (e) {
      client._emit('error', asPrismError(e, 'negotiation'));
    }
  }
}

/**
 * A new peer connection that reports its transport's trouble.
 * @param {Function} RTCPeerConnectionImpl the constructor (the global one, or a test's fake)
 * @param {RTCConfiguration} config
 * @param {object} watch callbacks, called on the page's event loop
 * @param {() => void} watch.onFailed the connection went 'failed' (ICE/DTLS)
 * @param {(pc: RTCPeerConnection) => void} watch.onIceLost ICE 'failed', or 'disconnected' for `graceMs`: time to
 *   restart ICE. A network change (Wi-Fi to cellular) shows as 'disconnected', then 'failed'; the server is ICE-lite, so only
 *   new credentials make the browser look for a new path.
 * @param {number} [watch.graceMs] how long 'disconnected' may last (default {@link ICE_DISCONNECTED_GRACE_MS})
 */
export function newPeerConnection(RTCPeerConnectionImpl, config, { onFailed, onIceLost, graceMs = ICE_DISCONNECTED_GRACE_MS }) {
  const pc = new RTCPeerConnectionImpl(config);
  pc.addEventListener?.('connectionstatechange', () => {
    if (pc.connectionState === 'failed') onFailed();
  });
  let disconnectedTimer = null;
  pc.addEventListener?.('iceconnectionstatechange', () => {
    clearTimeout(disconnectedTimer);
    if (pc.iceConnectionState === 'failed') onIceLost(pc);
    else if (pc.iceConnectionState === 'disconnected') disconnectedTimer = setTimeout(() => onIceLost(pc), graceMs);
  });
  return pc;
}

/**
 * A peer connection for `client`: its failure is emitted as `transport_failed`, lost ICE restarts ICE on both
 * connections (while connected and not leaving), and its selected candidate pair is reported to the server.
 * @param {PrismClient} client the owner
 * @param {'publisher'|'subscriber'} role named in the error
 */
export function newClientPeerConnection(client, role) {
  const pc = newPeerConnection(client._RTCPeerConnection, pcConfig(client), {
    graceMs: client._iceDisconnectedGraceMs,
    onFailed: () => {
      if (client.state === 'connected') {
        client._emit('error', new PrismError('transport_failed', `${role} connection failed (ICE/DTLS)`));
      }
    },
    onIceLost: (pc) => {
      if (client.state === 'connected' && !client._leaving && pc.signalingState !== 'closed') {
        client.restartIce().catch((e) => client._emit('error', asPrismError(e, 'negotiation')));
      }
    },
  });
  client._connectionReport?.watch(pc, role); // tells the server what it runs over once connected
  return pc;
}
