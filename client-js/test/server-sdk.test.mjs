// The Node server SDK (server/, '@prism-sfu/client/server'): tokens checked against Prism's known test vector and by
// recomputing the HMAC independently, the webhook test vector of docs/WEBHOOKS.md and its refusals, the API client
// against an HTTP server in the test, and the layout rules of server/. Run: node --test client-js/test/server-sdk.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';

import * as server from '../server/prism-server.js';
import {
  createToken, createRoomAdminToken, PrismApi, PrismApiError, verifyWebhook, isValidWebhook, WebhookVerificationError,
} from '../server/prism-server.js';

const SECRET = 'prism-known-vector-secret-0123456789';
/** TokenServiceTest's KNOWN_JWT (sfu-signaling) and PrismTokensTest's (prism-server-sdk): same grants, same bytes. */
const KNOWN_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
  + '.eyJyb29tIjoiZGVtbyIsInN1YiI6ImFsaWNlLTEyMzQiLCJuYW1lIjoiQWxpY2UiLCJjYW5QdWJsaXNoIjp0cnVlLCJjYW5TdWJzY3JpYmUiOmZhbHNlLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMH0'
  + '.iwHr6BZlwg0EyxGZ0Gy5OYwmEPv3yDAgzs-GIbsUzZo';
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const hmac = (secret, input) => createHmac('sha256', secret).update(input).digest('base64url');

describe('tokens', () => {
  it("match Prism's known vector byte for byte", () => {
    const jwt = createToken(SECRET, { room: 'demo', identity: 'alice-1234', name: 'Alice', canSubscribe: false,
      ttlSeconds: 3600, now: 1700000000 });
    assert.equal(jwt, KNOWN_JWT);
  });

  it('write every grant, a kid and other claims, and verify independently', () => {
    const jwt = createToken(SECRET, { room: 'standup', identity: 'bob@example.com', canPublish: false,
      canData: false, codec: 'h264', ttlSeconds: 600, keyId: '2026-12', claims: { hidden: true }, now: 1700000000 });
    const [h, p, s] = jwt.split('.');
    assert.deepEqual(decode(h), { alg: 'HS256', typ: 'JWT', kid: '2026-12' });
    assert.deepEqual(Object.entries(decode(p)), [['room', 'standup'], ['sub', 'bob@example.com'],
      ['canPublish', false], ['canSubscribe', true], ['iat', 1700000000], ['exp', 1700000600], ['codec', 'h264'],
      ['canData', false], ['hidden', true]]);
    assert.equal(s, hmac(SECRET, `${h}.${p}`));
  });

  it('mint room admin tokens', () => {
    const jwt = createRoomAdminToken(SECRET, { subject: 'billing', now: 1700000000 });
    const [h, p, s] = jwt.split('.');
    assert.deepEqual(decode(h), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.entries(decode(p)), [['sub', 'billing'], ['roomAdmin', true], ['iat', 1700000000],
      ['exp', 1700000300]]);
    assert.equal(s, hmac(SECRET, `${h}.${p}`));
    const fresh = decode(createRoomAdminToken(SECRET).split('.')[1]);
    assert.ok(Math.abs(fresh.iat - Date.now() / 1000) < 60);
    assert.equal(fresh.sub, undefined);
  });

  it('refuse bad arguments', () => {
    const ok = { room: 'r', identity: 'a' };
    assert.throws(() => createToken('short', ok), /at least 32/);
    assert.throws(() => createToken(SECRET, { ...ok, room: ' ' }), /room/);
    assert.throws(() => createToken(SECRET, { room: 'r' }), /identity/);
    assert.throws(() => createToken(SECRET, { ...ok, codec: 'av1' }), /vp8 or h264/);
    assert.throws(() => createToken(SECRET, { ...ok, canPublish: 'yes' }), /boolean/);
    assert.throws(() => createToken(SECRET, { ...ok, ttlSeconds: 0 }), /positive/);
    assert.throws(() => createToken(SECRET, { ...ok, keyId: 'bad id!' }), /key id/);
    assert.throws(() => createToken(SECRET, { ...ok, claims: { exp: 1 } }), /own option/);
    assert.throws(() => createRoomAdminToken(SECRET, { ttlSeconds: 1.5 }), /positive/);
  });
});

describe('webhooks', () => {
  const WH_SECRET = 'whsec-test-secret-0123456789abcdef';
  const BODY = '{"id":"EV_1","event":"room_started"}';
  const HEADER = 't=1765150000,v1=e35152fec0af0a7549b573b16e865e72627747c3bd5a031b944de5481fa4b7c3';
  const EVENT = '{"id":"EV_2","event":"participant_joined","room":"standup","roomSid":"RM_1","seq":2,'
    + '"createdAt":1765150000124,"participant":{"identity":"alice","name":"Alice"}}';
  const sign = (secret, t, body) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  const now = 1765150000;

  it('verify the documented test vector', () => {
    assert.ok(isValidWebhook(WH_SECRET, HEADER, BODY, { now }));
    assert.ok(isValidWebhook(WH_SECRET, HEADER, Buffer.from(BODY), { now: now + 300 }));
    assert.ok(!isValidWebhook(WH_SECRET, HEADER, `${BODY} `, { now }));
    assert.ok(!isValidWebhook(WH_SECRET, HEADER.replace('e351', 'e352'), BODY, { now }));
    assert.ok(!isValidWebhook(WH_SECRET, HEADER, BODY, { now: now + 301 }));
  });

  it('parse a verified event, choosing the key by Prism-Key-Id', () => {
    const event = verifyWebhook(WH_SECRET, sign(WH_SECRET, now, EVENT), EVENT, { now });
    assert.equal(event.participant.identity, 'alice');
    assert.equal(event.seq, 2);
    const other = 'another-secret-another-secret-0123';
    const keys = { default: WH_SECRET, '2026-12': other };
    assert.equal(verifyWebhook(keys, sign(other, now, EVENT), EVENT, { keyId: '2026-12', now }).id, 'EV_2');
    assert.throws(() => verifyWebhook(keys, sign(other, now, EVENT), EVENT, { now }), /bad signature/);
    assert.throws(() => verifyWebhook(keys, sign(other, now, EVENT), EVENT, { keyId: 'k9', now }), /unknown key id/);
    assert.throws(() => verifyWebhook(keys, sign(other, now, EVENT), EVENT, { keyId: 'toString', now }),
      /unknown key id/);
  });

  it('refuse bad requests with the reason', () => {
    const rows = [
      [undefined, EVENT, 'no Prism-Signature header'],
      [sign(WH_SECRET, now, EVENT), undefined, 'no body'],
      ['v1=abcd', EVENT, 'malformed Prism-Signature header'],
      ['t=-5,v1=ab', EVENT, 'malformed Prism-Signature header'],
      ['t=1765150000000000,v1=ab', EVENT, 'malformed Prism-Signature header'],
      [sign(WH_SECRET, now - 301, EVENT), EVENT, 'signature timestamp outside the tolerance'],
      [sign(WH_SECRET, now, EVENT).slice(0, 20), EVENT, 'bad signature'],
      [sign(WH_SECRET, now, EVENT), EVENT.replace('alice', 'mallory'), 'bad signature'],
      [sign(WH_SECRET, now, '[1]'), '[1]', 'signed, but not an event: not a JSON object'],
      [sign(WH_SECRET, now, BODY), BODY, "signed, but not an event: event field 'room' missing or not a string"],
    ];
    for (const [header, body, reason] of rows) {
      assert.throws(() => verifyWebhook(WH_SECRET, header, body, { now }),
        (e) => e instanceof WebhookVerificationError && e.message === reason, `${header} -> ${reason}`);
    }
  });
});

describe('PrismApi', () => {
  const API_SECRET = 'sdk-api-test-secret-sdk-api-test-secret';
  let http;
  let url;
  const seen = [];
  let reply = { status: 200, body: '{}' };

  before(async () => {
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ method: req.method, path: req.url, auth: req.headers.authorization, body });
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      });
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${http.address().port}/`;
  });
  after(() => http.close());
  const last = () => seen[seen.length - 1];

  it('sends each call to its path with its body and a fresh roomAdmin token', async () => {
    const api = new PrismApi(url, { secret: API_SECRET, keyId: 'k1' });
    reply = { status: 201, body: '{"name":"standup","live":false,"maxParticipants":8}' };
    assert.equal((await api.createRoom({ name: 'standup', maxParticipants: 8 })).maxParticipants, 8);
    assert.deepEqual([last().method, last().path, JSON.parse(last().body)],
      ['POST', '/api/v1/rooms', { name: 'standup', maxParticipants: 8 }]);
    const [h, p, s] = last().auth.slice('Bearer '.length).split('.');
    assert.equal(decode(h).kid, 'k1');
    assert.equal(decode(p).roomAdmin, true);
    assert.equal(decode(p).exp - decode(p).iat, 300);
    assert.equal(s, hmac(API_SECRET, `${h}.${p}`));

    reply = { status: 200, body: '{"rooms":[{"name":"a"}]}' };
    assert.deepEqual(await api.listRooms(), [{ name: 'a' }]);
    const calls = [
      [() => api.getRoom('a b'), 'GET', '/api/v1/rooms/a%20b', ''],
      [() => api.deleteRoom('a'), 'DELETE', '/api/v1/rooms/a', ''],
      [() => api.getParticipant('r', 'al/ice@x'), 'GET', '/api/v1/rooms/r/participants/al%2Fice%40x', ''],
      [() => api.removeParticipant('r', 'al/ice@x'), 'DELETE', '/api/v1/rooms/r/participants/al%2Fice%40x', ''],
      [() => api.updateParticipant('r', 'a', { permissions: { canPublish: false }, metadata: null }), 'PATCH',
        '/api/v1/rooms/r/participants/a', '{"permissions":{"canPublish":false},"metadata":null}'],
      [() => api.muteTrack('r', 'a', 'a:0', true), 'POST', '/api/v1/rooms/r/participants/a/tracks/a%3A0/mute',
        '{"muted":true}'],
      [() => api.sendData('r', { kind: 'notice' }, { to: ['a', 'zed'] }), 'POST', '/api/v1/rooms/r/data',
        '{"payload":{"kind":"notice"},"to":["a","zed"]}'],
      [() => api.sendData('r', 'hi'), 'POST', '/api/v1/rooms/r/data', '{"payload":"hi"}'],
    ];
    for (const [call, method, path, body] of calls) {
      await call();
      assert.deepEqual([last().method, last().path, last().body], [method, path, body]);
    }
    reply = { status: 200, body: '{"participants":[{"identity":"a"}]}' };
    assert.deepEqual(await api.listParticipants('r'), [{ identity: 'a' }]);
    assert.equal(last().path, '/api/v1/rooms/r/participants');
    reply = { status: 200, body: '{"room":"r","events":[{"id":"EV_1","seq":4}]}' };
    assert.deepEqual(await api.events('r', 3), [{ id: 'EV_1', seq: 4 }]);
    assert.equal(last().path, '/api/v1/rooms/r/events?after=3');
  });

  it('rejects refusals with PrismApiError', async () => {
    const api = new PrismApi(url, { secret: API_SECRET });
    reply = { status: 404, body: '{"error":"not_found","message":"no room \'x\'"}' };
    await assert.rejects(api.getRoom('x'), (e) => e instanceof PrismApiError && e.status === 404
      && e.code === 'not_found' && e.message === "no room 'x'");
    reply = { status: 502, body: '<html>bad gateway</html>' };
    await assert.rejects(api.listRooms(), (e) => e.status === 502 && e.code === 'http_502'
      && e.message === '<html>bad gateway</html>');
    reply = { status: 200, body: 'not json' };
    await assert.rejects(api.listRooms(), /not JSON/);
    await assert.rejects(api.getRoom(''), TypeError);
    await assert.rejects(api.events('r', -1), TypeError);
    assert.throws(() => new PrismApi(url, { secret: 'short' }), /at least 32/);
  });
});

const DIR = new URL('../server/', import.meta.url);
const files = (await readdir(DIR)).filter((f) => f.endsWith('.js')).sort();

describe('server/ layout and declarations', () => {

  it('keeps every module under 400 lines, importing only node: built-ins and siblings', async () => {
    for (const file of files) {
      const source = await readFile(new URL(file, DIR), 'utf8');
      assert.ok(source.split('\n').length <= 400, `${file} is too long`);
      for (const [, spec] of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)';/gms)) {
        assert.match(spec, /^(node:[a-z]+|\.\/[a-z-]+\.js)$/, `${file} imports '${spec}'`);
        if (spec.startsWith('./')) assert.ok(files.includes(spec.slice(2)), `${file} imports missing ${spec}`);
      }
    }
  });

  it('is the package export ./server, declared both ways in prism-server.d.ts', async () => {
    const self = await import('@prism-sfu/client/server');
    assert.equal(self.createToken, createToken);
    const dts = await readFile(new URL('prism-server.d.ts', DIR), 'utf8');
    const declared = [...dts.matchAll(/^export declare (?:const|function|class) ([A-Za-z_]+)/gm)].map((m) => m[1]);
    assert.deepEqual(declared.sort(), Object.keys(server).sort());
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    assert.ok(pkg.files.includes('server/'));
    assert.equal(pkg.dependencies, undefined);
  });
});
