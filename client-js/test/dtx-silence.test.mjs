// Opus DTX as the SDK's watchers see it: in silence a DTX sender (Chromium, Prism asks for usedtx=1) sends one packet
// every 400 ms instead of one every 20 ms. Neither the transport stall check (FlowStall) nor media repair's watch
// (MediaWatch) may take that silence for a dead path or a stalled track. Time is passed in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { FlowStall, MediaWatch } from '../sdk/prism-state.js';

/** Packet arrival times (ms): speech every 20 ms until `silenceAt`, then DTX (one packet every 400 ms). */
function arrivals(silenceAt, endMs, { speechAgainAt = Infinity } = {}) {
  const out = [];
  for (let t = 0; t < silenceAt; t += 20) out.push(t);
  for (let t = silenceAt; t < Math.min(endMs, speechAgainAt); t += 400) out.push(t);
  for (let t = speechAgainAt; t < endMs; t += 20) out.push(t);
  return out;
}

/** Bytes received by `t`: 100 per packet. */
function bytesAt(packets, t) {
  let n = 0;
  for (const a of packets) if (a <= t) n++;
  return 100 * n;
}

describe('Opus DTX silence', () => {
  it('is not a transport stall: steady speech, then a packet every 400 ms (sampled every 100 ms)', () => {
    const packets = arrivals(2000, 12_000, { speechAgainAt: 8000 });
    const flow = new FlowStall({ stallMs: 600 }); // the SDK's defaults: mediaStallMs 600, checks every 100 ms
    const stalls = [];
    for (let t = 0; t <= 12_000; t += 100) if (flow.sample(t, bytesAt(packets, t))) stalls.push(t);
    assert.deepEqual(stalls, []);
  });

  it('is not a transport stall when the checks run late (getStats on a loaded page: 100-190 ms apart)', () => {
    const packets = arrivals(2000, 12_000);
    const flow = new FlowStall({ stallMs: 600 });
    const stalls = [];
    let step = 0;
    for (let t = 0; t <= 12_000; t += 100 + (step++ * 37) % 91) if (flow.sample(t, bytesAt(packets, t))) stalls.push(t);
    assert.deepEqual(stalls, []);
  });

  it('still reports a path that dies during speech', () => {
    const packets = arrivals(20_000, 20_000).filter((t) => t < 3000); // speech, then nothing at all from 3 s
    const flow = new FlowStall({ stallMs: 600 });
    const stalls = [];
    for (let t = 0; t <= 6000; t += 100) if (flow.sample(t, bytesAt(packets, t))) stalls.push(t);
    assert.deepEqual(stalls, [3600]);
  });

  it('is not missing media: an audio track whose packetsReceived grows once per 400 ms', () => {
    const packets = arrivals(1000, 30_000);
    const watch = new MediaWatch({ missingMs: 4000 });
    const due = [];
    for (let t = 0; t <= 30_000; t += 1000) {
      due.push(...watch.observe(t, [{ trackId: 'mic', expected: true, count: bytesAt(packets, t) / 100 }]));
    }
    assert.deepEqual(due, []);
  });
});
