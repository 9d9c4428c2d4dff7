// Prism SDK: telling the server what each peer connection runs over (PROTOCOL.md connectionInfo): the candidate type
// and a TURN relay's protocol, which only the browser knows.

import { sameConnectionInfo, selectedConnectionInfo } from './connection-info.js';

/**
 * Reads a connection's selected candidate pair when it connects, when its ICE transport says the pair changed
 * (`selectedcandidatepairchange`; Firefox lacks it) and every `checkMs` (which catches what the events miss), and
 * sends `connectionInfo` when what it reads differs from what it last sent for that connection. A send that fails
 * (socket down) is tried again at the next read. A new connection (a fresh join) is reported afresh.
 *
 * Owned by a {@link PrismClient}; uses its state and socket. Runs on the page's event loop.
 */
export class ConnectionReport {
  /**
   * @param {PrismClient} client the owner
   * @param {{checkMs: number}} options `checkMs` 0 turns the reports off
   */
  constructor(client, { checkMs }) {
    this._client = client;
    this._checkMs = checkMs;
    this._timer = null;
    /** role -> {pc, sent: ConnectionInfo|null, checking: boolean} */
    this._connections = new Map();
    /** What each connection's selected pair runs over, as last read (null before it is known); updated in place. */
    this.current = { publisher: null, subscriber: null };
    /** ICE transports already listened to. */
    this._hooked = new WeakSet();
  }

  /** A new peer connection in `role`: reported when it connects and whenever its pair changes. */
  watch(pc, role) {
    if (this._checkMs <= 0 || !pc) return;
    this._connections.set(role, { pc, sent: null, checking: false });
    this.current[role] = null;
    pc.addEventListener?.('connectionstatechange', () => {
      if (pc.connectionState === 'connected') this._checkSoon(role);
    });
  }

  start() {
    this.stop();
    if (this._checkMs > 0) this._timer = setInterval(() => this.checkAll(), this._checkMs);
  }

  stop() {
    clearInterval(this._timer);
    this._timer = null;
  }

  /** One read of every connection. */
  checkAll() {
    for (const role of this._connections.keys()) this._checkSoon(role);
  }

  _checkSoon(role) {
    this.check(role).catch((e) => console.warn('prism: connection info check failed', e));
  }

  /** Reads `role`'s selected pair and sends it if it changed. */
  async check(role) {
    const client = this._client;
    const entry = this._connections.get(role);
    if (!entry || entry.checking || client.state !== 'connected' || client._leaving) return;
    const pc = entry.pc;
    if (pc.connectionState !== 'connected' || typeof pc.getStats !== 'function') return;
    this._hookIceTransport(pc, role);
    entry.checking = true;
    let info;
    try {
      info = selectedConnectionInfo(await pc.getStats());
    } finally {
      entry.checking = false;
    }
    if (!info || this._connections.get(role) !== entry) return; // nothing selected yet, or a newer connection
    this.current[role] = info;
    if (sameConnectionInfo(info, entry.sent) || client.state !== 'connected' || client._leaving) return;
    try {
      client._send({ type: 'connectionInfo', connection: role, ...info });
      entry.sent = info;
    } catch {
      // the socket is down: the next read sends it
    }
  }

  /** Listens to the ICE transport's pair changes where the browser has the event (Chromium, Safari). */
  _hookIceTransport(pc, role) {
    const parts = [...(pc.getSenders?.() ?? []), ...(pc.getReceivers?.() ?? [])];
    const ice = parts.map((p) => p?.transport?.iceTransport).find((t) => t && typeof t.addEventListener === 'function');
    if (!ice || this._hooked.has(ice)) return;
    this._hooked.add(ice);
    ice.addEventListener('selectedcandidatepairchange', () => {
      if (this._connections.get(role)?.pc === pc) this._checkSoon(role);
    });
  }
}
