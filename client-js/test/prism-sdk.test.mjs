// PrismClient against a scripted fake server socket and fake peer connections: checks the wire messages the SDK
// sends and the events it emits. Run: npm test (in client-js/) or node --test client-js/test/
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { PrismClient, PrismError } from '../sdk/prism-sdk.js';
import { FlowStall } from '../sdk/prism-state.js';

// ---------------------------------------------------------------------------------------------- fakes

/** The socket the SDK opens; the test plays the server through it. */
class FakeWebSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closedByClient = null;
    FakeWebSocket.last = this;
  }

  // --- what the SDK calls
  send(text) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(text));
  }

  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.closedByClient = { code, reason };
    this.serverClose(code, reason, true);
  }

  // --- what the test calls
  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  serverSend(message) {
    this.onmessage({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  serverClose(code, reason = '', wasClean = false) {
    this.readyState = 3;
    this.onclose({ code, reason, wasClean });
  }

  /** Sent messages of a type. */
  ofType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

/**
 * Minimal RTCPeerConnection: mids are assigned in transceiver order on setLocalDescription (publisher), and a remote
 * offer's SDP is a fake "mids=0:audio,1:video" line that creates one receiving transceiver per new mid (subscriber).
 */
class FakePeerConnection {
  static created = [];

  constructor(config) {
    this.config = config;
    this.transceivers = [];
    this.localDescription = null;
    this.remoteDescription = null;
    this.signalingState = 'stable';
    this.iceConnectionState = 'connected';
    this.closed = false;
    this.listeners = {};
    this.offerOptions = [];
    /** inbound-rtp entries getStats reports; tests edit them. */
    this.inbound = [];
    FakePeerConnection.created.push(this);
  }

  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }

  addTransceiver(track, init) {
    const t = {
      mid: null, direction: init.direction, sender: { track }, receiver: { track: null },
      stopped: false, stop() { this.stopped = true; },
    };
    this.transceivers.push(t);
    return t;
  }

  getTransceivers() {
    return this.transceivers;
  }

  async getStats() {
    const stats = new Map(this.inbound.map((s, i) => [`in-${i}`, { type: 'inbound-rtp', ...s }]));
    if (this.transportBytes !== undefined) stats.set('t', { type: 'transport', bytesReceived: this.transportBytes });
    return stats;
  }

  async createOffer(options) {
    this.offerOptions.push(options);
    return { type: 'offer', sdp: `offer:${this.transceivers.map((t) => t.sender.track.kind).join(',')}` };
  }

  async createAnswer() {
    return { type: 'answer', sdp: `answer:${this.transceivers.map((t) => t.mid).join(',')}` };
  }

  async setLocalDescription(desc) {
    if (desc.type === 'rollback') {
      this.signalingState = 'stable';
      this.localDescription = null;
      return;
    }
    if (desc.type === 'offer') {
      let next = 0;
      for (const t of this.transceivers) if (t.mid === null && !t.stopped) t.mid = String(next++);
      this.signalingState = 'have-local-offer';
    } else {
      this.signalingState = 'stable';
    }
    this.localDescription = desc;
  }

  async setRemoteDescription(desc) {
    this.remoteDescription = desc;
    if (desc.type === 'offer') {
      const lines = desc.sdp.replace('mids=', '').split(',').filter(Boolean);
      for (const line of lines) {
        const [mid, kind] = line.split(':');
        if (!this.transceivers.some((t) => t.mid === mid)) {
          this.transceivers.push({ mid, direction: 'recvonly', receiver: { track: { id: `remote-${mid}`, kind } } });
        }
      }
      this.signalingState = 'have-remote-offer';
    } else {
      this.signalingState = 'stable';
    }
  }

  close() {
    this.closed = true;
    this.signalingState = 'closed';
  }
}

function fakeTrack(kind) {
  return { kind, enabled: true, readyState: 'live', stopped: false, stop() { this.stopped = true; } };
}

function fakeStream(...kinds) {
  const tracks = kinds.map(fakeTrack);
  return { tracks, getTracks: () => tracks };
}

/** Waits until the condition holds (the SDK's promise chains need a few turns), failing after a deadline. */
async function until(condition, what) {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const self = { id: 'me-1', name: 'Me', canPublish: true, canSubscribe: true, tracks: [] };
const bob = {
  id: 'bob-1', name: 'Bob', canPublish: true, canSubscribe: true,
  tracks: [{ id: 'bob-1:0', participantId: 'bob-1', kind: 'audio', source: 'microphone', muted: false }],
};

function newClient(extra = {}) {
  return new PrismClient({
    url: 'ws://prism.test/ws', token: 'tok en', keepAliveMs: 0, mediaCheckMs: 0, mediaStallMs: 0, connectionInfoMs: 0,
    requestTimeoutMs: 1000,
    WebSocket: FakeWebSocket, RTCPeerConnection: FakePeerConnection, ...extra,
  });
}

/** A connected client and its socket. */
async function connected(others = [bob]) {
  const client = newClient();
  const events = [];
  for (const name of ['participantJoined', 'participantLeft', 'trackSubscribed', 'trackUnsubscribed', 'trackMuted',
    'trackPublished', 'stateChanged', 'error', 'disconnected']) {
    client.on(name, (...args) => events.push([name, ...args]));
  }
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self, ...others] }, iceServers: [] });
  await done;
  return { client, ws, events };
}

afterEach(() => {
  FakePeerConnection.created = [];
});

// ---------------------------------------------------------------------------------------------- tests

describe('PrismClient connect', () => {
  it('puts the token on the URL and resolves on welcome with the room state', async () => {
    const { client, ws, events } = await connected();
    assert.equal(ws.url, 'ws://prism.test/ws?token=tok+en');
    assert.equal(client.state, 'connected');
    assert.equal(client.roomId, 'demo');
    assert.equal(client.localParticipant.id, 'me-1');
    assert.deepEqual([...client.participants.keys()], ['bob-1']);
    assert.deepEqual(events.filter((e) => e[0] === 'stateChanged').map((e) => e[1]), ['connecting', 'connected']);
  });

  it('rejects with the server reason when the upgrade is refused (learned by probing over HTTP)', async () => {
    const realFetch = globalThis.fetch;
    const probed = [];
    globalThis.fetch = async (url) => {
      probed.push(url);
      return { status: 401, text: async () => 'token expired\n' };
    };
    try {
      const client = newClient();
      const done = client.connect();
      FakeWebSocket.last.serverClose(1006);
      await assert.rejects(done, (e) => e instanceof PrismError && e.code === 'connection_refused'
        && e.message === 'connection refused: token expired (HTTP 401)' && e.status === 401 && e.closeCode === 1006);
      assert.deepEqual(probed, ['http://prism.test/ws?token=tok+en']);
      assert.equal(client.state, 'disconnected');
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  it('rejects with the close code when nothing more can be learned', async () => {
    const client = newClient({ probeRefusal: false });
    const done = client.connect();
    FakeWebSocket.last.serverClose(1006);
    await assert.rejects(done, (e) => e.code === 'connection_refused' && e.message === 'connection refused (close code 1006)');
  });

  it('uses a close reason sent by the server', async () => {
    const client = newClient();
    const done = client.connect();
    FakeWebSocket.last.serverClose(4001, 'room full');
    await assert.rejects(done, (e) => e.message === 'connection refused: room full (close code 4001)');
  });

  it('refuses a second connect', async () => {
    const { client } = await connected();
    await assert.rejects(client.connect(), (e) => e.code === 'bad_state');
  });
});

describe('PrismClient publish and mute', () => {
  it('offers sendonly audio then video with their sources, applies the answer and learns the track ids', async () => {
    const { client, ws } = await connected();
    const stream = fakeStream('video', 'audio');
    const published = client.publish({ stream });

    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    const offer = ws.ofType('publishOffer')[0];
    assert.equal(offer.sdp, 'offer:audio,video');
    assert.deepEqual(offer.tracks, [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }]);
    const pc = client.publisherPc;
    assert.deepEqual(pc.config, { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [] });
    assert.deepEqual(pc.transceivers.map((t) => t.direction), ['sendonly', 'sendonly']);

    ws.serverSend({ type: 'publishAnswer', requestId: offer.requestId, sdp: 'answer-sdp' });
    await until(() => ws.ofType('getState').length === 1, 'getState');
    assert.deepEqual(pc.remoteDescription, { type: 'answer', sdp: 'answer-sdp' });
    const mine = {
      ...self,
      tracks: [
        { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false },
        { id: 'me-1:1', participantId: 'me-1', kind: 'video', source: 'camera', muted: false },
      ],
    };
    ws.serverSend({ type: 'state', room: { id: 'demo', participants: [mine, bob] } });
    const tracks = await published;
    assert.deepEqual(tracks.map((t) => [t.id, t.source]), [['me-1:0', 'microphone'], ['me-1:1', 'camera']]);
    assert.equal(tracks[1].mediaStreamTrack, stream.tracks[0]);

    // Mute: enabled flips at once, the call resolves on the server's broadcast.
    const muting = client.setMuted('video', true);
    assert.equal(stream.tracks[0].enabled, false);
    const mute = ws.ofType('mute')[0];
    assert.deepEqual({ ...mute, requestId: undefined }, { type: 'mute', trackId: 'me-1:1', muted: true, requestId: undefined });
    ws.serverSend({ type: 'trackMuted', trackId: 'me-1:1', participantId: 'me-1', muted: true });
    assert.equal(await muting, true);
    assert.equal(client.isMuted('video'), true);

    // The server is the authority: an unmute it sends on its own re-enables the track.
    ws.serverSend({ type: 'trackMuted', trackId: 'me-1:1', participantId: 'me-1', muted: false });
    assert.equal(stream.tracks[0].enabled, true);
  });

  it('a rejected publishOffer rolls back and rejects with the server error', async () => {
    const { client, ws } = await connected();
    const published = client.publish({ stream: fakeStream('audio'), video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    const offer = ws.ofType('publishOffer')[0];
    ws.serverSend({ type: 'error', code: 'nothing_to_forward', message: 'no codec', requestType: 'publishOffer',
      requestId: offer.requestId });
    await assert.rejects(published, (e) => e.code === 'nothing_to_forward' && e.message === 'no codec');
    assert.equal(client.publisherPc.signalingState, 'stable');
    assert.equal(client.publisherPc.transceivers[0].stopped, true);
  });

  it('a refused mute restores the track to the server state', async () => {
    const { client, ws } = await connected();
    const stream = fakeStream('audio');
    const published = client.publish({ stream, video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;
    assert.equal(ws.ofType('getState').length, 0, 'ids already known from trackPublished');

    const muting = client.setMuted('audio', true);
    ws.serverSend({ type: 'error', code: 'not_allowed', message: 'no', requestId: ws.ofType('mute')[0].requestId });
    await assert.rejects(muting, (e) => e.code === 'not_allowed');
    assert.equal(stream.tracks[0].enabled, true);
  });

  it('a track the server refuses rejects publish with track_refused and invents no id', async () => {
    const { client, ws } = await connected();
    const stream = fakeStream('video', 'audio');
    const published = client.publish({ stream });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a',
      refused: [{ mid: '1', kind: 'video', reason: 'unsupported_codec', message: 'Prism forwards VP8 video; the offer has H264' }] });
    await assert.rejects(published, (e) => e.code === 'track_refused'
      && e.message === 'video: Prism forwards VP8 video; the offer has H264'
      && e.refused.length === 1 && e.refused[0].reason === 'unsupported_codec'
      && e.published.length === 1 && e.published[0].id === 'me-1:0');
    assert.equal(client.publisherPc.transceivers[1].stopped, true);
    assert.equal(ws.ofType('getState').length, 0, 'no id guessed for the refused track');
    // The refused kind is not published: nothing to mute, and a later publish may try it again.
    assert.equal(client.isMuted('video'), null);
  });

  it('setMuted without a published track is unknown_track', async () => {
    const { client } = await connected();
    await assert.rejects(client.setMuted('audio', true), (e) => e.code === 'unknown_track');
  });

  it('falls back to <identity>:<mid> ids when the state does not list our tracks', async () => {
    const { client, ws } = await connected();
    const published = client.publish({ stream: fakeStream('audio'), video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await until(() => ws.ofType('getState').length === 1, 'getState');
    ws.serverSend({ type: 'state', room: { id: 'demo', participants: [self, bob] } });
    const warn = console.warn;
    console.warn = () => {};
    try {
      const [track] = await published;
      assert.equal(track.id, 'me-1:0');
    } finally {
      console.warn = warn;
    }
  });
});

describe('PrismClient subscriber connection', () => {
  it('marks the join steps in order on its joinTimeline: connect, socket open, welcome, offer, answer', async () => {
    const { client, ws } = await connected();
    const marks = client.joinTimeline;
    assert.equal(marks.subscriberOffer, null);
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio',
      tracks: [{ mid: '0', trackId: 'bob-1:0', participantId: 'bob-1', kind: 'audio' }] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'subscriberAnswer');
    const steps = ['connect', 'socketOpen', 'welcome', 'subscriberOffer', 'answerSent'];
    for (const step of steps) assert.equal(typeof marks[step], 'number', step);
    for (let i = 1; i < steps.length; i++) assert.ok(marks[steps[i]] >= marks[steps[i - 1]], steps[i]);
    assert.equal(marks.firstDecoded, null, 'media steps only with joinTimelineMs');
  });

  it('answers each offer with its version and reports tracks by mid', async () => {
    const { client, ws, events } = await connected();
    ws.serverSend({
      type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio',
      tracks: [{ mid: '0', trackId: 'bob-1:0', participantId: 'bob-1', kind: 'audio' }],
    });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'subscriberAnswer');
    assert.deepEqual(ws.ofType('subscriberAnswer')[0], { type: 'subscriberAnswer', version: 1, sdp: 'answer:0' });
    const pc = client.subscriberPc;
    assert.deepEqual(pc.config, { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [] });
    const subscribed = events.filter((e) => e[0] === 'trackSubscribed');
    assert.equal(subscribed.length, 1);
    assert.equal(subscribed[0][1].id, 'bob-1:0');
    assert.equal(subscribed[0][1].mediaStreamTrack.id, 'remote-0');
    assert.equal(subscribed[0][2].name, 'Bob');

    // Carol joins and publishes; the next offer adds her; then Bob's m-line goes inactive.
    const carol = { id: 'carol-1', name: 'Carol', canPublish: true, canSubscribe: true, tracks: [] };
    ws.serverSend({ type: 'participantJoined', participant: carol });
    ws.serverSend({ type: 'trackPublished', track: { id: 'carol-1:1', participantId: 'carol-1', kind: 'video', source: 'camera', muted: false } });
    ws.serverSend({
      type: 'subscriberOffer', version: 2, sdp: 'mids=0:audio,1:video',
      tracks: [{ mid: '1', trackId: 'carol-1:1', participantId: 'carol-1', kind: 'video' }],
    });
    await until(() => ws.ofType('subscriberAnswer').length === 2, 'second subscriberAnswer');
    assert.equal(ws.ofType('subscriberAnswer')[1].version, 2);
    const tail = events.slice(events.findIndex((e) => e[0] === 'participantJoined'));
    assert.deepEqual(tail.map((e) => [e[0], e[1].id]), [
      ['participantJoined', 'carol-1'],
      ['trackPublished', 'carol-1:1'],
      ['trackUnsubscribed', 'bob-1:0'],
      ['trackSubscribed', 'carol-1:1'],
    ]);
    assert.equal(pc, client.subscriberPc, 'one subscriber connection for the session');
  });

  it('ignores a stale offer version', async () => {
    const { ws } = await connected();
    ws.serverSend({ type: 'subscriberOffer', version: 5, sdp: 'mids=', tracks: [] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'answer');
    ws.serverSend({ type: 'subscriberOffer', version: 4, sdp: 'mids=', tracks: [] });
    ws.serverSend({ type: 'subscriberOffer', version: 6, sdp: 'mids=', tracks: [] });
    await until(() => ws.ofType('subscriberAnswer').length === 2, 'answer to 6');
    assert.deepEqual(ws.ofType('subscriberAnswer').map((m) => m.version), [5, 6]);
  });

  it('uses the ICE servers from welcome when it lists some', async () => {
    const client = newClient();
    const done = client.connect();
    const ws = FakeWebSocket.last;
    ws.open();
    const iceServers = [{ urls: 'turn:turn.test', username: 'u', credential: 'c' }];
    ws.serverSend({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self] }, iceServers });
    await done;
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=', tracks: [] });
    await until(() => client.subscriberPc !== null, 'subscriber pc');
    assert.deepEqual(client.subscriberPc.config.iceServers, iceServers);
  });
});

describe('PrismClient errors and leaving', () => {
  it('emits server errors that answer no pending request, and bad frames', async () => {
    const { ws, events } = await connected();
    ws.serverSend({ type: 'error', code: 'unknown_type', message: "unknown message type 'bogus'", requestType: 'bogus' });
    ws.serverSend('{oops');
    const errors = events.filter((e) => e[0] === 'error').map((e) => e[1]);
    assert.deepEqual(errors.map((e) => e.code), ['unknown_type', 'protocol']);
  });

  it('leave sends leave, releases media at once and reports the disconnect', async () => {
    const { client, ws, events } = await connected();
    const stream = fakeStream('audio');
    const published = client.publish({ stream, video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;

    const left = client.leave();
    assert.equal(ws.ofType('leave').length, 1);
    assert.equal(client.publisherPc.closed, true);
    assert.equal(stream.tracks[0].stopped, false, 'tracks the app passed in are the app\'s to stop');
    ws.serverSend({ type: 'participantLeft', participantId: 'me-1', reason: 'left' });
    ws.serverClose(1000, '', true);
    await left;
    assert.equal(client.state, 'disconnected');
    const [, info] = events.find((e) => e[0] === 'disconnected');
    assert.deepEqual(info, { code: 1000, reason: '', wasClean: true, left: true, leftReason: 'left' });
    assert.equal(client.participants.size, 0);
    await assert.rejects(client.getState(), (e) => e.code === 'not_connected');
  });

  it('a dropped socket rejects pending requests and emits disconnected', async () => {
    const { client, ws, events } = await connected();
    const state = client.getState();
    ws.serverClose(1006);
    await assert.rejects(state, (e) => e.code === 'disconnected');
    assert.equal(events.at(-1)[0], 'disconnected');
    assert.equal(events.at(-1)[1].left, false);
  });

  it('a listener that throws does not break the client', async () => {
    const { client, ws } = await connected([]);
    const err = console.error;
    console.error = () => {};
    try {
      client.on('participantJoined', () => {
        throw new Error('app bug');
      });
      ws.serverSend({ type: 'participantJoined', participant: bob });
      assert.equal(client.participants.has('bob-1'), true);
    } finally {
      console.error = err;
    }
  });

  it('devToken reads {token, identity} and maps 403 to not_allowed', async () => {
    const calls = [];
    const ok = async (url) => {
      calls.push(url);
      return { ok: true, status: 200, json: async () => ({ token: 't', identity: 'alice-1' }) };
    };
    assert.deepEqual(await PrismClient.devToken('my room', 'Alice', { baseUrl: 'http://prism.test/', fetch: ok }),
      { token: 't', identity: 'alice-1' });
    assert.deepEqual(calls, ['http://prism.test/api/dev-token?room=my+room&name=Alice']);
    await PrismClient.devToken('r', 'n', { baseUrl: 'http://prism.test/', fetch: ok, codec: 'h264' });
    assert.equal(calls[1], 'http://prism.test/api/dev-token?room=r&name=n&codec=h264');
    await PrismClient.devToken('r', 'n', { baseUrl: 'http://prism.test/', fetch: ok, maxHeight: 360, hidden: true });
    assert.equal(calls[2], 'http://prism.test/api/dev-token?room=r&name=n&maxHeight=360&hidden=1');
    const forbidden = async () => ({ ok: false, status: 403, text: async () => 'forbidden' });
    await assert.rejects(PrismClient.devToken('r', 'n', { baseUrl: 'http://prism.test/', fetch: forbidden }),
      (e) => e.code === 'not_allowed' && e.status === 403);
  });
});

// ---------------------------------------------------------------------------------------------- reconnects

const resumableWelcome = (extra = {}) => ({
  type: 'welcome', participant: self, room: { id: 'demo', participants: [self, bob] }, iceServers: [],
  resumeToken: 'rt-1', resumeWindowMs: 20000, resumed: false, subscriptions: [], ...extra,
});

/** A connected client whose server hands out resume tokens; reconnect attempts follow each other at once. */
async function resumable(extra = {}) {
  const client = newClient({ reconnectDelaysMs: [0], ...extra });
  const events = [];
  for (const name of ['participantJoined', 'participantLeft', 'trackSubscribed', 'trackUnsubscribed', 'stateChanged',
    'reconnecting', 'reconnected', 'repair', 'disconnected', 'error', 'iceRestart']) {
    client.on(name, (...args) => events.push([name, ...args]));
  }
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend(resumableWelcome());
  await done;
  return { client, ws, events };
}

describe('PrismClient reconnect', () => {
  it('a dropped socket resumes with the token: same session, pending requests sent again, no events', async () => {
    const { client, ws, events } = await resumable();
    const state = client.getState();
    const before = events.length;
    ws.serverClose(1006);
    assert.equal(client.state, 'reconnecting');
    await until(() => FakeWebSocket.last !== ws, 'a reconnect attempt');
    const again = FakeWebSocket.last;
    assert.equal(again.url, 'ws://prism.test/ws?token=tok+en&resume=rt-1');
    again.open();
    again.serverSend(resumableWelcome({ resumed: true, resumeToken: 'rt-2' }));
    assert.equal(client.state, 'connected');
    assert.equal(client.lastReconnect.resumed, true);
    assert.deepEqual(again.ofType('getState').map((m) => m.requestId), [ws.ofType('getState')[0].requestId]);
    again.serverSend({ type: 'state', room: { id: 'demo', participants: [self, bob] } });
    assert.equal((await state).id, 'demo');
    assert.deepEqual(events.slice(before).map((e) => e[0]), ['stateChanged', 'reconnecting', 'stateChanged', 'reconnected'],
      'nothing about the room changed, so nothing else is reported');
    // The next drop presents the new token.
    again.serverClose(1006);
    await until(() => FakeWebSocket.last !== again, 'a second attempt');
    assert.match(FakeWebSocket.last.url, /resume=rt-2/);
    client.leave();
    assert.equal(client.state, 'disconnected');
  });

  it('keeps trying while the server is unreachable, then resumes', async () => {
    const { client, ws } = await resumable();
    ws.serverClose(1006);
    for (let i = 0; i < 3; i++) {
      const previous = FakeWebSocket.last;
      await until(() => FakeWebSocket.last !== previous, `attempt ${i + 1}`);
      FakeWebSocket.last.serverClose(1006); // refused / unreachable
    }
    const previous = FakeWebSocket.last;
    await until(() => FakeWebSocket.last !== previous, 'attempt 4');
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverSend(resumableWelcome({ resumed: true }));
    assert.equal(client.state, 'connected');
    assert.equal(client.lastReconnect.attempts, 4);
  });

  it('an unanswered subscriber offer sent again after the resume gets the stored answer again', async () => {
    const { client, ws } = await resumable();
    const offer = { type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio', tracks: [{ mid: '0', trackId: 'bob-1:0', participantId: 'bob-1', kind: 'audio' }] };
    ws.serverSend(offer);
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'the answer');
    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'an attempt');
    const again = FakeWebSocket.last;
    again.open();
    again.serverSend(resumableWelcome({ resumed: true }));
    again.serverSend(offer);
    await until(() => again.ofType('subscriberAnswer').length === 1, 'the answer again');
    assert.deepEqual(again.ofType('subscriberAnswer')[0], ws.ofType('subscriberAnswer')[0]);
    assert.equal(client.subscriberPc.remoteDescription.sdp, 'mids=0:audio', 'not applied twice');
    client.leave();
  });

  it('when the server forgot the session it joins afresh and publishes the same tracks again', async () => {
    const { client, ws, events } = await resumable();
    const stream = fakeStream('audio');
    const published = client.publish({ stream, video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;
    const oldPc = client.publisherPc;
    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'an attempt');
    const refused = FakeWebSocket.last;
    refused.open();
    refused.serverSend({ type: 'error', code: 'resume_failed', message: 'join again' });
    refused.serverClose(4002);
    await until(() => FakeWebSocket.last !== refused, 'a fresh attempt');
    const fresh = FakeWebSocket.last;
    assert.doesNotMatch(fresh.url, /resume=/);
    fresh.open();
    fresh.serverSend(resumableWelcome({ resumed: false, resumeToken: 'rt-9' }));
    assert.equal(client.state, 'connected');
    assert.equal(client.lastReconnect.resumed, false);
    assert.equal(oldPc.closed, true);
    await until(() => fresh.ofType('publishOffer').length === 1, 'the track published again');
    assert.notEqual(client.publisherPc, oldPc);
    assert.equal(client.publisherPc.transceivers[0].sender.track, stream.tracks[0]);
    assert.ok(events.some((e) => e[0] === 'reconnected' && e[1].resumed === false));
    client.leave();
  });

  it('replaced (4001) ends the session instead of reconnecting', async () => {
    const { client, ws, events } = await resumable();
    ws.serverClose(4001, 'replaced');
    assert.equal(client.state, 'disconnected');
    assert.equal(events.at(-1)[0], 'disconnected');
  });

  it('gives up after the reconnect timeout', async () => {
    const { client, ws, events } = await resumable({ reconnectDelaysMs: [5], reconnectTimeoutMs: 30 });
    ws.serverClose(1006);
    const deadline = Date.now() + 2000;
    while (client.state !== 'disconnected' && Date.now() < deadline) {
      const previous = FakeWebSocket.last;
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (FakeWebSocket.last !== previous) FakeWebSocket.last.serverClose(1006);
    }
    assert.equal(client.state, 'disconnected');
    assert.equal(events.at(-1)[1].reason, 'could not reconnect');
  });
});

describe('PrismClient migrate and shutdown', () => {
  /** A resumable client that published one audio track (so a fresh join must publish it again). */
  async function publishing(extra = {}) {
    const { client, ws, events } = await resumable(extra);
    for (const name of ['migrate', 'shutdown']) client.on(name, (...args) => events.push([name, ...args]));
    const stream = fakeStream('audio');
    const published = client.publish({ stream, video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;
    return { client, ws, events, stream };
  }

  it('migrate: joins afresh at once (no resume token), publishes again and reports why', async () => {
    const { client, ws, events, stream } = await publishing();
    const oldPc = client.publisherPc;
    ws.serverSend({ type: 'migrate', reason: 'room_moving', message: 'the room is moving: join again now' });
    ws.serverClose(4011, 'migrate');
    assert.deepEqual(events.find((e) => e[0] === 'migrate')[1], { reason: 'room_moving', message: 'the room is moving: join again now' });
    assert.equal(client.state, 'reconnecting');
    assert.equal(events.find((e) => e[0] === 'reconnecting')[1].cause, 'migrate');
    await until(() => FakeWebSocket.last !== ws, 'the fresh join');
    const fresh = FakeWebSocket.last;
    assert.equal(fresh.url, 'ws://prism.test/ws?token=tok+en', 'a fresh join to the same URL, no resume');
    fresh.open();
    fresh.serverSend(resumableWelcome({ resumed: false, resumeToken: 'rt-m' }));
    assert.equal(client.state, 'connected');
    assert.equal(oldPc.closed, true);
    await until(() => fresh.ofType('publishOffer').length === 1, 'the track published again');
    assert.equal(client.publisherPc.transceivers[0].sender.track, stream.tracks[0]);
    assert.deepEqual(events.filter((e) => e[0] === 'reconnected').map((e) => [e[1].resumed, e[1].cause]), [[false, 'migrate']]);
    assert.ok(!events.some((e) => e[0] === 'disconnected'));
    client.leave();
  });

  it('migrate with reconnect turned off ends the session (the app may join again itself)', async () => {
    const { client, ws, events } = await publishing({ reconnect: false });
    ws.serverSend({ type: 'migrate', reason: 'room_moving', message: '' });
    ws.serverClose(4011, 'migrate');
    assert.equal(client.state, 'disconnected');
    assert.deepEqual(events.filter((e) => ['migrate', 'disconnected'].includes(e[0])).map((e) => e[0]), ['migrate', 'disconnected']);
    assert.equal(events.at(-1)[1].code, 4011);
  });

  it('shutdown is terminal by default: no reconnect, shutdown then disconnected', async () => {
    const { client, ws, events } = await publishing();
    ws.serverSend({ type: 'shutdown', reason: 'server_shutdown', message: 'the server is shutting down' });
    ws.serverClose(4010, 'server shutdown');
    assert.equal(client.state, 'disconnected');
    const shutdown = events.find((e) => e[0] === 'shutdown')[1];
    assert.deepEqual(shutdown, { reason: 'server_shutdown', message: 'the server is shutting down', rejoinInMs: null });
    assert.equal(events.at(-1)[0], 'disconnected');
    assert.equal(events.at(-1)[1].code, 4010);
    assert.ok(!events.some((e) => e[0] === 'reconnecting'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(FakeWebSocket.last, ws, 'no new socket');
  });

  it('shutdown with rejoinAfterShutdown joins afresh after a random delay within the configured range', async () => {
    const { client, ws, events } = await publishing({ rejoinAfterShutdown: true, shutdownRejoinDelayMs: [30, 60] });
    ws.serverSend({ type: 'shutdown', reason: 'server_shutdown', message: '' });
    ws.serverClose(4010, 'server shutdown');
    const shutdown = events.find((e) => e[0] === 'shutdown')[1];
    assert.ok(shutdown.rejoinInMs >= 30 && shutdown.rejoinInMs <= 60, `delay ${shutdown.rejoinInMs}`);
    const reconnecting = events.find((e) => e[0] === 'reconnecting')[1];
    assert.deepEqual([reconnecting.cause, reconnecting.delayMs], ['shutdown', shutdown.rejoinInMs]);
    assert.equal(client.state, 'reconnecting');
    assert.equal(FakeWebSocket.last, ws, 'not at once');
    await until(() => FakeWebSocket.last !== ws, 'the delayed join');
    const fresh = FakeWebSocket.last;
    assert.doesNotMatch(fresh.url, /resume=/);
    fresh.open();
    fresh.serverSend(resumableWelcome({ resumed: false }));
    await until(() => fresh.ofType('publishOffer').length === 1, 'the track published again');
    assert.equal(client.lastReconnect.cause, 'shutdown');
    client.leave();
  });

  it('the shutdown spread covers the range (clients of one server do not come back together)', () => {
    const client = newClient();
    const delays = Array.from({ length: 200 }, () => client._shutdownRejoinDelay());
    assert.ok(delays.every((d) => d >= 5000 && d <= 30000));
    assert.ok(Math.max(...delays) - Math.min(...delays) > 10000);
  });

  it('a first connect refused by a stopping server rejects with node_draining', async () => {
    const client = newClient();
    const done = client.connect();
    const ws = FakeWebSocket.last;
    ws.open();
    client.on('error', () => {});
    ws.serverSend({ type: 'error', code: 'node_draining', message: 'this server is shutting down' });
    ws.serverClose(4012, 'node draining');
    await assert.rejects(done, (e) => e.code === 'node_draining' && e.closeCode === 4012);
    assert.equal(client.state, 'disconnected');
  });

  it('a reconnect attempt refused by a stopping server keeps trying', async () => {
    const { client, ws } = await resumable();
    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'attempt 1');
    const refused = FakeWebSocket.last;
    refused.open();
    refused.serverSend({ type: 'error', code: 'node_draining', message: '' });
    refused.serverClose(4012, 'node draining');
    await until(() => FakeWebSocket.last !== refused, 'attempt 2');
    assert.equal(client.state, 'reconnecting');
    client.leave();
  });
});

describe('PrismClient in a cluster (4013 owner lost, 4014 cluster unavailable)', () => {
  it('4013: resumes at once with the resume token, like a dropped socket, and says why', async () => {
    const { client, ws, events } = await resumable({ reconnectDelaysMs: [5000] });
    ws.serverClose(4013, 'owner lost');
    await until(() => FakeWebSocket.last !== ws, 'an attempt without the usual delay');
    const again = FakeWebSocket.last;
    assert.match(again.url, /resume=rt-1/);
    assert.equal(events.find((e) => e[0] === 'reconnecting')[1].cause, 'owner_lost');
    again.open();
    again.serverSend(resumableWelcome({ resumed: true, resumeToken: 'rt-2' }));
    await until(() => client.state === 'connected', 'resumed');
    assert.deepEqual([client.lastReconnect.resumed, client.lastReconnect.cause], [true, 'owner_lost']);
    client.leave();
  });

  it('4014 on a reconnect attempt: tries again later, waiting longer than the schedule', async () => {
    const { client, ws } = await resumable({ unavailableBackoffMs: 60 });
    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'attempt 1');
    const refused = FakeWebSocket.last;
    refused.open();
    refused.serverSend({ type: 'error', code: 'cluster_unavailable', message: '' });
    refused.serverClose(4014, 'cluster unavailable');
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(FakeWebSocket.last, refused, 'no attempt at once (the schedule alone would try at once)');
    assert.equal(client.state, 'reconnecting');
    await until(() => FakeWebSocket.last !== refused, 'attempt 2, after the backoff');
    client.leave();
  });

  it('after resume_failed (4002) the fresh join goes at once, not after the next schedule delay', async () => {
    const { client, ws } = await resumable({ reconnectDelaysMs: [0, 30000] });
    const attempts = [];
    client.on('reconnectAttempt', (info) => attempts.push(info));
    ws.serverClose(4013, 'owner lost');
    await until(() => FakeWebSocket.last !== ws, 'attempt 1');
    const refused = FakeWebSocket.last;
    refused.open();
    refused.serverSend({ type: 'error', code: 'resume_failed', message: 'join again' });
    refused.serverClose(4002);
    await until(() => FakeWebSocket.last !== refused, 'the fresh join, without the 30 s delay');
    const fresh = FakeWebSocket.last;
    assert.doesNotMatch(fresh.url, /resume=/);
    assert.deepEqual(attempts.map((a) => [a.attempt, a.resume, a.previousCode]), [[1, true, 4013], [2, false, 4002]]);
    fresh.open();
    fresh.serverSend(resumableWelcome({ resumed: false, resumeToken: 'rt-9' }));
    assert.equal(client.state, 'connected');
    assert.deepEqual([client.lastReconnect.resumed, client.lastReconnect.attempts], [false, 2]);
    client.leave();
  });

  it('a first connect refused with 4014 rejects with cluster_unavailable', async () => {
    const client = newClient();
    const done = client.connect();
    const ws = FakeWebSocket.last;
    ws.open();
    client.on('error', () => {});
    ws.serverSend({ type: 'error', code: 'cluster_unavailable', message: 'no server for this room' });
    ws.serverClose(4014, 'cluster unavailable');
    await assert.rejects(done, (e) => e.code === 'cluster_unavailable' && e.closeCode === 4014);
    assert.equal(client.state, 'disconnected');
  });
});

describe('PrismClient ICE restart and media repair', () => {
  it('restartIce offers with iceRestart on the publisher connection and asks for the subscriber one', async () => {
    const { client, ws } = await resumable();
    const published = client.publish({ stream: fakeStream('audio'), video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio', tracks: [] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'answer');
    const restart = client.restartIce();
    assert.equal(client.restartIce(), restart, 'one restart at a time');
    await until(() => ws.ofType('publishOffer').length === 2 && ws.ofType('iceRestart').length === 1, 'both requests');
    assert.deepEqual(client.publisherPc.offerOptions.at(-1), { iceRestart: true });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[1].requestId, sdp: 'a2' });
    ws.serverSend({ type: 'iceRestartAck', requestId: ws.ofType('iceRestart')[0].requestId });
    await restart;
    assert.equal(client.iceRestarts, 1);
    client.leave();
  });

  it('an ICE restart queued behind a publish that then fails offers nothing on the emptied publisher connection', async () => {
    const { client, ws } = await resumable();
    client.on('error', () => {});
    const published = client.publish({ stream: fakeStream('audio'), video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    const restart = client.restartIce();
    ws.serverSend({ type: 'error', code: 'nothing_to_forward', message: 'no codec', requestId: ws.ofType('publishOffer')[0].requestId });
    await assert.rejects(published, (e) => e.code === 'nothing_to_forward');
    await restart;
    // Nothing is published any more: an offer now would have no live m-line, no BUNDLE group, and Chromium refuses
    // it under max-bundle ("session description has no BUNDLE group").
    assert.equal(ws.ofType('publishOffer').length, 1, 'no restart offer for a connection that carries nothing');
    assert.equal(client.publisherPc.offerOptions.filter((o) => o && o.iceRestart).length, 0);
    client.leave();
  });

  /** A client publishing audio and subscribed once: both connections exist. */
  async function withBothConnections(extra) {
    const { client, ws, events } = await resumable(extra);
    const published = client.publish({ stream: fakeStream('audio'), video: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    ws.serverSend({ type: 'trackPublished', track: { id: 'me-1:0', participantId: 'me-1', kind: 'audio', source: 'microphone', muted: false } });
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[0].requestId, sdp: 'a' });
    await published;
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio', tracks: [] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'answer');
    return { client, ws, events };
  }

  function setIceState(pc, state) {
    pc.iceConnectionState = state;
    for (const fn of pc.listeners.iceconnectionstatechange ?? []) fn();
  }

  /** Answers the restart's two requests; resolves when the client counted it. */
  async function answerRestart(client, ws, n) {
    await until(() => ws.ofType('publishOffer').length === n + 1 && ws.ofType('iceRestart').length === n, 'both restart requests');
    ws.serverSend({ type: 'publishAnswer', requestId: ws.ofType('publishOffer')[n].requestId, sdp: `a${n}` });
    ws.serverSend({ type: 'iceRestartAck', requestId: ws.ofType('iceRestart')[n - 1].requestId });
    await until(() => client.iceRestarts === n, `restart ${n} counted`);
  }

  it('restarts ICE on both connections once ICE stays disconnected for the grace, not when it comes back first', async () => {
    const { client, ws } = await withBothConnections({ iceDisconnectedGraceMs: 20 });
    const pc = client.subscriberPc;
    setIceState(pc, 'disconnected');
    setIceState(pc, 'connected'); // back within the grace: its timer is cancelled
    setIceState(pc, 'disconnected');
    await answerRestart(client, ws, 1);
    assert.deepEqual(client.publisherPc.offerOptions.at(-1), { iceRestart: true });
    assert.equal(ws.ofType('iceRestart').length, 1, 'one restart for the one lasting disconnection');
    client.leave();
  });

  it('restarts ICE at once on the page\'s online event and on a navigator.connection change, and stops listening on leave', async () => {
    const win = new EventTarget();
    const connection = new EventTarget();
    const { client, ws } = await withBothConnections({ networkTargets: { window: win, connection } });
    win.dispatchEvent(new Event('online'));
    await answerRestart(client, ws, 1);
    connection.dispatchEvent(new Event('change'));
    await answerRestart(client, ws, 2);
    assert.equal(client._networkWatch.changes, 2);
    await client.leave();
    win.dispatchEvent(new Event('online'));
    connection.dispatchEvent(new Event('change'));
    assert.equal(client._networkWatch.changes, 2, 'no restart after leaving');
    assert.equal(ws.ofType('iceRestart').length, 2);
  });

  it('resumes the signaling socket when an ICE restart goes unanswered, and finishes the restart over the new one', async () => {
    const { client, ws, events } = await withBothConnections({ iceRestartReplyMs: 20 });
    const restart = client.restartIce();
    await until(() => events.some(([name]) => name === 'reconnecting'), 'the socket abandoned');
    assert.equal(ws.closedByClient?.code, 4100);
    await until(() => FakeWebSocket.last !== ws, 'a new socket');
    const next = FakeWebSocket.last;
    assert.match(next.url, /resume=/);
    next.open();
    next.serverSend(resumableWelcome({ resumed: true }));
    await until(() => next.ofType('publishOffer').length === 1 && next.ofType('iceRestart').length === 1, 'requests sent again');
    next.serverSend({ type: 'publishAnswer', requestId: next.ofType('publishOffer')[0].requestId, sdp: 'a2' });
    next.serverSend({ type: 'iceRestartAck', requestId: next.ofType('iceRestart')[0].requestId });
    await restart;
    assert.equal(client.iceRestarts, 1);
    assert.ok(!events.some(([name]) => name === 'disconnected'));
    client.leave();
  });

  it('resumes the socket and then restarts ICE when both connections stop receiving, not while nothing ever arrived', async () => {
    const { client, ws, events } = await withBothConnections({ mediaStallMs: 100 });
    const watch = client._transportWatch;
    // Gaps between reads on a loaded machine must not break the steady run here (FlowStall's own tests cover them).
    watch._flow = new FlowStall({ stallMs: 100, steadyMs: 100, maxGapMs: 60_000 });
    await watch.check(); // nothing received yet: never judged
    await watch.check();
    assert.equal(watch.stalls, 0);
    // A steady flow (growing at every check for longer than the 100 ms it may stand still), then silence.
    for (let t0 = Date.now(), bytes = 1000; Date.now() - t0 < 150; bytes += 100) {
      client.subscriberPc.transportBytes = bytes;
      await watch.check();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(watch.stalls, 0);
    await until(() => { watch.check(); return watch.stalls === 1; }, 'the stall seen');
    assert.deepEqual(events.filter(([name]) => name === 'iceRestart').map(([, e]) => e),
      [{ phase: 'detected', cause: 'stall' }]);
    assert.equal(ws.closedByClient?.code, 4100);
    assert.equal(ws.ofType('iceRestart').length, 0, 'the restart waits for the resumed socket');
    await until(() => FakeWebSocket.last !== ws, 'a new socket');
    const next = FakeWebSocket.last;
    next.open();
    next.serverSend(resumableWelcome({ resumed: true }));
    await until(() => next.ofType('iceRestart').length === 1 && next.ofType('publishOffer').length === 1, 'sent again');
    next.serverSend({ type: 'publishAnswer', requestId: next.ofType('publishOffer')[0].requestId, sdp: 'a2' });
    next.serverSend({ type: 'iceRestartAck', requestId: next.ofType('iceRestart')[0].requestId });
    await until(() => client.iceRestarts === 1, 'restart done');
    assert.ok(events.some(([name]) => name === 'reconnected'));
    next.serverSend({ type: 'subscriberOffer', version: 2, sdp: 'mids=0:audio', tracks: [] }); // the new credentials
    await until(() => next.ofType('subscriberAnswer').length === 1, 'the renewed offer answered');
    const steps = events.filter(([name]) => name === 'iceRestart').map(([, e]) => e);
    assert.ok(steps.every((e) => e.cause === 'stall'), JSON.stringify(steps));
    assert.deepEqual(steps.map((e) => e.phase).filter((p) => p !== 'publisherAnswered' && p !== 'acknowledged'),
      ['detected', 'started', 'done', 'subscriberAnswered']);
    assert.deepEqual(steps.map((e) => e.phase).filter((p) => p === 'publisherAnswered' || p === 'acknowledged').sort(),
      ['acknowledged', 'publisherAnswered']);
    client.leave();
  });

  it('ignores a network change before any peer connection exists', async () => {
    const win = new EventTarget();
    const { client, ws } = await resumable({ networkTargets: { window: win, connection: null } });
    win.dispatchEvent(new Event('online'));
    assert.equal(client._networkWatch.changes, 0);
    assert.equal(ws.ofType('iceRestart').length, 0);
    client.leave();
  });

  it('reports no missing media while the subscriber connection is still connecting', async () => {
    const { client, ws } = await resumable({ mediaCheckMs: 10, mediaMissingMs: 40 });
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio',
      tracks: [{ mid: '0', trackId: 'bob-1:0', participantId: 'bob-1', kind: 'audio' }] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'answer');
    const pc = client.subscriberPc;
    let checks = 0;
    let state = 'connecting';
    Object.defineProperty(pc, 'connectionState', { get: () => { checks += 1; return state; } });
    // Twenty media checks (200 ms, five times the 40 ms after which missing media is reported) while connecting.
    await until(() => checks >= 20, 'twenty media checks');
    assert.equal(ws.ofType('repairTrack').length, 0);
    state = 'connected';
    await until(() => ws.ofType('repairTrack').length === 1, 'the report once connected');
    assert.equal(ws.ofType('repairTrack')[0].issue, 'no_media');
    client.leave();
  });

  it('expected media that stops arriving is reported and the repair is recorded', async () => {
    const { client, ws, events } = await resumable({ mediaCheckMs: 10, mediaMissingMs: 40 });
    ws.serverSend({ type: 'subscriberOffer', version: 1, sdp: 'mids=0:audio',
      tracks: [{ mid: '0', trackId: 'bob-1:0', participantId: 'bob-1', kind: 'audio' }] });
    await until(() => ws.ofType('subscriberAnswer').length === 1, 'answer');
    client.subscriberPc.inbound = [{ mid: '0', kind: 'audio', packetsReceived: 50 }]; // then nothing more
    const deadline = Date.now() + 2000;
    while (ws.ofType('repairTrack').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [request] = ws.ofType('repairTrack');
    assert.equal(request.trackId, 'bob-1:0');
    assert.equal(request.issue, 'stalled');
    ws.serverSend({ type: 'repairResult', requestId: request.requestId, trackId: 'bob-1:0', issue: 'stalled', action: 'keyframe' });
    await until(() => client.repairs.length === 1, 'the repair recorded');
    assert.equal(client.repairs[0].action, 'keyframe');
    const repair = events.find((e) => e[0] === 'repair')[1];
    assert.equal(repair.track.id, 'bob-1:0');
    assert.equal(repair.action, 'keyframe');
    client.leave();
  });
});

describe('PrismClient speakersChanged', () => {
  it('emits the server speakers with their participants, loudest first, skipping bad entries', async () => {
    const { client, ws } = await connected();
    const heard = [];
    client.on('speakersChanged', (info) => heard.push(info));
    ws.serverSend({
      type: 'speakers',
      speakers: [{ participantId: 'bob-1', level: 0.6 }, { participantId: 'me-1', level: 7 }, { level: 0.2 },
        { participantId: 'bob-1', level: 0.1 }, { participantId: 'ghost', level: 'x' }],
      dominant: 'bob-1',
    });
    assert.equal(heard.length, 1);
    const [info] = heard;
    assert.deepEqual(info.speakers.map((s) => [s.participantId, s.level]), [['bob-1', 0.6], ['me-1', 1], ['ghost', 0]]);
    assert.equal(info.speakers[0].participant, client.participants.get('bob-1'));
    assert.equal(info.speakers[1].participant, client.localParticipant);
    assert.equal(info.speakers[2].participant, null);
    assert.equal(info.dominantId, 'bob-1');
    assert.equal(info.dominant, client.participants.get('bob-1'));
    ws.serverSend({ type: 'speakers', speakers: [], dominant: null });
    assert.deepEqual(heard[1], { speakers: [], dominantId: null, dominant: null });
  });
});
