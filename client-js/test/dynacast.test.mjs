// Dynacast (sdk/dynacast.js) and adaptive stream (sdk/adaptive-stream.js): the pure rules, and both classes over
// fakes of the page, the senders and the client.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { AdaptiveStream, preferenceFor, worthSending } from '../sdk/adaptive-stream.js';
import { Dynacast, encodingsWithActive } from '../sdk/dynacast.js';

const SIMULCAST = [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 },
  { rid: 'f', active: true }];

describe('encodingsWithActive', () => {
  it('turns on the named rids and off the others, on a copy', () => {
    const { encodings, changed } = encodingsWithActive(SIMULCAST, ['q']);
    assert.equal(changed, true);
    assert.deepEqual(encodings.map((e) => [e.rid, e.active]), [['q', true], ['h', false], ['f', false]]);
    assert.equal(encodings[0].scaleResolutionDownBy, 4, 'other fields kept');
    assert.equal(SIMULCAST[2].active, true, 'input untouched');
  });

  it('reports no change when the flags already match (absent active counts as on)', () => {
    assert.equal(encodingsWithActive(SIMULCAST, ['q', 'h', 'f']).changed, false);
  });

  it('leaves an encoding without a rid alone and ignores junk in the list', () => {
    const { encodings, changed } = encodingsWithActive([{ maxBitrate: 1 }], ['q', 3, null]);
    assert.equal(changed, false);
    assert.deepEqual(encodings, [{ maxBitrate: 1 }]);
    assert.deepEqual(encodingsWithActive(SIMULCAST, 'q').encodings.map((e) => e.active), [false, false, false]);
  });
});

/** A sender whose parameters are plain data; records every setParameters. */
function fakeSender(encodings) {
  const sets = [];
  return {
    sets,
    getParameters: () => ({ transactionId: 't', encodings: encodings.map((e) => ({ ...e })) }),
    setParameters: async (p) => {
      sets.push(p.encodings.map((e) => `${e.rid}:${e.active ? 'on' : 'off'}`).join(' '));
      encodings = p.encodings;
    },
  };
}

function fakePublisherClient(sender) {
  const errors = [];
  return {
    errors,
    _emit: (name, e) => errors.push([name, e]),
    _model: { local: { id: 'alice' }, findLocalTrack: (source) => (source === 'camera' ? { id: 'alice:1' } : null) },
    _publisher: { _published: [{ source: 'camera', transceiver: { mid: '1', sender } }] },
  };
}

describe('Dynacast', () => {
  it('applies the layers to the sender of the named track, once per change', async () => {
    const sender = fakeSender(SIMULCAST);
    const d = new Dynacast(fakePublisherClient(sender));
    await d.apply({ type: 'publisherLayers', trackId: 'alice:1', active: ['q'] });
    await d.apply({ type: 'publisherLayers', trackId: 'alice:1', active: ['q'] });
    await d.apply({ type: 'publisherLayers', trackId: 'alice:1', active: ['q', 'h', 'f'] });
    assert.deepEqual(sender.sets, ['q:on h:off f:off', 'q:on h:on f:on']);
    assert.deepEqual(d.active.get('alice:1'), ['q', 'h', 'f']);
  });

  it('only the latest of messages arriving together is applied', async () => {
    const sender = fakeSender(SIMULCAST);
    const d = new Dynacast(fakePublisherClient(sender));
    d.apply({ trackId: 'alice:1', active: ['q'] });
    d.apply({ trackId: 'alice:1', active: ['q', 'h'] });
    await d.apply({ trackId: 'alice:1', active: ['q', 'h', 'f'] });
    assert.deepEqual(sender.sets, []);
    await d.apply({ trackId: 'alice:1', active: [] });
    assert.deepEqual(sender.sets, ['q:off h:off f:off']);
  });

  it('ignores tracks it does not publish and malformed messages; a refusing sender is counted, not thrown', async () => {
    const sender = fakeSender(SIMULCAST);
    sender.setParameters = async () => { throw new Error('InvalidModificationError'); };
    const client = fakePublisherClient(sender);
    const d = new Dynacast(client);
    await d.apply({ trackId: 'bob:1', active: ['q'] });
    assert.equal(d.apply({ trackId: 'alice:1' }), undefined);
    assert.equal(client.errors.length, 0);
    const warn = console.warn;
    console.warn = () => {};
    try {
      await d.apply({ trackId: 'alice:1', active: ['q'] });
    } finally {
      console.warn = warn;
    }
    assert.equal(d.failures, 1);
    assert.equal(client.errors.length, 0, 'media is unaffected: no error event');
  });
});

describe('preferenceFor / worthSending', () => {
  it('asks for the tallest visible element times pixel ratio and margin', () => {
    assert.deepEqual(preferenceFor([{ height: 90, visible: true }, { height: 400, visible: false }],
      { devicePixelRatio: 2, oversize: 1.5 }), { maxHeight: 270, paused: false });
  });

  it('pauses when nothing is visible, nothing shows it, or the page is hidden', () => {
    assert.deepEqual(preferenceFor([{ height: 300, visible: false }]), { maxHeight: 0, paused: true });
    assert.deepEqual(preferenceFor([]), { maxHeight: 0, paused: true });
    assert.deepEqual(preferenceFor([{ height: 300, visible: true }], { documentHidden: true }),
      { maxHeight: 0, paused: true });
    assert.deepEqual(preferenceFor([{ height: 0, visible: true }]), { maxHeight: 0, paused: true });
  });

  it('sends the first value, a pause change, and a height change beyond 15 %', () => {
    const p = (maxHeight, paused = false) => ({ maxHeight, paused });
    assert.equal(worthSending(null, p(100)), true);
    assert.equal(worthSending(p(100), p(110)), false);
    assert.equal(worthSending(p(100), p(116)), true);
    assert.equal(worthSending(p(100), p(84)), true);
    assert.equal(worthSending(p(100), p(0, true)), true);
    assert.equal(worthSending(p(0, true), p(0, true)), false);
  });
});

/** A page with <video> elements, observers the test drives, and timers it runs by hand. */
function fakePage() {
  const observers = { resize: null, intersect: null };
  const timeouts = new Map();
  let nextId = 1;
  const env = {
    document: { videos: [], visibilityState: 'visible', listeners: {},
      querySelectorAll(sel) { return sel === 'video' ? this.videos : []; },
      addEventListener(type, fn) { this.listeners[type] = fn; },
      removeEventListener(type) { delete this.listeners[type]; } },
    devicePixelRatio: 1,
    performance: { now: () => 0 },
    ResizeObserver: class { constructor(cb) { this.cb = cb; this.seen = new Set(); observers.resize = this; }
      observe(el) { this.seen.add(el); } unobserve(el) { this.seen.delete(el); } disconnect() { this.seen.clear(); } },
    IntersectionObserver: class { constructor(cb) { this.cb = cb; this.seen = new Set(); observers.intersect = this; }
      observe(el) { this.seen.add(el); } unobserve(el) { this.seen.delete(el); } disconnect() { this.seen.clear(); } },
    setInterval: () => 1, clearInterval: () => {},
    setTimeout: (fn) => { const id = nextId++; timeouts.set(id, fn); return id; },
    clearTimeout: (id) => timeouts.delete(id),
  };
  return {
    env, observers,
    /** Runs the pending debounce. */
    flush() { const fns = [...timeouts.values()]; timeouts.clear(); fns.forEach((f) => f()); },
    video(mediaTrack) {
      const el = { srcObject: { getVideoTracks: () => [mediaTrack] } };
      env.document.videos.push(el);
      return el;
    },
    resize(el, height) { observers.resize.cb([{ target: el, contentRect: { height } }]); },
    show(el, visible) { observers.intersect.cb([{ target: el, isIntersecting: visible }]); },
  };
}

function fakeSubscriberClient(tracks) {
  const sent = [];
  return {
    sent, state: 'connected',
    subscriptions: () => tracks.map((track) => ({ track })),
    setTrackPreferences: async (trackId, prefs, opts) => { sent.push([trackId, prefs.maxHeight, prefs.paused, opts]); },
  };
}

describe('AdaptiveStream', () => {
  const media = { kind: 'video' };
  const track = { id: 'alice:1', kind: 'video', mediaStreamTrack: media };

  it('follows the element: small tile, large tile, hidden tile, removed element', () => {
    const page = fakePage();
    const client = fakeSubscriberClient([track]);
    const a = new AdaptiveStream(client, { env: page.env, oversize: 1.5 });
    const el = page.video(media);
    a.start();
    assert.ok(page.observers.resize.seen.has(el), 'the element playing the track is observed');
    page.resize(el, 120);
    page.show(el, true);
    page.flush();
    assert.deepEqual(client.sent, [['alice:1', 180, false, { adaptive: true }]]);

    page.resize(el, 125); // within 15 %: nothing
    page.flush();
    page.resize(el, 600);
    page.flush();
    page.show(el, false);
    page.flush();
    assert.deepEqual(client.sent.slice(1).map((s) => [s[1], s[2]]), [[900, false], [0, true]]);

    page.show(el, true);
    page.flush();
    page.env.document.videos.length = 0; // the app removed the tile
    a.scan();
    page.flush();
    assert.deepEqual(client.sent.slice(3).map((s) => [s[1], s[2]]), [[900, false], [0, true]]);
    a.stop();
  });

  it('a hidden page pauses every track, and it comes back when visible', () => {
    const page = fakePage();
    const client = fakeSubscriberClient([track]);
    const a = new AdaptiveStream(client, { env: page.env });
    const el = page.video(media);
    a.start();
    page.resize(el, 200);
    page.show(el, true);
    page.flush();
    page.env.document.visibilityState = 'hidden';
    page.env.document.listeners.visibilitychange();
    page.flush();
    page.env.document.visibilityState = 'visible';
    page.env.document.listeners.visibilitychange();
    page.flush();
    assert.deepEqual(client.sent.map((s) => s[2]), [false, true, false]);
    assert.equal(a.isPaused('alice:1'), false);
    page.env.document.visibilityState = 'hidden';
    page.env.document.listeners.visibilitychange();
    page.flush();
    assert.equal(a.isPaused('alice:1'), true, 'media repair expects nothing of it now');
  });

  it('leaves alone tracks the app set itself, tracks in no element, and does nothing when disabled or without a DOM', () => {
    const page = fakePage();
    const client = fakeSubscriberClient([track, { id: 'bob:1', kind: 'video', mediaStreamTrack: {} }]);
    const a = new AdaptiveStream(client, { env: page.env });
    a.manual('alice:1');
    const el = page.video(media);
    a.start();
    page.resize(el, 200);
    page.show(el, true);
    page.flush();
    assert.deepEqual(client.sent, [], 'alice:1 is the app\'s; bob:1 plays nowhere');

    const off = new AdaptiveStream(client, { env: fakePage().env, enabled: false });
    off.start();
    assert.equal(off.running, false);
    const headless = new AdaptiveStream(client, { env: {} });
    headless.start();
    assert.equal(headless.running, false);
  });
});

describe('AdaptiveStream before the observers report', () => {
  it('sends nothing for an element not measured yet (silent observers never pause a track)', () => {
    const page = fakePage();
    const media = { kind: 'video' };
    const client = fakeSubscriberClient([{ id: 'alice:1', kind: 'video', mediaStreamTrack: media }]);
    const a = new AdaptiveStream(client, { env: page.env });
    const el = page.video(media);
    a.start();
    page.flush();
    page.resize(el, 300); // size known, visibility not yet
    page.flush();
    assert.deepEqual(client.sent, []);
    page.show(el, true);
    page.flush();
    assert.deepEqual(client.sent.map((s) => [s[1], s[2]]), [[450, false]]);
  });
});
