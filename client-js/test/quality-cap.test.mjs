// The publisher honouring its token's quality cap (sdk/quality-cap.js): the pure rules, then PrismClient against a
// scripted fake server socket and fake peer connection: what a capped publish offers, a cap arriving on a resume, and
// dynacast listing a capped rid. Run: node --test client-js/test/quality-cap.test.mjs
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { encodingsWithActive } from '../sdk/dynacast.js';
import { PrismClient } from '../sdk/prism-sdk.js';
import { capFromGrants, encodingsForPublish, encodingsUnderCap, fitToCap } from '../sdk/quality-cap.js';
import { SCREEN_FRAME_RATE } from '../sdk/screen-share.js';
import { FakeWebSocket } from './support/fake-websocket.mjs';

const CAMERA = [{ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_700_000 }];

describe('capFromGrants', () => {
  it('reads maxVideo.height and maxBitrate; none, or junk, is no cap', () => {
    assert.deepEqual(capFromGrants({ maxVideo: { height: 360 }, maxBitrate: 600_000 }),
      { height: 360, bitrate: 600_000 });
    assert.deepEqual(capFromGrants({ maxBitrate: 1 }), { height: null, bitrate: 1 });
    assert.equal(capFromGrants({ canPublish: true }), null);
    assert.equal(capFromGrants(undefined), null);
    assert.equal(capFromGrants({ maxVideo: { height: '360' }, maxBitrate: -5 }), null);
  });
});

describe('encodingsForPublish', () => {
  it('a 720p camera capped at 360 is sent without its 720p encoding', () => {
    assert.deepEqual(encodingsForPublish(CAMERA, { height: 360, bitrate: null }, 720).map((e) => e.rid), ['q', 'h']);
    assert.deepEqual(encodingsForPublish(CAMERA, { height: 359, bitrate: null }, 720).map((e) => e.rid), ['q']);
  });

  it('no encoding goes above the bit rate cap, and the input is untouched', () => {
    const out = encodingsForPublish(CAMERA, { height: null, bitrate: 400_000 }, 720);
    assert.deepEqual(out.map((e) => [e.rid, e.maxBitrate]), [['q', 150_000], ['h', 400_000], ['f', 400_000]]);
    assert.equal(CAMERA[2].maxBitrate, 1_700_000);
  });

  it('a cap below the lowest layer scales the lowest down to it (something is always sent)', () => {
    assert.deepEqual(encodingsForPublish(CAMERA, { height: 90, bitrate: null }, 720),
      [{ rid: 'q', scaleResolutionDownBy: 8, maxBitrate: 150_000 }]);
  });

  it('a single encoding is scaled so its height fits; no cap leaves the browser default', () => {
    assert.deepEqual(encodingsForPublish(null, { height: 360, bitrate: 500_000 }, 1080),
      [{ scaleResolutionDownBy: 3, maxBitrate: 500_000 }]);
    assert.deepEqual(encodingsForPublish(null, { height: 1080, bitrate: null }, 720), [{}]);
    assert.equal(encodingsForPublish(null, null, 720), undefined);
    assert.deepEqual(encodingsForPublish(CAMERA, null, 720), CAMERA);
  });
});

describe('encodingsUnderCap and the combined rule with dynacast', () => {
  it('turns the encodings above the cap off; active = listed by dynacast AND within the cap', () => {
    const current = CAMERA.map((e) => ({ ...e, active: true }));
    const cap = { height: 360, bitrate: null };
    const all = encodingsUnderCap(current, CAMERA, cap, 720, null);
    assert.equal(all.changed, true);
    assert.deepEqual(all.encodings.map((e) => [e.rid, e.active]), [['q', true], ['h', true], ['f', false]]);
    const listed = encodingsUnderCap(current, CAMERA, cap, 720, ['q', 'f']);
    assert.deepEqual(listed.encodings.map((e) => [e.rid, e.active]), [['q', true], ['h', false], ['f', false]]);
    const allowed = (rid) => !fitToCap(CAMERA, cap, 720)[CAMERA.findIndex((b) => b.rid === rid)].over;
    assert.deepEqual(encodingsWithActive(current, ['q', 'h', 'f'], allowed).encodings.map((e) => e.active),
      [true, true, false]);
  });

  it('a cap that goes away restores the uncapped bit rates; an unchanged cap changes nothing', () => {
    const capped = encodingsUnderCap(CAMERA, CAMERA, { height: null, bitrate: 100_000 }, 720, null).encodings;
    assert.deepEqual(capped.map((e) => e.maxBitrate), [100_000, 100_000, 100_000]);
    const restored = encodingsUnderCap(capped, CAMERA, null, 720, null);
    assert.deepEqual(restored.encodings.map((e) => e.maxBitrate), [150_000, 500_000, 1_700_000]);
    assert.equal(encodingsUnderCap(restored.encodings, CAMERA, null, 720, null).changed, false);
  });
});

/** A publisher connection whose senders keep their parameters as plain data and record every setParameters. */
class FakePeerConnection {
  constructor(config) {
    this.config = config;
    this.transceivers = [];
    this.signalingState = 'stable';
    this.nextMid = 0;
  }

  addEventListener() {}

  addTransceiver(track, init) {
    let params = { transactionId: 't', encodings: (init.sendEncodings ?? [{}]).map((e) => ({ ...e })) };
    const sets = [];
    const t = {
      mid: null, init, stopped: false, stop() { this.stopped = true; },
      sender: {
        track, sets,
        getParameters: () => structuredClone(params),
        setParameters: async (p) => {
          sets.push(p.encodings.map((e) => `${e.rid}:${e.active === false ? 'off' : 'on'}`).join(' '));
          params = structuredClone(p);
        },
        get params() { return params; },
      },
    };
    this.transceivers.push(t);
    return t;
  }

  removeTrack() {}

  getTransceivers() {
    return this.transceivers;
  }

  async getStats() {
    return new Map();
  }

  async createOffer() {
    return { type: 'offer', sdp: 'offer' };
  }

  async setLocalDescription(desc) {
    if (desc.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    for (const t of this.transceivers) if (t.mid === null && !t.stopped) t.mid = String(this.nextMid++);
    this.signalingState = 'have-local-offer';
    this.localDescription = desc;
  }

  async setRemoteDescription(desc) {
    this.remoteDescription = desc;
    this.signalingState = 'stable';
  }

  close() {
    this.signalingState = 'closed';
  }
}

class FakeTrack {
  constructor(kind, height) {
    this.kind = kind;
    this.height = height;
    this.enabled = true;
    this.readyState = 'live';
    this.contentHint = '';
  }

  getSettings() {
    return this.kind === 'video' ? { height: this.height, width: Math.round((this.height * 16) / 9) } : {};
  }

  stop() {
    this.readyState = 'ended';
  }

  addEventListener() {}

  removeEventListener() {}
}

function fakeStream(...tracks) {
  return { getTracks: () => tracks };
}

async function until(condition, what) {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const self = { id: 'me-1', name: 'Me', canPublish: true, canSubscribe: true, tracks: [] };
const CAP_360 = { canPublish: true, canSubscribe: true, maxVideo: { height: 360 }, maxBitrate: 400_000 };

const welcome = (extra = {}) => ({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self] },
  iceServers: [], resumeToken: 'rt-1', resumeWindowMs: 20000, resumed: false, subscriptions: [], ...extra });

const clients = [];

async function connected(welcomeExtra = {}, options = {}) {
  const client = new PrismClient({
    url: 'ws://prism.test/ws', token: 't', keepAliveMs: 0, mediaCheckMs: 0, mediaStallMs: 0, connectionInfoMs: 0,
    requestTimeoutMs: 1000, reconnectDelaysMs: [0], WebSocket: FakeWebSocket, RTCPeerConnection: FakePeerConnection,
    ...options,
  });
  clients.push(client);
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend(welcome(welcomeExtra));
  await done;
  return { client, ws, errors };
}

/** Answers the nth publishOffer; the server announces our tracks for every declared mid. */
async function answer(ws, n) {
  await until(() => ws.ofType('publishOffer').length >= n, `publishOffer #${n}`);
  const offer = ws.ofType('publishOffer')[n - 1];
  for (const { mid, source } of offer.tracks) {
    ws.serverSend({ type: 'trackPublished', track: { id: `me-1:${mid}`, participantId: 'me-1',
      kind: source.startsWith('screen') || source === 'camera' ? 'video' : 'audio', source, muted: false } });
  }
  ws.serverSend({ type: 'publishAnswer', requestId: offer.requestId, sdp: `answer-${n}` });
  return offer;
}

async function publishCamera(client, ws, height = 720) {
  const publishing = client.publish({ stream: fakeStream(new FakeTrack('video', height)), audio: false });
  await answer(ws, 1);
  await publishing;
  return client.publisherPc.transceivers[0];
}

/** Drops the socket and resumes on a new one whose welcome carries `grants`. */
async function resumeWith(ws, grants) {
  ws.serverClose(1006);
  await until(() => FakeWebSocket.last !== ws, 'a resume attempt');
  const again = FakeWebSocket.last;
  again.open();
  again.serverSend(welcome({ resumed: true, resumeToken: 'rt-2', ...(grants ? { grants } : {}) }));
  return again;
}

let display;

beforeEach(() => {
  display = { next: () => fakeStream(new FakeTrack('video', 1080)) };
  globalThis.navigator = { mediaDevices: { getDisplayMedia: async () => display.next() } };
});

afterEach(() => {
  delete globalThis.navigator;
  for (const c of clients.splice(0)) c.leave().catch(() => {});
});

describe('PrismClient publishing under a quality cap', () => {
  it('capped at 360: the 720p camera encoding is not created, none above the bit rate cap', async () => {
    const { client, ws } = await connected({ grants: CAP_360 });
    const t = await publishCamera(client, ws);
    assert.deepEqual(t.init.sendEncodings, [{ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 400_000 }]);
    assert.equal(t.sender.params.degradationPreference, 'maintain-resolution', 'still simulcast layers');
  });

  it('without a cap the camera keeps its three encodings', async () => {
    const { client, ws } = await connected({ grants: { canPublish: true, canSubscribe: true } });
    const t = await publishCamera(client, ws);
    assert.deepEqual(t.init.sendEncodings.map((e) => e.rid), ['q', 'h', 'f']);
  });

  it('without simulcast the single encoding is scaled down to the cap', async () => {
    const { client, ws } = await connected({ grants: CAP_360 }, { simulcast: false });
    const t = await publishCamera(client, ws, 1080);
    assert.deepEqual(t.init.sendEncodings, [{ scaleResolutionDownBy: 3, maxBitrate: 400_000 }]);
  });

  it('a shared 1080p screen is scaled to the cap, and its simulcast keeps only the layer that fits', async () => {
    const { client, ws } = await connected({ grants: CAP_360 });
    const sharing = client.shareScreen({ audio: false });
    await answer(ws, 1);
    await sharing;
    assert.deepEqual(client.publisherPc.transceivers[0].init.sendEncodings,
      [{ maxBitrate: 400_000, maxFramerate: SCREEN_FRAME_RATE, scaleResolutionDownBy: 3 }]);
    const stopping = client.stopScreenShare();
    await answer(ws, 2);
    await stopping;

    const again = client.shareScreen({ audio: false, simulcast: true });
    await answer(ws, 3);
    await again;
    assert.deepEqual(client.publisherPc.transceivers[1].init.sendEncodings.map((e) => [e.rid, e.scaleResolutionDownBy]),
      [['h', 3]]);
  });

  it('a cap arriving with a resume turns the top encoding off and clamps the bit rates', async () => {
    const { client, ws } = await connected();
    const t = await publishCamera(client, ws);
    assert.deepEqual(t.init.sendEncodings.map((e) => e.rid), ['q', 'h', 'f']);
    await resumeWith(ws, CAP_360);
    await until(() => t.sender.params.encodings[2].active === false, 'the cap applied');
    assert.deepEqual(t.sender.params.encodings.map((e) => [e.rid, e.active, e.maxBitrate]),
      [['q', true, 150_000], ['h', true, 400_000], ['f', false, 400_000]]);
    assert.equal(client.state, 'connected');
  });

  it('dynacast listing a capped rid keeps it off; the listed others follow dynacast', async () => {
    const { client, ws } = await connected();
    const t = await publishCamera(client, ws);
    const again = await resumeWith(ws, CAP_360);
    await until(() => t.sender.params.encodings[2].active === false, 'the cap applied');

    await client._publisher.dynacast.apply({ type: 'publisherLayers', trackId: 'me-1:0', active: ['q', 'h', 'f'] });
    assert.deepEqual(t.sender.params.encodings.map((e) => e.active), [true, true, false]);
    again.serverSend({ type: 'publisherLayers', trackId: 'me-1:0', active: ['q', 'f'] });
    await until(() => t.sender.params.encodings[1].active === false, 'h turned off');
    assert.deepEqual(t.sender.params.encodings.map((e) => e.active), [true, false, false]);
  });

  it('a cap lifted on a later resume gives back what dynacast lists, no more', async () => {
    const { client, ws } = await connected({ grants: { maxVideo: { height: 180 } } });
    const t = await publishCamera(client, ws);
    assert.deepEqual(t.init.sendEncodings.map((e) => e.rid), ['q']);
    const setsBefore = t.sender.sets.length;
    await resumeWith(ws, { canPublish: true });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.sender.sets.length, setsBefore, 'the 180p encoding was all there was: nothing to change');
    assert.equal(client._publisher.qualityCap.cap, null);

    // a camera published uncapped, capped by one resume and uncapped by the next: dynacast's list rules again
    const other = await connected();
    const t2 = await publishCamera(other.client, other.ws);
    await other.client._publisher.dynacast.apply({ trackId: 'me-1:0', active: ['q', 'h'] });
    const ws2 = await resumeWith(other.ws, CAP_360);
    await until(() => t2.sender.params.encodings[1].maxBitrate === 400_000, 'the cap applied');
    assert.deepEqual(t2.sender.params.encodings.map((e) => e.active), [true, true, false]);
    await resumeWith(ws2, { canPublish: true });
    await until(() => t2.sender.params.encodings[1].maxBitrate === 500_000, 'the cap lifted');
    assert.deepEqual(t2.sender.params.encodings.map((e) => e.active), [true, true, false]);
  });
});
