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
