// In-room data messages in the SDK: sendData's wire message and checks, the reply it resolves or rejects with, and the
// events for received data and the server API's notices. Run: node --test client-js/test/data-messages.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { PrismClient, PrismError } from '../sdk/prism-sdk.js';

/** The socket the SDK opens; the test plays the server through it. */
class FakeWebSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.last = this;
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code = 1000, reason = '') {
    if (this.readyState !== 3) this.serverClose(code, reason, true);
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  serverSend(message) {
    this.onmessage({ data: JSON.stringify(message) });
  }

  serverClose(code, reason = '', wasClean = false) {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean });
  }
}

class NoPeerConnection {
  constructor() {
    throw new Error('no peer connection is needed for data messages');
  }
}

const self = { id: 'me-1', name: 'Me', canPublish: true, canSubscribe: true, tracks: [] };
const bob = { id: 'bob-1', name: 'Bob', canPublish: true, canSubscribe: true, tracks: [] };

async function connected() {
  const client = new PrismClient({
    url: 'ws://prism.test/ws', token: 't', keepAliveMs: 0, mediaCheckMs: 0, mediaStallMs: 0, connectionInfoMs: 0,
    requestTimeoutMs: 1000, WebSocket: FakeWebSocket, RTCPeerConnection: NoPeerConnection,
  });
  const done = client.connect();
  const ws = FakeWebSocket.last;
  ws.open();
  ws.serverSend({ type: 'welcome', participant: self, room: { id: 'demo', participants: [self, bob] }, iceServers: [] });
  await done;
  return { client, ws };
}

describe('data messages', () => {
  it('sendData sends the payload and recipients and resolves with the acknowledgement', async () => {
    const { client, ws } = await connected();
    const sent = client.sendData({ emoji: 'wave' }, { to: ['bob-1', 'gone'] });
    const wire = ws.sent.find((m) => m.type === 'sendData');
    assert.deepEqual(wire.payload, { emoji: 'wave' });
    assert.deepEqual(wire.to, ['bob-1', 'gone']);
    ws.serverSend({ type: 'dataAck', requestId: wire.requestId, delivered: 1, unknown: ['gone'] });
    assert.deepEqual(await sent, { delivered: 1, unknown: ['gone'] });
    client.leave();
  });

  it('a refusal rejects the call with the server code; bad input is refused before sending', async () => {
    const { client, ws } = await connected();
    const sent = client.sendData('hi');
    const wire = ws.sent.find((m) => m.type === 'sendData');
    assert.equal(wire.to, undefined);
    ws.serverSend({ type: 'error', code: 'data_rate_limited', message: 'slow down', requestId: wire.requestId,
      requestType: 'sendData' });
    await assert.rejects(sent, (e) => e instanceof PrismError && e.code === 'data_rate_limited');
    await assert.rejects(client.sendData('x'.repeat(16 * 1024 + 1)), (e) => e.code === 'data_too_large');
    await assert.rejects(client.sendData(undefined), (e) => e.code === 'bad_request');
    await assert.rejects(client.sendData('x', { to: 'bob-1' }), (e) => e.code === 'bad_request');
    assert.equal(ws.sent.filter((m) => m.type === 'sendData').length, 1);
    client.leave();
  });

  it('received data, grants and metadata become events', async () => {
    const { client, ws } = await connected();
    const got = [];
    for (const name of ['dataReceived', 'permissionsChanged', 'participantMetadata', 'roomMetadata']) {
      client.on(name, (e) => got.push([name, e]));
    }
    ws.serverSend({ type: 'data', from: 'bob-1', payload: { n: 1 } });
    ws.serverSend({ type: 'data', server: true, payload: 'notice' });
    ws.serverSend({ type: 'permissionsChanged', permissions: { canPublish: false, canSubscribe: true, canData: true } });
    ws.serverSend({ type: 'participantMetadata', participantId: 'me-1', metadata: '{"hand":true}' });
    ws.serverSend({ type: 'roomMetadata', metadata: 'topic' });
    assert.equal(got[0][0], 'dataReceived');
    assert.deepEqual(got[0][1].payload, { n: 1 });
    assert.equal(got[0][1].from, 'bob-1');
    assert.equal(got[0][1].participant.name, 'Bob');
    assert.equal(got[1][1].fromServer, true);
    assert.equal(got[1][1].from, null);
    assert.deepEqual(got[2], ['permissionsChanged', { canPublish: false, canSubscribe: true, canData: true }]);
    assert.equal(got[3][1].participant.id, 'me-1');
    assert.deepEqual(got[4], ['roomMetadata', { metadata: 'topic' }]);
    client.leave();
  });
});
