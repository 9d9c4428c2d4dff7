// Unit tests for the SDK's pure state module. Run: npm test (in client-js/) or node --test client-js/test/
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';

import {
  MediaWatch,
  PendingRequests,
  PrismError,
  ReconnectSchedule,
  RoomModel,
  parseServerMessage,
} from '../sdk/prism-state.js';

// ---------------------------------------------------------------------------------------------- fixtures

const track = (participantId, n, kind, extra = {}) => ({
  id: `${participantId}:${n}`, participantId, kind, source: kind === 'audio' ? 'microphone' : 'camera', muted: false, ...extra,
});
const participant = (id, tracks = [], extra = {}) => ({
  id, name: id.toUpperCase(), canPublish: true, canSubscribe: true, tracks, ...extra,
});
const welcome = (self, others = []) => ({
  type: 'welcome', participant: self, room: { id: 'demo', participants: [self, ...others] }, iceServers: [],
});
/** A fake receiver per mid, standing in for RTCRtpTransceiver.receiver. */
const receivers = (...mids) => new Map(mids.map((mid) => [mid, { track: { id: `mst-${mid}` }, receiver: { mid } }]));
/** Events as [name, subjectId] pairs: easy to compare in order. */
const names = (events) => events.map(([name, subject]) => [name, subject?.id ?? subject]);

function joinedModel(others = []) {
  const model = new RoomModel();
  const events = model.applyWelcome(welcome(participant('me'), others));
  assert.deepEqual(events, []);
  return model;
}

// ---------------------------------------------------------------------------------------------- parsing

describe('parseServerMessage', () => {
  const rows = [
    // [input, ok, why]
    ['{"type":"pong"}', true, 'minimal message'],
    ['{"type":"welcome","participant":{}}', true, 'fields are checked later'],
    ['not json', false, 'invalid JSON'],
    ['[1,2]', false, 'array, not an object'],
    ['null', false, 'null'],
    ['{"kind":"x"}', false, 'no type'],
    ['{"type":7}', false, 'type not a string'],
    ['', false, 'empty frame'],
    [new ArrayBuffer(4), false, 'binary frame'],
  ];
  for (const [input, ok, why] of rows) {
    it(`${ok ? 'accepts' : 'rejects'} ${why}`, () => {
      const result = parseServerMessage(input);
      assert.equal(result.ok, ok);
      if (!ok) {
        assert.ok(result.error instanceof PrismError);
        assert.equal(result.error.code, 'protocol');
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------- room state

describe('RoomModel room state', () => {
  it('welcome keeps self apart from the remote participants and emits nothing', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    assert.equal(model.roomId, 'demo');
    assert.equal(model.local.id, 'me');
    assert.equal(model.local.isLocal, true);
    assert.deepEqual([...model.participants.keys()], ['bob']);
    const bob = model.participants.get('bob');
    assert.equal(bob.isLocal, false);
    assert.equal(bob.name, 'BOB');
    assert.deepEqual([...bob.tracks.keys()], ['bob:0']);
  });

  it('welcome without a participant is an error event', () => {
    const model = new RoomModel();
    const events = model.applyWelcome({ type: 'welcome', room: { id: 'demo', participants: [] } });
    assert.equal(events[0][0], 'error');
    assert.equal(model.local, null);
  });

  it('join, publish, mute, unpublish, leave', () => {
    const model = joinedModel();
    assert.deepEqual(names(model.apply({ type: 'participantJoined', participant: participant('bob') })),
      [['participantJoined', 'bob']]);
    assert.deepEqual(names(model.apply({ type: 'trackPublished', track: track('bob', 1, 'video') })),
      [['trackPublished', 'bob:1']]);
    const muted = model.apply({ type: 'trackMuted', trackId: 'bob:1', participantId: 'bob', muted: true });
    assert.deepEqual(names(muted), [['trackMuted', 'bob:1']]);
    assert.equal(muted[0][1].muted, true);
    assert.equal(muted[0][2].id, 'bob');
    assert.deepEqual(names(model.apply({ type: 'trackUnpublished', trackId: 'bob:1', participantId: 'bob' })),
      [['trackUnpublished', 'bob:1']]);
    const left = model.apply({ type: 'participantLeft', participantId: 'bob', reason: 'timeout' });
    assert.deepEqual(names(left), [['participantLeft', 'bob']]);
    assert.equal(left[0][2], 'timeout');
    assert.equal(model.participants.size, 0);
  });

  it('ignores messages about unknown participants and tracks', () => {
    const model = joinedModel();
    const rows = [
      { type: 'participantLeft', participantId: 'ghost' },
      { type: 'trackPublished', track: track('ghost', 0, 'audio') },
      { type: 'trackUnpublished', trackId: 'ghost:0', participantId: 'ghost' },
      { type: 'trackMuted', trackId: 'ghost:0', participantId: 'ghost', muted: true },
      { type: 'somethingNew', foo: 1 },
    ];
    for (const msg of rows) assert.deepEqual(model.apply(msg), [], msg.type);
  });

  it('malformed room messages become error events, never exceptions', () => {
    const model = joinedModel();
    const rows = [
      { type: 'participantJoined' },
      { type: 'participantJoined', participant: { name: 'no id' } },
      { type: 'trackPublished' },
      { type: 'trackPublished', track: { id: 'x:0' } },
      { type: 'state' },
      { type: 'state', room: { id: 'demo', participants: 'nope' } },
    ];
    for (const msg of rows) {
      const events = model.apply(msg);
      assert.equal(events.length, 1, JSON.stringify(msg));
      assert.equal(events[0][0], 'error');
    }
  });

  it('a second participantJoined for the same identity replaces the participant', () => {
    const model = joinedModel([participant('bob')]);
    const before = model.participants.get('bob');
    const events = model.apply({ type: 'participantJoined', participant: participant('bob', [], { name: 'Bob 2' }) });
    assert.deepEqual(names(events), [['participantLeft', 'bob'], ['participantJoined', 'bob']]);
    assert.equal(events[0][1], before);
    assert.equal(events[0][2], 'replaced');
    assert.equal(model.participants.get('bob').name, 'Bob 2');
  });

  it('our own participantLeft is reported internally as selfLeft', () => {
    const model = joinedModel();
    assert.deepEqual(model.apply({ type: 'participantLeft', participantId: 'me', reason: 'kicked' }), [['selfLeft', 'kicked']]);
  });

  it('a state replay emits exactly the differences and keeps object identity', () => {
    const model = joinedModel([
      participant('bob', [track('bob', 0, 'audio'), track('bob', 1, 'video')]),
      participant('carol'),
    ]);
    const bob = model.participants.get('bob');
    const bobAudio = bob.tracks.get('bob:0');
    const events = model.apply({
      type: 'state',
      room: {
        id: 'demo',
        participants: [
          participant('me'),
          participant('bob', [track('bob', 0, 'audio', { muted: true }), track('bob', 2, 'video')]),
          participant('dave'),
        ],
      },
    });
    assert.deepEqual(names(events), [
      ['trackUnpublished', 'bob:1'],
      ['trackMuted', 'bob:0'],
      ['trackPublished', 'bob:2'],
      ['participantJoined', 'dave'],
      ['participantLeft', 'carol'],
    ]);
    assert.equal(model.participants.get('bob'), bob);
    assert.equal(bob.tracks.get('bob:0'), bobAudio);
    assert.equal(bobAudio.muted, true);
  });

  it('an identical state replay emits nothing', () => {
    const others = [participant('bob', [track('bob', 0, 'audio')])];
    const model = joinedModel(others);
    assert.deepEqual(model.apply({ type: 'state', room: { id: 'demo', participants: [participant('me'), ...others] } }), []);
  });
});

// ---------------------------------------------------------------------------------------------- subscriptions

describe('RoomModel subscriptions', () => {
  const offerEntry = (mid, trackId, participantId, kind) => ({ mid, trackId, participantId, kind });

  it('binds offered mids to known tracks and their receivers', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio'), track('bob', 1, 'video')])]);
    const events = model.applyOffer(
      [offerEntry('0', 'bob:0', 'bob', 'audio'), offerEntry('1', 'bob:1', 'bob', 'video')], receivers('0', '1'));
    assert.deepEqual(names(events), [['trackSubscribed', 'bob:0'], ['trackSubscribed', 'bob:1']]);
    const [, audio, owner] = events[0];
    assert.equal(owner.id, 'bob');
    assert.equal(audio.mediaStreamTrack.id, 'mst-0');
    assert.equal(audio.receiver.mid, '0');
    assert.equal(audio.mid, '0');
    assert.deepEqual(model.subscriptions().map((s) => [s.track.id, s.mid]), [['bob:0', '0'], ['bob:1', '1']]);
  });

  it('re-applying the same offer emits nothing', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    const tracks = [offerEntry('0', 'bob:0', 'bob', 'audio')];
    const recv = receivers('0');
    model.applyOffer(tracks, recv);
    assert.deepEqual(model.applyOffer(tracks, recv), []);
  });

  it('numeric mids are accepted as strings', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    assert.deepEqual(names(model.applyOffer([offerEntry(0, 'bob:0', 'bob', 'audio')], receivers('0'))),
      [['trackSubscribed', 'bob:0']]);
  });

  it('an offer that arrives before trackPublished subscribes once the track is known, after its announcement', () => {
    const model = joinedModel([participant('bob')]);
    assert.deepEqual(model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], receivers('0')), []);
    const events = model.apply({ type: 'trackPublished', track: track('bob', 0, 'audio') });
    assert.deepEqual(names(events), [['trackPublished', 'bob:0'], ['trackSubscribed', 'bob:0']]);
  });

  it('an m-line that goes inactive (mid missing from tracks) unsubscribes', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio'), track('bob', 1, 'video')])]);
    const recv = receivers('0', '1');
    model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio'), offerEntry('1', 'bob:1', 'bob', 'video')], recv);
    const events = model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], recv);
    assert.deepEqual(names(events), [['trackUnsubscribed', 'bob:1']]);
    const video = events[0][1];
    assert.equal(video.mediaStreamTrack, undefined, 'media reference dropped');
    assert.equal(video.mid, undefined);
  });

  it('an m-line reused for another track unsubscribes the old one before subscribing the new one', () => {
    const model = joinedModel([
      participant('bob', [track('bob', 0, 'audio')]),
      participant('carol', [track('carol', 0, 'audio')]),
    ]);
    const recv = receivers('0'); // same receiver: the m-line is reused, not replaced
    model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], recv);
    const events = model.applyOffer([offerEntry('0', 'carol:0', 'carol', 'audio')], recv);
    assert.deepEqual(names(events), [['trackUnsubscribed', 'bob:0'], ['trackSubscribed', 'carol:0']]);
    assert.equal(events[1][1].mediaStreamTrack.id, 'mst-0');
  });

  it('trackUnpublished unsubscribes at once; the later offer that drops the m-line is silent', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    const recv = receivers('0');
    model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], recv);
    const events = model.apply({ type: 'trackUnpublished', trackId: 'bob:0', participantId: 'bob' });
    assert.deepEqual(names(events), [['trackUnsubscribed', 'bob:0'], ['trackUnpublished', 'bob:0']]);
    assert.deepEqual(model.applyOffer([], recv), []);
  });

  it('participantLeft unsubscribes its tracks first', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio'), track('bob', 1, 'video')])]);
    model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio'), offerEntry('1', 'bob:1', 'bob', 'video')], receivers('0', '1'));
    const events = model.apply({ type: 'participantLeft', participantId: 'bob', reason: 'left' });
    assert.deepEqual(names(events),
      [['trackUnsubscribed', 'bob:0'], ['trackUnsubscribed', 'bob:1'], ['participantLeft', 'bob']]);
    assert.equal(events[0][2].id, 'bob');
  });

  it('an identity replacement rebinds the same track id to the new participant object', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], receivers('0'));
    const events = model.apply({ type: 'participantJoined', participant: participant('bob', [track('bob', 0, 'audio')]) });
    assert.deepEqual(names(events), [
      ['trackUnsubscribed', 'bob:0'], ['participantLeft', 'bob'], ['participantJoined', 'bob'], ['trackSubscribed', 'bob:0'],
    ]);
    assert.notEqual(events[0][1], events[3][1]);
    assert.equal(events[3][2], model.participants.get('bob'));
  });

  it('a mid without a receiver is not reported', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    assert.deepEqual(model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], receivers()), []);
  });

  it('bad offer entries are reported; good ones still bind', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    const events = model.applyOffer([{ trackId: 'bob:0' }, null, { mid: '1' }, offerEntry('0', 'bob:0', 'bob', 'audio')],
      receivers('0'));
    assert.deepEqual(events.map((e) => e[0]), ['error', 'error', 'error', 'trackSubscribed']);
  });

  it('a wrong participantId in the offer still finds the track by id', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    const events = model.applyOffer([offerEntry('0', 'bob:0', 'someone', 'audio')], receivers('0'));
    assert.deepEqual(names(events), [['trackSubscribed', 'bob:0']]);
    assert.equal(events[0][2].id, 'bob');
  });

  it('reset drops subscriptions and participants silently', () => {
    const model = joinedModel([participant('bob', [track('bob', 0, 'audio')])]);
    const [[, audio]] = model.applyOffer([offerEntry('0', 'bob:0', 'bob', 'audio')], receivers('0'));
    model.reset();
    assert.equal(model.participants.size, 0);
    assert.deepEqual(model.subscriptions(), []);
    assert.equal(audio.mediaStreamTrack, undefined);
  });
});

// ---------------------------------------------------------------------------------------------- local tracks

describe('RoomModel local tracks', () => {
  it('learns local track ids from a state replay and attaches the published media by source', () => {
    const model = joinedModel();
    const mic = { kind: 'audio', enabled: true };
    model.bindLocalMedia('microphone', mic);
    assert.equal(model.findLocalTrack('microphone'), null);
    const events = model.apply({
      type: 'state',
      room: { id: 'demo', participants: [participant('me', [track('me', 0, 'audio')])] },
    });
    assert.deepEqual(names(events), [['trackPublished', 'me:0']]);
    assert.equal(events[0][2].isLocal, true);
    const local = model.findLocalTrack('microphone');
    assert.equal(local.id, 'me:0');
    assert.equal(local.mediaStreamTrack, mic);
  });

  it('a trackPublished about ourselves lands in the local participant', () => {
    const model = joinedModel();
    const cam = { kind: 'video' };
    model.bindLocalMedia('camera', cam);
    const events = model.apply({ type: 'trackPublished', track: track('me', 1, 'video') });
    assert.deepEqual(names(events), [['trackPublished', 'me:1']]);
    assert.equal(model.findLocalTrack('camera').mediaStreamTrack, cam);
    assert.equal(model.participants.size, 0);
  });

  it('trackMuted about a local track is reported with the local participant', () => {
    const model = joinedModel();
    model.apply({ type: 'trackPublished', track: track('me', 0, 'audio') });
    const events = model.apply({ type: 'trackMuted', trackId: 'me:0', participantId: 'me', muted: true });
    assert.equal(events[0][0], 'trackMuted');
    assert.equal(events[0][1].muted, true);
    assert.equal(events[0][2].isLocal, true);
  });

  it('ensureLocalTrack adds a fallback only when the source is unknown', () => {
    const model = joinedModel();
    const events = model.ensureLocalTrack({ id: 'me:0', kind: 'audio', source: 'microphone', muted: false });
    assert.deepEqual(names(events), [['trackPublished', 'me:0']]);
    assert.deepEqual(model.ensureLocalTrack({ id: 'me:9', kind: 'audio', source: 'microphone' }), []);
  });

  it('our own participantJoined is ignored', () => {
    const model = joinedModel();
    assert.deepEqual(model.apply({ type: 'participantJoined', participant: participant('me') }), []);
    assert.equal(model.participants.size, 0);
  });
});

// ---------------------------------------------------------------------------------------------- requests

describe('PendingRequests', () => {
  it('a reply echoing the requestId resolves that request', async () => {
    const requests = new PendingRequests();
    const first = requests.open({ type: 'publishOffer', sdp: 'x' }, 'publishAnswer');
    const second = requests.open({ type: 'publishOffer', sdp: 'y' }, 'publishAnswer');
    assert.deepEqual(first.message, { type: 'publishOffer', sdp: 'x', requestId: '1' });
    assert.equal(second.message.requestId, '2');
    assert.equal(requests.settle({ type: 'publishAnswer', requestId: '2', sdp: 'b' }), true);
    assert.equal((await second.promise).sdp, 'b');
    assert.equal(requests.size, 1);
    requests.rejectAll(new Error('done'));
    await assert.rejects(first.promise, /done/);
  });

  it('an untagged reply resolves the oldest request expecting its type', async () => {
    const requests = new PendingRequests();
    const a = requests.open({ type: 'getState' }, 'state');
    const b = requests.open({ type: 'getState' }, 'state');
    assert.equal(requests.settle({ type: 'state', room: { n: 1 } }), true);
    assert.equal((await a.promise).room.n, 1);
    assert.equal(requests.size, 1);
    requests.rejectAll(new Error('x'));
    await assert.rejects(b.promise);
  });

  it('a reply tagged for someone else does not settle an unmatched request', () => {
    const requests = new PendingRequests();
    requests.open({ type: 'getState' }, 'state').promise.catch(() => {});
    assert.equal(requests.settle({ type: 'state', requestId: '99' }), false);
    assert.equal(requests.settle({ type: 'publishAnswer', requestId: '1' }), false, 'wrong reply type for id 1');
    assert.equal(requests.size, 1);
    requests.rejectAll(new Error('x'));
  });

  it('mute is answered by the broadcast trackMuted of that track', async () => {
    const requests = new PendingRequests();
    const mute = requests.open({ type: 'mute', trackId: 'me:1', muted: true }, 'trackMuted', (m) => m.trackId === 'me:1');
    assert.equal(requests.settle({ type: 'trackMuted', trackId: 'bob:1', muted: true }), false);
    assert.equal(requests.settle({ type: 'trackMuted', trackId: 'me:1', muted: true }), true);
    assert.equal((await mute.promise).trackId, 'me:1');
  });

  it('errors reject by requestId, else by requestType, else stay unmatched', async () => {
    const requests = new PendingRequests();
    const offer = requests.open({ type: 'publishOffer' }, 'publishAnswer');
    const state = requests.open({ type: 'getState' }, 'state');
    assert.equal(requests.settle({ type: 'error', code: 'bad_sdp', message: 'cannot parse', requestId: '1' }), true);
    await assert.rejects(offer.promise, (e) => e instanceof PrismError && e.code === 'bad_sdp'
      && e.message === 'cannot parse' && e.requestId === '1');
    assert.equal(requests.settle({ type: 'error', code: 'unknown_type', requestType: 'bogus' }), false);
    assert.equal(requests.settle({ type: 'error', code: 'internal', requestId: '42' }), false);
    assert.equal(requests.settle({ type: 'error', code: 'internal', requestType: 'getState' }), true);
    await assert.rejects(state.promise, (e) => e.code === 'internal' && e.message === 'internal');
  });

  it('times out', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const requests = new PendingRequests({ timeoutMs: 500 });
      const { promise } = requests.open({ type: 'ping' }, 'pong');
      mock.timers.tick(499);
      assert.equal(requests.size, 1);
      mock.timers.tick(1);
      await assert.rejects(promise, (e) => e.code === 'timeout' && e.requestType === 'ping');
      assert.equal(requests.size, 0);
      assert.equal(requests.settle({ type: 'pong', requestId: '1' }), false, 'late reply is dropped');
    } finally {
      mock.timers.reset();
    }
  });

  it('fail rejects one request locally', async () => {
    const requests = new PendingRequests();
    const { message, promise } = requests.open({ type: 'ping' }, 'pong');
    requests.fail(message.requestId, new PrismError('not_connected', 'gone'));
    await assert.rejects(promise, (e) => e.code === 'not_connected');
  });
});

describe('PendingRequests after a reconnect', () => {
  it('resendAll sends every outstanding request again with its requestId, oldest first', async () => {
    const requests = new PendingRequests();
    const a = requests.open({ type: 'publishOffer', sdp: 'x' }, 'publishAnswer');
    const b = requests.open({ type: 'getState' }, 'state');
    const sent = [];
    requests.resendAll((m) => sent.push(m));
    assert.deepEqual(sent, [{ type: 'publishOffer', sdp: 'x', requestId: '1' }, { type: 'getState', requestId: '2' }]);
    requests.resendAll(() => {
      throw new PrismError('not_connected', 'gone again');
    });
    await assert.rejects(a.promise, (e) => e.code === 'not_connected');
    await assert.rejects(b.promise, (e) => e.code === 'not_connected');
    assert.equal(requests.size, 0);
  });
});

describe('ReconnectSchedule', () => {
  it('follows the delays, repeats the last, and gives up after the timeout (fake clock)', () => {
    const schedule = new ReconnectSchedule({ delaysMs: [0, 100, 400], timeoutMs: 1000 });
    let t = 5000;
    schedule.start(t);
    // attempt: delay before it
    assert.equal(schedule.next(t), 0);
    t += 50; // the first attempt failed after 50 ms
    assert.equal(schedule.next(t), 100);
    t += 100 + 30;
    assert.equal(schedule.next(t), 400);
    t += 400 + 10; // 590 ms since the drop
    assert.equal(schedule.next(t), 400, 'the last delay repeats');
    t += 400; // 990 ms: another 400 would end past the timeout
    assert.equal(schedule.next(t), null);
    assert.equal(schedule.attempts, 4);
    assert.equal(schedule.elapsed(t), 990);
    assert.throws(() => new ReconnectSchedule({ delaysMs: [] }), TypeError);
    assert.throws(() => new ReconnectSchedule().next(0), /before start/);
  });
});

describe('MediaWatch', () => {
  it('reports expected media that makes no progress, once per interval, and forgives muted tracks', () => {
    const watch = new MediaWatch({ missingMs: 4000 });
    const round = (t, ...rows) => watch.observe(t, rows.map(([trackId, expected, count]) => ({ trackId, expected, count })));
    // time   track  expected  counter
    assert.deepEqual(round(0, ['v', true, 10], ['a', true, 100], ['m', false, 0]), []);
    assert.deepEqual(round(2000, ['v', true, 40], ['a', true, 100], ['m', false, 0]), []);
    assert.deepEqual(round(3999, ['v', true, 70], ['a', true, 100], ['m', false, 0]), []);
    assert.deepEqual(round(4000, ['v', true, 90], ['a', true, 100], ['m', false, 0]), [{ trackId: 'a', issue: 'stalled' }]);
    assert.deepEqual(round(6000, ['v', true, 90], ['a', true, 100], ['m', false, 0]), [], 'not again within 4 s');
    // v last moved at 4000, so it is due at 8000 as well; a is due again 4 s after its first report.
    assert.deepEqual(round(8000, ['v', true, 90], ['a', true, 100], ['m', false, 0]),
      [{ trackId: 'v', issue: 'stalled' }, { trackId: 'a', issue: 'stalled' }]);
    assert.deepEqual(round(9000, ['v', true, 91], ['a', false, 100], ['m', false, 0]), [], 'progress, or muted');
  });

  it('a track that never received anything is no_media; one that went away is forgotten', () => {
    const watch = new MediaWatch({ missingMs: 1000 });
    assert.deepEqual(watch.observe(0, [{ trackId: 'x', expected: true, count: null }]), []);
    assert.deepEqual(watch.observe(1000, [{ trackId: 'x', expected: true, count: 0 }]), [{ trackId: 'x', issue: 'no_media' }]);
    assert.deepEqual(watch.observe(1500, []), []);
    assert.deepEqual(watch.observe(2000, [{ trackId: 'x', expected: true, count: 0 }]), [], 'a fresh watch');
    assert.deepEqual(watch.observe(3000, [{ trackId: 'x', expected: true, count: 0 }]), [{ trackId: 'x', issue: 'no_media' }]);
  });
});

describe('RoomModel rejoin', () => {
  it('ends every subscription, keeps the self object and reports room differences', () => {
    const bob = participant('bob', [track('bob', 0, 'audio')]);
    const model = joinedModel([bob]);
    model.applyOffer([{ mid: '0', trackId: 'bob:0', participantId: 'bob' }], receivers('0'));
    const self = model.local;
    const carol = participant('carol');
    const events = model.applyRejoin(welcome(participant('me'), [carol]));
    assert.deepEqual(names(events), [['trackUnsubscribed', 'bob:0'], ['participantJoined', 'carol'], ['participantLeft', 'bob']]);
    assert.equal(model.local, self);
    assert.deepEqual(model.subscriptions(), []);
    assert.deepEqual(model.applyRejoin({ type: 'welcome' }).map((e) => e[0]), ['error']);
  });
});
