// shareScreen / stopScreenShare against a scripted fake server socket and a fake peer connection: the sources and
// encodings the SDK offers, what stopping (by the app or by the browser) unpublishes, and what it leaves running.
// Run: node --test client-js/test/screen-share.test.mjs
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { PrismClient } from '../sdk/prism-sdk.js';
import { SCREEN_FRAME_RATE, SCREEN_MAX_BITRATE, screenEncodings } from '../sdk/screen-share.js';
import { FakeWebSocket } from './support/fake-websocket.mjs';

/** A publisher connection: mids numbered in creation order on setLocalDescription; records encodings and removals. */
class FakePeerConnection {
  constructor(config) {
    this.config = config;
    this.transceivers = [];
    this.removed = [];
    this.signalingState = 'stable';
    this.nextMid = 0;
  }

  addEventListener() {}

  addTransceiver(track, init) {
    const params = { encodings: (init.sendEncodings ?? [{}]).map((e) => ({ ...e })) };
    const t = {
      mid: null, init, stopped: false, stop() { this.stopped = true; },
      sender: { track, getParameters: () => params, setParameters: async (p) => Object.assign(params, p), params },
    };
    this.transceivers.push(t);
    return t;
  }

  removeTrack(sender) {
    this.removed.push(sender);
    sender.track = null;
  }

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
  constructor(kind) {
    this.kind = kind;
    this.enabled = true;
    this.readyState = 'live';
    this.contentHint = '';
    this.stopped = false;
    this.listeners = new Map();
  }

  stop() {
    this.stopped = true;
    this.readyState = 'ended';
  }

  addEventListener(type, fn) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  removeEventListener(type, fn) {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((f) => f !== fn));
  }

  /** The browser ends the capture (its "Stop sharing" button). */
  endByBrowser() {
    this.readyState = 'ended';
    for (const fn of this.listeners.get('ended') ?? []) fn();
  }
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

const welcome = (extra = {}) => ({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self] },
  iceServers: [], ...extra });

async function connected(extra = {}) {
  const client = new PrismClient({
    url: 'ws://prism.test/ws', token: 't', keepAliveMs: 0, mediaCheckMs: 0, mediaStallMs: 0, connectionInfoMs: 0,
    requestTimeoutMs: 1000, WebSocket: FakeWebSocket, RTCPeerConnection: FakePeerConnection, ...extra,
  });
  const events = [];
  client.on('trackUnpublished', (track, participant) => events.push(['trackUnpublished', track.source, participant.id]));
  client.on('error', (e) => events.push(['error', e.code]));
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend(welcome(extra.reconnectDelaysMs ? { resumeToken: 'rt-1', resumeWindowMs: 20000 } : {}));
  await done;
  return { client, ws, events };
}

/** Answers the nth publishOffer; the server announces our tracks for every declared mid (as its state would). */
async function answer(ws, n, kinds) {
  await until(() => ws.ofType('publishOffer').length >= n, `publishOffer #${n}`);
  const offer = ws.ofType('publishOffer')[n - 1];
  for (const { mid, source } of offer.tracks) {
    ws.serverSend({ type: 'trackPublished', track: { id: `me-1:${mid}`, participantId: 'me-1', kind: kinds[source],
      source, muted: false } });
  }
  ws.serverSend({ type: 'publishAnswer', requestId: offer.requestId, sdp: `answer-${n}` });
  return offer;
}

const KINDS = { microphone: 'audio', camera: 'video', screen: 'video', screen_audio: 'audio' };
let display;

beforeEach(() => {
  display = { calls: [], next: () => fakeStream(new FakeTrack('video'), new FakeTrack('audio')) };
  globalThis.navigator = {
    mediaDevices: {
      getDisplayMedia: async (constraints) => {
        display.calls.push(constraints);
        const r = display.next();
        if (r instanceof Error) throw r;
        return r;
      },
    },
  };
});

afterEach(() => {
  delete globalThis.navigator;
});

describe('screenEncodings', () => {
  it('is one full-resolution layer at a low frame rate, or two layers lowest first', () => {
    assert.deepEqual(screenEncodings(), [{ maxBitrate: SCREEN_MAX_BITRATE, maxFramerate: SCREEN_FRAME_RATE }]);
    assert.deepEqual(screenEncodings({ simulcast: true, maxFramerate: 3, maxBitrate: 2_000_000 }), [
      { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 300_000, maxFramerate: 3 },
      { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 2_000_000, maxFramerate: 3 },
    ]);
  });
});

describe('PrismClient shareScreen', () => {
  it('publishes the screen and its audio beside camera and microphone, hinted for text', async () => {
    const { client, ws } = await connected();
    const mic = new FakeTrack('audio');
    const cam = new FakeTrack('video');
    const publishing = client.publish({ stream: fakeStream(mic, cam) });
    await answer(ws, 1, KINDS);
    await publishing;

    const sharing = client.shareScreen();
    const offer = await answer(ws, 2, KINDS);
    const tracks = await sharing;

    assert.deepEqual(display.calls, [{ video: { frameRate: { ideal: SCREEN_FRAME_RATE } }, audio: true }]);
    assert.deepEqual(offer.tracks, [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' },
      { mid: '2', source: 'screen' }, { mid: '3', source: 'screen_audio' }]);
    assert.deepEqual(tracks.map((t) => [t.id, t.source]), [['me-1:2', 'screen'], ['me-1:3', 'screen_audio']]);
    const pc = client.publisherPc;
    const screen = pc.transceivers[2];
    assert.equal(screen.sender.track.contentHint, 'detail');
    assert.deepEqual(screen.init.sendEncodings, [{ maxBitrate: SCREEN_MAX_BITRATE, maxFramerate: SCREEN_FRAME_RATE }]);
    assert.equal(screen.sender.params.degradationPreference, 'maintain-resolution');
    assert.equal(pc.transceivers[3].init.sendEncodings, undefined, 'the screen audio is plain audio');
    assert.equal(client.isSharingScreen(), true);
    assert.equal(client.localParticipant.tracks.get('me-1:2').mediaStreamTrack, screen.sender.track);
  });

  it('sends two layers with simulcast, and no audio when asked for none', async () => {
    const { client, ws } = await connected();
    const sharing = client.shareScreen({ simulcast: true, audio: false, contentHint: 'text' });
    const offer = await answer(ws, 1, KINDS);
    await sharing;
    assert.deepEqual(offer.tracks, [{ mid: '0', source: 'screen' }]);
    const t = client.publisherPc.transceivers[0];
    assert.deepEqual(t.init.sendEncodings.map((e) => e.rid), ['h', 'f']);
    assert.equal(t.sender.track.contentHint, 'text');
    assert.equal(display.calls[0].audio, false);

    // A shared screen is video, yet no camera: publishing the camera afterwards adds it.
    const publishing = client.publish({ stream: fakeStream(new FakeTrack('video')), audio: false });
    assert.deepEqual((await answer(ws, 2, KINDS)).tracks.map((x) => x.source), ['screen', 'camera']);
    assert.deepEqual((await publishing).map((x) => x.source), ['camera']);
  });

  it("the browser's own stop unpublishes the screen and its audio, and stops what the SDK captured", async () => {
    const { client, ws, events } = await connected();
    const cam = new FakeTrack('video');
    const publishing = client.publish({ stream: fakeStream(cam), audio: false });
    await answer(ws, 1, KINDS);
    await publishing;
    const sharing = client.shareScreen();
    await answer(ws, 2, KINDS);
    await sharing;
    const pc = client.publisherPc;
    const [video, audio] = [pc.transceivers[1].sender.track, pc.transceivers[2].sender.track];

    video.endByBrowser();
    const offer = await answer(ws, 3, KINDS);

    assert.deepEqual(offer.tracks, [{ mid: '0', source: 'camera' }]);
    assert.deepEqual(pc.transceivers.map((t) => t.stopped), [false, true, true]);
    assert.equal(audio.stopped, true);
    assert.equal(cam.stopped, false);
    assert.deepEqual(events, [['trackUnpublished', 'screen', 'me-1'], ['trackUnpublished', 'screen_audio', 'me-1']]);
    assert.deepEqual([...client.localParticipant.tracks.values()].map((t) => t.source), ['camera']);
    assert.equal(client.isSharingScreen(), false);
    await until(() => pc.remoteDescription.sdp === 'answer-3', 'the answer applied');

    // The camera is still the camera: publishing video again adds nothing; sharing again works.
    assert.deepEqual(await client.publish({ stream: fakeStream(new FakeTrack('video')), audio: false }), []);
    const again = client.shareScreen({ audio: false });
    assert.deepEqual((await answer(ws, 4, KINDS)).tracks.map((t) => t.source), ['camera', 'screen']);
    await again;
  });

  it('a caller-supplied track is shared and left running; the last m-line only loses its track', async () => {
    const { client, ws } = await connected();
    const canvasTrack = new FakeTrack('video');
    const sharing = client.shareScreen({ track: canvasTrack });
    assert.deepEqual((await answer(ws, 1, KINDS)).tracks, [{ mid: '0', source: 'screen' }]);
    await sharing;
    assert.equal(display.calls.length, 0, 'no picker for a supplied track');

    const stopping = client.stopScreenShare();
    const offer = await answer(ws, 2, KINDS);
    await stopping;
    assert.deepEqual(offer.tracks, []);
    const pc = client.publisherPc;
    assert.equal(pc.transceivers[0].stopped, false);
    assert.equal(pc.removed.length, 1, 'removeTrack keeps a bundled, inactive m-line');
    assert.equal(canvasTrack.stopped, false);
    await client.stopScreenShare(); // nothing shared: resolves at once
    assert.equal(ws.ofType('publishOffer').length, 2);
  });

  it('one share at a time; a cancelled picker leaves nothing behind', async () => {
    const { client, ws } = await connected();
    display.next = () => Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    await assert.rejects(client.shareScreen(), (e) => e.code === 'media' && e.cause.name === 'NotAllowedError');
    assert.equal(client.isSharingScreen(), false);
    assert.equal(ws.ofType('publishOffer').length, 0);

    display.next = () => fakeStream(new FakeTrack('video'));
    const first = client.shareScreen();
    await assert.rejects(client.shareScreen(), (e) => e.code === 'bad_state');
    await answer(ws, 1, KINDS);
    await first;
    assert.equal(display.calls.length, 2);
  });

  it('a refused screen is not left shared', async () => {
    const { client, ws } = await connected();
    const sharing = client.shareScreen({ audio: false });
    await until(() => ws.ofType('publishOffer').length === 1, 'publishOffer');
    const offer = ws.ofType('publishOffer')[0];
    ws.serverSend({ type: 'error', code: 'bad_source', message: 'no', requestType: 'publishOffer',
      requestId: offer.requestId });
    await assert.rejects(sharing, (e) => e.code === 'bad_source');
    assert.equal(client.isSharingScreen(), false);
    assert.equal(client.publisherPc.transceivers[0].stopped, true);
  });

  it('a fresh join (the server lost the session) publishes the screen again, with its source and encodings', async () => {
    const { client, ws } = await connected({ reconnectDelaysMs: [0] });
    const sharing = client.shareScreen({ audio: false, simulcast: true });
    await answer(ws, 1, KINDS);
    await sharing;
    const screenTrack = client.publisherPc.transceivers[0].sender.track;

    ws.serverClose(1006);
    await until(() => FakeWebSocket.last !== ws, 'a resume attempt');
    const refused = FakeWebSocket.last;
    refused.open();
    refused.serverSend({ type: 'error', code: 'resume_failed', message: 'join again' });
    refused.serverClose(4002);
    await until(() => FakeWebSocket.last !== refused, 'the fresh join');
    const fresh = FakeWebSocket.last;
    fresh.open();
    fresh.serverSend(welcome({ resumeToken: 'rt-2', resumeWindowMs: 20000, resumed: false }));
    const offer = await answer(fresh, 1, KINDS);

    assert.deepEqual(offer.tracks, [{ mid: '0', source: 'screen' }]);
    const t = client.publisherPc.transceivers[0];
    assert.equal(t.sender.track, screenTrack);
    assert.deepEqual(t.init.sendEncodings.map((e) => e.rid), ['h', 'f']);
    assert.equal(client.isSharingScreen(), true);
    client.leave();
  });
});
