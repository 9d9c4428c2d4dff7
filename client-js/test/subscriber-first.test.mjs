// A join's first publish waits for the subscriber connection (sdk/subscriber-first.js and its use in
// sdk/publisher.js): with a fake clock and fake sleep, when it waits, for how long, and when it does not wait at all.
// Run: node --test client-js/test/subscriber-first.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { SUBSCRIBER_FIRST_CAP_MS, subscriberFirst, subscriberPending } from '../sdk/subscriber-first.js';

/** A client in the given state with a subscriber: the tracks the server said it sends, a pc or none. */
function fakeClient({ state = 'connected', expected = [], pcState = null } = {}) {
  return { state, _subscriber: { expected, pc: pcState === null ? null : { connectionState: pcState } } };
}

/** A fake clock whose sleep moves it on, with a hook run at every sleep (a state change meanwhile). */
function fakeTime(onSleep = () => {}) {
  const t = { now: 0, sleeps: 0 };
  t.options = {
    now: () => t.now,
    sleep: async (ms) => { t.sleeps++; t.now += ms; onSleep(t); },
  };
  return t;
}

describe('subscriberPending', () => {
  const table = [
    ['nothing is coming: an empty room', {}, false],
    ['the welcome listed what the server sends', { expected: [{ trackId: 'a:1' }] }, true],
    ['an offer made the connection, nothing listed', { pcState: 'new' }, true],
    ['the subscriber connection is negotiating', { expected: [{}], pcState: 'connecting' }, true],
    ['the subscriber connection is up', { expected: [{}], pcState: 'connected' }, false],
    ['the subscriber connection failed', { expected: [{}], pcState: 'failed' }, false],
    ['the client is no longer connected', { expected: [{}], state: 'disconnected' }, false],
  ];
  for (const [name, setup, pending] of table) {
    it(name, () => assert.equal(subscriberPending(fakeClient(setup)), pending));
  }
});

describe('subscriberFirst', () => {
  it('does not wait when nothing is coming', async () => {
    const t = fakeTime();
    assert.equal(await subscriberFirst(fakeClient(), t.options), 'ready');
    assert.equal(t.sleeps, 0);
  });

  it('waits until the subscriber connection connects', async () => {
    const client = fakeClient({ expected: [{ trackId: 'a:1' }] });
    const t = fakeTime((time) => {
      if (time.now === 60) client._subscriber.pc = { connectionState: 'connecting' };
      if (time.now === 200) client._subscriber.pc.connectionState = 'connected';
    });
    assert.equal(await subscriberFirst(client, t.options), 'ready');
    assert.equal(t.now, 200);
  });

  it('gives up at the cap', async () => {
    const t = fakeTime();
    assert.equal(await subscriberFirst(fakeClient({ pcState: 'connecting' }), t.options), 'cap');
    assert.ok(t.now >= SUBSCRIBER_FIRST_CAP_MS && t.now < SUBSCRIBER_FIRST_CAP_MS + 100, `stopped at ${t.now}`);
  });
});

// ---------------------------------------------------------------------------------------------- in PrismClient

/** The socket the SDK opens; the test plays the server. */
class FakeWebSocket {
  static last = null;
  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; FakeWebSocket.last = this; }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.(); }
  serverSend(message) { this.onmessage({ data: JSON.stringify(message) }); }
  ofType(type) { return this.sent.filter((m) => m.type === type); }
}

/** Enough of an RTCPeerConnection for one subscriber offer and one publish; its connectionState is the test's. */
class FakePeerConnection {
  constructor(config) {
    this.config = config; this.transceivers = []; this.connectionState = 'new'; this.signalingState = 'stable';
    this.iceConnectionState = 'new'; this.localDescription = null;
  }
  addEventListener() {}
  addTransceiver(track, init) {
    const t = { mid: null, direction: init.direction, sender: { track }, receiver: { track: null } };
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() { return this.transceivers; }
  async getStats() { return new Map(); }
  async createOffer() { return { type: 'offer', sdp: 'offer' }; }
  async createAnswer() { return { type: 'answer', sdp: 'answer' }; }
  async setLocalDescription(desc) {
    let next = 0;
    for (const t of this.transceivers) if (t.mid === null) t.mid = String(next++);
    this.localDescription = desc;
  }
  async setRemoteDescription() {}
  close() { this.signalingState = 'closed'; }
}

async function until(condition, what) {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PrismClient#publish at join', () => {
  it('sends its publishOffer once the subscriber connection is connected, not before', async () => {
    const { PrismClient } = await import('../sdk/prism-sdk.js');
    const client = new PrismClient({
      url: 'ws://prism.test/ws', token: 't', keepAliveMs: 0, mediaCheckMs: 0, mediaStallMs: 0, connectionInfoMs: 0,
      requestTimeoutMs: 5000, WebSocket: FakeWebSocket, RTCPeerConnection: FakePeerConnection,
    });
    const self = { id: 'me-1', name: 'Me', canPublish: true, canSubscribe: true, tracks: [] };
    const bob = { id: 'bob-1', name: 'Bob', canPublish: true, canSubscribe: true,
      tracks: [{ id: 'bob-1:1', participantId: 'bob-1', kind: 'video', source: 'camera', muted: false }] };
    const lines = [{ mid: '0', trackId: 'bob-1:1', participantId: 'bob-1', kind: 'video' }];
    const done = client.connect();
    const ws = FakeWebSocket.last;
    ws.open();
    ws.serverSend({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self, bob] },
      iceServers: [], subscriptions: lines });
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'offer', tracks: lines });
    await done;
    const track = { kind: 'video', enabled: true, readyState: 'live', stop() {} };
    const published = client.publish({ stream: { getTracks: () => [track] } });

    await until(() => ws.ofType('subscriberAnswer').length === 1, 'subscriberAnswer');
    client.subscriberPc.connectionState = 'connecting';
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(ws.ofType('publishOffer').length, 0, 'publishing waits for the subscriber connection');

    client.subscriberPc.connectionState = 'connected';
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    const offer = ws.ofType('publishOffer')[0];
    ws.serverSend({ type: 'publishAnswer', requestId: offer.requestId, sdp: 'answer' });
    await until(() => ws.ofType('getState').length === 1, 'getState');
    ws.serverSend({ type: 'state', room: { id: 'demo', participants: [{ ...self, tracks: [
      { id: 'me-1:0', participantId: 'me-1', kind: 'video', source: 'camera', muted: false }] }, bob] },
    subscriptions: lines });
    await published;
    client.leave?.();
  });
});
