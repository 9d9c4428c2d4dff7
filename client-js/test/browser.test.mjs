// The demo page and the SDK in real headless Chromium (fake camera/mic) against the mock server: real
// RTCPeerConnections, real SDP, the wire messages checked at the server. Skipped when no Chromium is installed.
// Run: npm test (in client-js/) or node --test client-js/test/   (set PRISM_SCREENSHOT_DIR to keep screenshots)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Browser, findChromium } from './support/chromium.mjs';
import { MockPrismServer } from './support/mock-server.mjs';

const skip = findChromium() ? false : 'no chromium installed';

describe('demo page in Chromium', { skip, timeout: 120000 }, () => {
  let server;
  let base;
  let browser;

  before(async () => {
    server = new MockPrismServer();
    base = await server.start();
    browser = await Browser.launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function screenshot(name) {
    const dir = process.env.PRISM_SCREENSHOT_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.png`), await browser.screenshot());
  }

  /** Opens the page with room+name, waits until joined; returns our identity. */
  async function joinAs(name) {
    await browser.goto(`${base}/?room=demo&name=${encodeURIComponent(name)}`);
    await browser.waitFor('window.prism?.ready === true || window.prism?.error', { what: 'join' });
    assert.equal(await browser.eval('window.prism.error'), null);
    return browser.eval('window.prism.client.localParticipant.id');
  }

  const tiles = () => browser.eval(`[...document.querySelectorAll('#grid .tile')].map((t) => ({
    id: t.dataset.participantId, mic: t.dataset.mic, cam: t.dataset.cam, name: t.querySelector('.name').textContent,
    video: !!t.querySelector('video').srcObject, audios: t.querySelectorAll('audio').length,
    autoplay: t.querySelector('video').autoplay && t.querySelector('video').hasAttribute('playsinline') }))`);

  it('joins at once with camera and mic, publishes with mids and sources, answers the subscriber offer', async () => {
    const before = server.log.length;
    const me = await joinAs('Alice Example');

    const offers = server.received('publishOffer').slice(-1);
    assert.equal(offers.length, 1);
    assert.deepEqual(offers[0].tracks, [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }]);
    assert.match(offers[0].sdp, /a=group:BUNDLE 0 1/);
    assert.equal(offers[0].sdp.match(/a=sendonly/g).length, 2);
    assert.equal(typeof offers[0].requestId, 'string');

    await browser.waitFor('window.prism.client.subscriptions().length === 4', { what: 'four subscriptions' });
    const answers = server.log.slice(before).filter((e) => e.message.type === 'subscriberAnswer');
    assert.equal(answers.length, 1);
    assert.equal(answers[0].message.version, 1);
    assert.equal(answers[0].message.sdp.match(/a=recvonly/g).length, 4);
    assert.match(answers[0].message.sdp, /a=setup:active/);

    const config = await browser.eval(`(() => {
      const c = window.prism.client;
      return [c.publisherPc.getConfiguration(), c.subscriberPc.getConfiguration()]
        .map((x) => [x.bundlePolicy, x.rtcpMuxPolicy]);
    })()`);
    assert.deepEqual(config, [['max-bundle', 'require'], ['max-bundle', 'require']]);

    assert.deepEqual(await tiles(), [
      { id: me, mic: 'on', cam: 'on', name: 'Alice Example (you)', video: true, audios: 0, autoplay: true },
      { id: 'bob-1', mic: 'on', cam: 'on', name: 'Bob', video: true, audios: 1, autoplay: true },
      { id: 'carol-1', mic: 'off', cam: 'on', name: 'Carol Smith', video: true, audios: 1, autoplay: true },
    ]);
    assert.match(await browser.eval('document.querySelector("#status").textContent'), /^Connected/);
    assert.equal(await browser.eval('document.querySelector("#status").dataset.state'), 'connected');
    await screenshot('joined');
  });

  it('mute buttons send mute and follow the server confirmation', async () => {
    const me = await joinAs('Muter');
    await browser.eval('document.querySelector("#btn-mic").click()');
    await browser.waitFor('document.querySelector("#btn-mic").dataset.muted === "true"', { what: 'mic muted' });
    const mute = server.received('mute').at(-1);
    assert.equal(mute.trackId, `${me}:0`);
    assert.equal(mute.muted, true);
    assert.equal(await browser.eval(`document.querySelector('[data-participant-id="${me}"]').dataset.mic`), 'off');
    assert.equal(await browser.eval(`window.prism.client.localParticipant.tracks.get('${me}:0').mediaStreamTrack.enabled`), false);

    await browser.eval('document.querySelector("#btn-cam").click()');
    await browser.waitFor(`document.querySelector('[data-participant-id="${me}"]').dataset.cam === 'off'`, { what: 'cam off' });
    assert.equal(await browser.eval(`document.querySelector('[data-participant-id="${me}"]').classList.contains('video-off')`), true);
    await screenshot('muted');

    await browser.eval('document.querySelector("#btn-mic").click()');
    await browser.waitFor('document.querySelector("#btn-mic").dataset.muted === "false"', { what: 'mic unmuted' });
    assert.equal(server.received('mute').at(-1).muted, false);
  });

  it('follows the server: m-line going inactive, remote mute, participant leaving', async () => {
    const me = await joinAs('Watcher');
    await browser.waitFor('window.prism.client.subscriptions().length === 4', { what: 'subscriptions' });

    server.reofferSubscriber(me, ['bob-1:0', 'bob-1:1', 'carol-1:0']);
    await browser.waitFor(`!document.querySelector('[data-participant-id="carol-1"] video').srcObject`, { what: 'carol video detached' });
    assert.equal(server.received('subscriberAnswer').at(-1).version, 2);

    server.sendTo(me, { type: 'trackMuted', trackId: 'bob-1:0', participantId: 'bob-1', muted: true });
    await browser.waitFor(`document.querySelector('[data-participant-id="bob-1"]').dataset.mic === 'off'`, { what: 'bob muted' });

    server.sendTo(me, { type: 'participantLeft', participantId: 'bob-1', reason: 'left' });
    await browser.waitFor('!document.querySelector(\'[data-participant-id="bob-1"]\')', { what: 'bob tile gone' });
    assert.deepEqual((await tiles()).map((t) => t.id), [me, 'carol-1']);
  });

  it('outlines the tiles of the speakers the server names', async () => {
    const me = await joinAs('Listener');
    await browser.waitFor('document.querySelector(\'[data-participant-id="carol-1"]\')', { what: 'carol tile' });
    server.sendTo(me, { type: 'speakers', speakers: [{ participantId: 'carol-1', level: 0.5 }, { participantId: me, level: 0.2 }], dominant: 'carol-1' });
    await browser.waitFor('document.querySelector(\'[data-participant-id="carol-1"]\').classList.contains("dominant")', { what: 'carol dominant' });
    const speaking = await browser.eval('[...document.querySelectorAll(".tile.speaking")].map((t) => t.dataset.participantId).sort()');
    assert.deepEqual(speaking, [me, 'carol-1'].sort());
    server.sendTo(me, { type: 'speakers', speakers: [], dominant: 'carol-1' });
    await browser.waitFor('document.querySelectorAll(".tile.speaking").length === 0', { what: 'nobody speaking' });
  });

  it('leave sends leave and shows that we left', async () => {
    await joinAs('Leaver');
    await browser.eval('document.querySelector("#btn-leave").click()');
    await browser.waitFor('window.prism.client.state === "disconnected"', { what: 'disconnected' });
    assert.ok(server.received('leave').length >= 1);
    assert.equal(await browser.eval('document.querySelector("#status").textContent'), 'You left the room');
    assert.equal(await browser.eval('document.querySelectorAll("#grid .tile").length'), 0);
    assert.equal(await browser.eval('window.prism.client.publisherPc.connectionState'), 'closed');
  });

  it('shows the server reason when the token is refused', async () => {
    await browser.goto(`${base}/?token=expired`);
    await browser.waitFor('window.prism?.error', { what: 'error' });
    const status = await browser.eval('[document.querySelector("#status").dataset.state, document.querySelector("#status").textContent]');
    assert.deepEqual(status, ['error', 'connection refused: token expired (HTTP 401)']);
    await screenshot('refused');
  });

  it('without room and name shows a join form that joins', async () => {
    await browser.goto(`${base}/`);
    await browser.waitFor('!document.querySelector("#join").hidden', { what: 'join form' });
    await screenshot('form');
    await browser.eval(`(() => {
      document.querySelector('#join-room').value = 'other';
      document.querySelector('#join-name').value = 'Formy';
      document.querySelector('#join-form').requestSubmit();
    })()`);
    await browser.waitFor('window.prism?.ready === true', { what: 'joined from the form' });
    assert.match(await browser.eval('location.search'), /room=other&name=Formy/);
    assert.equal(await browser.eval('window.prism.client.roomId'), 'other');
  });
});
