// FlowStall (sdk/flow-stall.js): when a steady flow of received bytes counts as stalled. Time is passed in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { FlowStall } from '../sdk/prism-state.js';

/** Feeds [ms, bytes] samples; returns the times at which a stall was reported. */
function stallsAt(samples, options) {
  const flow = new FlowStall(options);
  return samples.filter(([t, bytes]) => flow.sample(t, bytes)).map(([t]) => t);
}

/** Samples every `stepMs` from `fromMs` to `toMs` (inclusive), the counter growing by `perStep` each time. */
function run(fromMs, toMs, stepMs, startBytes, perStep) {
  const out = [];
  for (let t = fromMs, b = startBytes; t <= toMs; t += stepMs, b += perStep) out.push([t, b]);
  return out;
}

describe('FlowStall', () => {
  const options = { stallMs: 600 }; // steady after 600 ms of growth at most 300 ms apart

  it('reports a steady flow that stands still for stallMs, once', () => {
    const samples = [...run(0, 2000, 100, 0, 5000), ...run(2100, 4000, 100, 100_000, 0)];
    // Last growth at 2000 ms: the stall is seen at the first sample 600 ms later, and not again.
    assert.deepEqual(stallsAt(samples, options), [2600]);
  });

  it('never judges a flow that grows only now and then (a sender report a second)', () => {
    const samples = [];
    for (let t = 0; t <= 6000; t += 100) samples.push([t, 100 * (1 + Math.floor(t / 1000))]);
    assert.deepEqual(stallsAt(samples, options), []);
  });

  it('does not judge a flow that has not been steady for long enough', () => {
    // Growth for 500 ms only (from 0 to 500), then silence.
    const samples = [...run(0, 500, 100, 0, 1000), ...run(600, 3000, 100, 6000, 0)];
    assert.deepEqual(stallsAt(samples, options), []);
  });

  it('judges again only after the flow was steady again, and reports the next stall', () => {
    const samples = [
      ...run(0, 1000, 100, 0, 1000), // steady, last growth 1000
      ...run(1100, 1700, 100, 10_000, 0), // stall at 1600
      ...run(1800, 2100, 100, 11_000, 1000), // growth again for 300 ms only: not steady yet
      ...run(2200, 3000, 100, 14_000, 0), // silence: not judged
      ...run(3100, 4000, 100, 15_000, 1000), // steady again, last growth at 4000
      ...run(4100, 5000, 100, 24_000, 0), // stall at 4600
    ];
    assert.deepEqual(stallsAt(samples, options), [1600, 4600]);
  });

  it('starts over when the counter goes down (new connections)', () => {
    const samples = [...run(0, 1000, 100, 10_000, 1000), [1100, 50], ...run(1200, 2500, 100, 50, 0)];
    assert.deepEqual(stallsAt(samples, options), []);
  });

  it('a gap in the growth longer than maxGapMs breaks the steady run', () => {
    const samples = [
      ...run(0, 400, 100, 0, 1000),
      [800, 5000], // growth again after a 400 ms gap
      ...run(900, 2500, 100, 5000, 0),
    ];
    // The run restarted at 800 and grew no further: never steady for 600 ms.
    assert.deepEqual(stallsAt(samples, options), []);
  });
});
