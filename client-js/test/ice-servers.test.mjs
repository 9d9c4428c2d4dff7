// TURN in the SDK: the ICE servers of welcome (and of each later `iceServers` message or resume) reach both peer
// connections, `forceRelay` makes them relay-only, and fresh credentials are applied with setConfiguration.
// Run: npm test (in client-js/) or node --test client-js/test/
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { PrismClient } from '../sdk/prism-sdk.js';

/** The socket the SDK opens; the test plays the server through it. */
class FakeWebSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.last = this;
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code = 1000, reason = '') {
    if (this.readyState !== 3) this.serverClose(code, reason, true);
  }

  open() {
    this.readyState = 1;
  }

  serverSend(message) {
    this.onmessage({ data: JSON.stringify(message) });
  }

  serverClose(code, reason = '', wasClean = false) {
    this.readyState = 3;
    this.onclose({ code, reason, wasClean });
  }
}

/** Just enough of RTCPeerConnection for a subscriber offer/answer; records its configuration changes. */
class FakePeerConnection {
  static created = [];

  constructor(config) {
    this.config = config;
    this.configurations = [];
    this.signalingState = 'stable';
    this.iceConnectionState = 'connected';
    this.transceivers = [];
    FakePeerConnection.created.push(this);
  }

  addEventListener() {}

  setConfiguration(config) {
    if (config.bundlePolicy !== this.config.bundlePolicy) throw new Error('InvalidModificationError');
    this.configurations.push(config);
    this.config = config;
  }

  getTransceivers() {
    return this.transceivers;
  }

  async getStats() {
    return new Map();
  }

  async setRemoteDescription() {
    this.signalingState = 'have-remote-offer';
  }

  async createAnswer() {
    return { type: 'answer', sdp: 'answer' };
  }

  async setLocalDescription(desc) {
    this.signalingState = 'stable';
    this.localDescription = desc;
  }

  close() {
    this.signalingState = 'closed';
  }
}

async function until(condition, what) {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const self = { id: 'me-1', name: 'Me', canPublish: true, canSubscribe: true, tracks: [] };
const TURN_A = [{ urls: ['turn:turn.test:3478?transport=udp', 'turns:turn.test:443?transport=tcp'],
  username: '1700003600:me-1', credential: 'Qf0exLAYsKGxTm2io++I5mN+YJ0=' }];
const TURN_B = [{ urls: ['turn:turn.test:3478?transport=udp', 'turns:turn.test:443?transport=tcp'],
  username: '1700006300:me-1', credential: 'b2xkZXItbmV3ZXItY3JlZGVudGlhbD0=' }];
const welcome = (extra = {}) => ({
  type: 'welcome', participant: self, room: { id: 'demo', participants: [self] }, iceServers: TURN_A,
  resumeToken: 'rt-1', resumeWindowMs: 20000, resumed: false, subscriptions: [], ...extra,
});

/** A connected client with a subscriber connection. */
async function connected(options = {}) {
  const client = new PrismClient({
    url: 'ws://prism.test/ws', token: 't', keepAliveMs: 0, mediaCheckMs: 0, requestTimeoutMs: 1000,
    reconnectDelaysMs: [0], WebSocket: FakeWebSocket, RTCPeerConnection: FakePeerConnection, ...options,
  });
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend(welcome());
  await done;
  ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=', tracks: [] });
  await until(() => client.subscriberPc !== null && ws.sent.some((m) => m.type === 'subscriberAnswer'), 'answer');
  return { client, ws };
}

afterEach(() => {
  FakePeerConnection.created = [];
});

describe('ICE servers and TURN', () => {
  it('gives the peer connection the ICE servers of welcome, all candidate types by default', async () => {
    const { client } = await connected();
    assert.deepEqual(client.subscriberPc.config,
      { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: TURN_A });
    client.leave();
  });

  it('forceRelay: relayed candidates only', async () => {
    const { client } = await connected({ forceRelay: true });
    assert.equal(client.subscriberPc.config.iceTransportPolicy, 'relay');
    assert.deepEqual(client.subscriberPc.config.iceServers, TURN_A);
    client.leave();
  });

  it('an iceServers message applies fresh credentials to the live connection, keeping relay-only', async () => {
    const { client, ws } = await connected({ forceRelay: true });
    const pc = client.subscriberPc;
    ws.serverSend({ type: 'iceServers', iceServers: TURN_B });
    assert.deepEqual(pc.configurations, [
      { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: TURN_B, iceTransportPolicy: 'relay' }]);
    // an empty or malformed list changes nothing
    ws.serverSend({ type: 'iceServers', iceServers: [] });
    ws.serverSend({ type: 'iceServers' });
    assert.equal(pc.configurations.length, 1);
    client.leave();
  });

  it('connections made later use the latest servers', async () => {
    const { client, ws } = await connected();
    ws.serverSend({ type: 'iceServers', iceServers: TURN_B });
    // the server drops the subscriber connection and offers a new one on a fresh connection
    client.subscriberPc.close();
    client._subscriber.reset();
    ws.serverSend({ type: 'subscriberOffer', version: 2, sdp: 'mids=', tracks: [] });
    await until(() => FakePeerConnection.created.length === 2, 'a new connection');
    assert.deepEqual(FakePeerConnection.created[1].config.iceServers, TURN_B);
    client.leave();
  });

  it("a resume's welcome brings fresh credentials to the live connection", async () => {
    const { client, ws } = await connected();
    const pc = client.subscriberPc;
    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'a reconnect attempt');
    const again = FakeWebSocket.last;
    again.open();
    again.serverSend(welcome({ resumed: true, resumeToken: 'rt-2', iceServers: TURN_B }));
    assert.equal(client.state, 'connected');
    assert.deepEqual(pc.configurations.map((c) => c.iceServers), [TURN_B]);
    client.leave();
  });

  it('a connection that refuses the change reports an error and the client carries on', async () => {
    const { client, ws } = await connected();
    const errors = [];
    client.on('error', (e) => errors.push(e));
    client.subscriberPc.setConfiguration = () => { throw new Error('InvalidModificationError'); };
    ws.serverSend({ type: 'iceServers', iceServers: TURN_B });
    assert.equal(errors.length, 1);
    assert.equal(client.state, 'connected');
    client.leave();
  });
});
