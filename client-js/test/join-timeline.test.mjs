// The join timeline (sdk/join-timeline.js) with a fake clock and a fake peer connection: each step is marked once, in
// the order the events come, and the media steps come from getStats only when polling was asked for.
// Run: npm test (in client-js/) or node --test client-js/test/
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { JOIN_STEPS, JoinTimeline } from '../sdk/join-timeline.js';

function fakeClock(start = 1000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** Enough of an RTCPeerConnection: listeners, the two states, a getStats with the given inbound-rtp entries. */
function fakePc() {
  const pc = {
    listeners: {}, iceConnectionState: 'new', connectionState: 'new', signalingState: 'stable', inbound: [],
    addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); },
    fire(type) { for (const fn of this.listeners[type] ?? []) fn(); },
    async getStats() { return new Map(this.inbound.map((s, i) => [`in-${i}`, { type: 'inbound-rtp', ...s }])); },
  };
  return pc;
}

describe('JoinTimeline', () => {
  it('starts with every step null, in join order', () => {
    const t = new JoinTimeline({ now: fakeClock().now });
    assert.deepEqual(Object.keys(t.marks), [...JOIN_STEPS]);
    assert.ok(Object.values(t.marks).every((v) => v === null));
  });

  it('marks a step once: the first time counts', () => {
    const clock = fakeClock();
    const t = new JoinTimeline({ now: clock.now });
    t.mark('welcome');
    clock.t = 2000;
    t.mark('welcome');
    assert.equal(t.marks.welcome, 1000);
  });

  it('marks ICE on connected or completed, DTLS on the connection connected, of the first connection only', () => {
    const clock = fakeClock();
    const t = new JoinTimeline({ now: clock.now });
    const pc = fakePc();
    t.watchSubscriber(pc);
    pc.iceConnectionState = 'checking';
    pc.fire('iceconnectionstatechange');
    assert.equal(t.marks.iceConnected, null);
    clock.t = 1100;
    pc.iceConnectionState = 'completed';
    pc.fire('iceconnectionstatechange');
    clock.t = 1150;
    pc.connectionState = 'connecting';
    pc.fire('connectionstatechange');
    assert.equal(t.marks.dtlsConnected, null);
    clock.t = 1200;
    pc.connectionState = 'connected';
    pc.fire('connectionstatechange');
    assert.equal(t.marks.iceConnected, 1100);
    assert.equal(t.marks.dtlsConnected, 1200);
    const second = fakePc();
    t.watchSubscriber(second); // a fresh join's connection: not the first join's
    assert.equal(second.listeners.iceconnectionstatechange, undefined);
  });

  it('reads the first video packet, frame and decoded frame from inbound-rtp, audio ignored', () => {
    const clock = fakeClock();
    const t = new JoinTimeline({ now: clock.now });
    const stats = (entries) => new Map(entries.map((s, i) => [String(i), { type: 'inbound-rtp', ...s }]));
    t.readStats(stats([{ kind: 'audio', packetsReceived: 5 }, { kind: 'video', packetsReceived: 0 }]));
    assert.equal(t.marks.firstRtp, null);
    clock.t = 1300;
    t.readStats(stats([{ kind: 'video', packetsReceived: 3, framesReceived: 0, framesDecoded: 0 }]));
    clock.t = 1340;
    t.readStats(stats([{ kind: 'video', packetsReceived: 9, framesReceived: 1, framesDecoded: 0 }]));
    clock.t = 1380;
    t.readStats(stats([{ mediaType: 'video', packetsReceived: 12, framesReceived: 2, framesDecoded: 1 }]));
    assert.deepEqual([t.marks.firstRtp, t.marks.firstFrame, t.marks.firstDecoded], [1300, 1340, 1380]);
  });

  it('polls getStats only when asked, and stops at the first decoded frame', async () => {
    const quiet = new JoinTimeline({ now: fakeClock().now });
    const pc = fakePc();
    let reads = 0;
    const getStats = pc.getStats.bind(pc);
    pc.getStats = () => { reads++; return getStats(); };
    quiet.watchSubscriber(pc);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(reads, 0);

    const polling = new JoinTimeline({ pollMs: 1, now: fakeClock().now });
    pc.inbound = [{ kind: 'video', packetsReceived: 4, framesReceived: 1, framesDecoded: 1 }];
    polling.watchSubscriber(pc);
    const deadline = Date.now() + 2000;
    while (polling.marks.firstDecoded === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    assert.notEqual(polling.marks.firstDecoded, null);
    const after = reads;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(reads, after, 'no more getStats once the first frame was decoded');
  });
});
