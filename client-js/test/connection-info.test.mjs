// Reading what a peer connection runs over from its getStats() report, with the shapes Chromium and Firefox produce
// (trimmed to the fields that matter plus a few that do not), and the reporter that tells the server.
// Run: npm test (in client-js/) or node --test client-js/test/
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { familyOf, sameConnectionInfo, selectedConnectionInfo } from '../sdk/prism-state.js';
import { ConnectionReport } from '../sdk/connection-report.js';

/** An RTCStatsReport stand-in: a Map by id, like the real one (maplike). */
const report = (...stats) => new Map(stats.map((s) => [s.id, s]));

// ---- Chromium (M120-era shapes): the transport names the selected pair; candidates carry ip and address, url.
const chromeTransport = (pairId) => ({
  id: 'T01', timestamp: 1700000000000, type: 'transport', bytesSent: 123456, packetsSent: 1000, bytesReceived: 65432,
  packetsReceived: 900, dtlsState: 'connected', selectedCandidatePairId: pairId, dtlsRole: 'client',
  srtpCipher: 'AEAD_AES_128_GCM', selectedCandidatePairChanges: 1, iceRole: 'controlling', iceState: 'connected',
});
const chromePair = (id, local, remote, extra = {}) => ({
  id, timestamp: 1700000000000, type: 'candidate-pair', transportId: 'T01', localCandidateId: local,
  remoteCandidateId: remote, state: 'succeeded', priority: 9115038255631187000, nominated: true, writable: true,
  packetsSent: 800, bytesSent: 90000, totalRoundTripTime: 0.05, currentRoundTripTime: 0.001, ...extra,
});
const chromeLocal = (id, fields) => ({
  id, timestamp: 1700000000000, type: 'local-candidate', transportId: 'T01', isRemote: false, networkType: 'ethernet',
  port: 52740, priority: 41885439, foundation: '1798165218', usernameFragment: '7bJv', vpn: false,
  networkAdapterType: 'ethernet', ...fields,
});
const chromeRemote = (id, fields) => ({
  id, timestamp: 1700000000000, type: 'remote-candidate', transportId: 'T01', isRemote: true, port: 40000,
  priority: 2130706431, foundation: '1', usernameFragment: 'prsm', candidateType: 'host', ...fields,
});

// ---- Firefox (115-era shapes): no transport stats; the pair says `selected`; candidates have `address` only.
const firefoxPair = (id, local, remote, extra = {}) => ({
  id, timestamp: 1700000000000.5, type: 'candidate-pair', transportId: '0', localCandidateId: local,
  remoteCandidateId: remote, state: 'succeeded', priority: 9115038255631187000, nominated: true, readable: true,
  writable: true, selected: true, bytesSent: 90000, bytesReceived: 60000, ...extra,
});
const firefoxCandidate = (id, type, fields) => ({
  id, timestamp: 1700000000000.5, type, transportId: '0', port: 58211, priority: 2122252543, proxied: 'non-proxied',
  ...fields,
});

describe('selectedConnectionInfo', () => {
  const cases = [
    ['Chromium, TURN over TLS (relayed to Prism over UDP)', report(
      chromeTransport('CP1'),
      chromePair('CP1', 'L1', 'R1'),
      chromePair('CP2', 'L2', 'R1', { nominated: false, state: 'failed' }),
      chromeLocal('L1', { ip: '10.99.0.1', address: '10.99.0.1', protocol: 'udp', relayProtocol: 'tls',
        candidateType: 'relay', url: 'turns:10.99.0.1:443?transport=tcp', relatedAddress: '10.99.0.2', relatedPort: 40123 }),
      chromeLocal('L2', { ip: '10.99.0.2', address: '10.99.0.2', protocol: 'udp', candidateType: 'host' }),
      chromeRemote('R1', { ip: '10.99.0.1', address: '10.99.0.1', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'relay', relayProtocol: 'tls', family: 'ipv4' }],
    ['Chromium, ICE-TCP over IPv6', report(
      chromeTransport('CP1'),
      chromePair('CP1', 'L1', 'R1'),
      chromeLocal('L1', { ip: '2001:db8::2', address: '2001:db8::2', protocol: 'tcp', candidateType: 'host', tcpType: 'active', port: 9 }),
      chromeRemote('R1', { ip: '2001:db8::1', address: '2001:db8::1', protocol: 'tcp', tcpType: 'passive' })),
    { protocol: 'tcp', candidateType: 'host', relayProtocol: null, family: 'ipv6' }],
    ['Chromium without relayProtocol: the TURN url says', report(
      chromeTransport('CP1'),
      chromePair('CP1', 'L1', 'R1'),
      chromeLocal('L1', { ip: '203.0.113.9', protocol: 'udp', candidateType: 'relay', url: 'turn:turn.example:3478?transport=tcp' }),
      chromeRemote('R1', { ip: '198.51.100.4', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'relay', relayProtocol: 'tcp', family: 'ipv4' }],
    ['Chromium, a peer-reflexive local candidate behind NAT', report(
      chromeTransport('CP1'),
      chromePair('CP1', 'L1', 'R1'),
      chromeLocal('L1', { ip: '198.51.100.77', address: '198.51.100.77', protocol: 'udp', candidateType: 'prflx' }),
      chromeRemote('R1', { ip: '198.51.100.4', address: '198.51.100.4', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'prflx', relayProtocol: null, family: 'ipv4' }],
    ['Firefox, host over UDP', report(
      firefoxPair('p1', 'l1', 'r1'),
      firefoxPair('p2', 'l2', 'r1', { selected: false, nominated: false, state: 'waiting' }),
      firefoxCandidate('l1', 'local-candidate', { address: '192.168.1.20', candidateType: 'host', protocol: 'udp' }),
      firefoxCandidate('l2', 'local-candidate', { address: '203.0.113.5', candidateType: 'srflx', protocol: 'udp' }),
      firefoxCandidate('r1', 'remote-candidate', { address: '192.168.1.2', candidateType: 'host', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'host', relayProtocol: null, family: 'ipv4' }],
    ['Firefox, TURN over TLS', report(
      firefoxPair('p1', 'l1', 'r1'),
      firefoxCandidate('l1', 'local-candidate', { address: '10.99.0.1', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' }),
      firefoxCandidate('r1', 'remote-candidate', { address: '10.99.0.1', candidateType: 'host', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'relay', relayProtocol: 'tls', family: 'ipv4' }],
    ['Firefox relay without relayProtocol nor url: unknown relay protocol', report(
      firefoxPair('p1', 'l1', 'r1'),
      firefoxCandidate('l1', 'local-candidate', { address: '10.99.0.1', candidateType: 'relay', protocol: 'udp' }),
      firefoxCandidate('r1', 'remote-candidate', { address: '10.99.0.1', candidateType: 'host', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'relay', relayProtocol: null, family: 'ipv4' }],
    ['old Firefox names, an mDNS remote and no selected flag: the nominated pair, the local family', report(
      firefoxPair('p1', 'l1', 'r1', { selected: undefined }),
      firefoxCandidate('l1', 'local-candidate', { ipAddress: '2001:db8::5', candidateType: 'serverreflexive', protocol: 'UDP' }),
      firefoxCandidate('r1', 'remote-candidate', { address: '0b1f3c5e-aaaa.local', candidateType: 'host', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'srflx', relayProtocol: null, family: 'ipv6' }],
    ['no address anywhere: family unknown', report(
      firefoxPair('p1', 'l1', 'r1'),
      firefoxCandidate('l1', 'local-candidate', { candidateType: 'host', protocol: 'udp' })),
    { protocol: 'udp', candidateType: 'host', relayProtocol: null, family: null }],
  ];
  for (const [name, stats, expected] of cases) {
    it(name, () => assert.deepEqual(selectedConnectionInfo(stats), expected));
  }

  const nothing = [
    ['an empty report', report()],
    ['not a report', null],
    ['Chromium before a pair is selected', report({ ...chromeTransport('CP1'), selectedCandidatePairId: undefined },
      chromePair('CP1', 'L1', 'R1', { nominated: false, state: 'in-progress' }))],
    ['Firefox, pairs still checking', report(firefoxPair('p1', 'l1', 'r1', { selected: false, nominated: false, state: 'in-progress' }))],
    ['the local candidate missing', report(chromeTransport('CP1'), chromePair('CP1', 'L1', 'R1'))],
    ['an unknown candidate type', report(firefoxPair('p1', 'l1', 'r1'),
      firefoxCandidate('l1', 'local-candidate', { address: '192.0.2.1', candidateType: 'mdns', protocol: 'udp' }))],
    ['an unknown protocol', report(firefoxPair('p1', 'l1', 'r1'),
      firefoxCandidate('l1', 'local-candidate', { address: '192.0.2.1', candidateType: 'host', protocol: 'sctp' }))],
  ];
  for (const [name, stats] of nothing) {
    it(`null for ${name}`, () => assert.equal(selectedConnectionInfo(stats), null));
  }

  it('reads address families', () => {
    assert.equal(familyOf('192.0.2.1'), 'ipv4');
    assert.equal(familyOf('::ffff:192.0.2.1'), 'ipv4');
    assert.equal(familyOf('[2001:db8::1]'), 'ipv6');
    assert.equal(familyOf('fe80::1%eth0'), 'ipv6');
    assert.equal(familyOf('abcd.local'), null);
    assert.equal(familyOf(''), null);
    assert.equal(familyOf(undefined), null);
  });

  it('compares infos field by field', () => {
    const a = { protocol: 'udp', candidateType: 'relay', relayProtocol: 'tls', family: 'ipv4' };
    assert.ok(sameConnectionInfo(a, { ...a }));
    assert.ok(!sameConnectionInfo(a, { ...a, relayProtocol: 'tcp' }));
    assert.ok(!sameConnectionInfo(a, null));
    assert.ok(sameConnectionInfo(null, null));
  });
});

// ---------------------------------------------------------------------------------------------- the reporter

const hostUdp = report(chromeTransport('CP1'), chromePair('CP1', 'L1', 'R1'),
  chromeLocal('L1', { ip: '192.0.2.2', address: '192.0.2.2', protocol: 'udp', candidateType: 'host' }),
  chromeRemote('R1', { ip: '192.0.2.1', address: '192.0.2.1', protocol: 'udp' }));
const relayTls = report(chromeTransport('CP9'), chromePair('CP9', 'L9', 'R1'),
  chromeLocal('L9', { ip: '10.99.0.1', address: '10.99.0.1', protocol: 'udp', relayProtocol: 'tls', candidateType: 'relay' }),
  chromeRemote('R1', { ip: '192.0.2.1', address: '192.0.2.1', protocol: 'udp' }));

/** A peer connection whose stats and state the test sets, with an ICE transport that has the pair-change event. */
class FakePc {
  constructor() {
    this.connectionState = 'new';
    this.stats = report();
    this.listeners = {};
    this.ice = { listeners: {}, addEventListener(type, fn) { (this.listeners[type] ??= []).push(fn); } };
  }

  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }

  getSenders() {
    return [{ transport: { iceTransport: this.ice } }];
  }

  async getStats() {
    return this.stats;
  }

  setState(state) {
    this.connectionState = state;
    for (const fn of this.listeners.connectionstatechange ?? []) fn();
  }

  pairChanged() {
    for (const fn of this.ice.listeners.selectedcandidatepairchange ?? []) fn();
  }
}

function fakeClient() {
  return {
    state: 'connected', _leaving: false, sent: [], socketDown: false,
    _send(msg) {
      if (this.socketDown) throw new Error('not connected');
      this.sent.push(msg);
    },
  };
}

/** Lets the reporter's getStats promises settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConnectionReport', () => {
  it('tells the server once a connection connects, then only what changed', async () => {
    const client = fakeClient();
    const reporter = new ConnectionReport(client, { checkMs: 60_000 });
    const pc = new FakePc();
    pc.stats = hostUdp;
    reporter.watch(pc, 'publisher');
    reporter.checkAll();
    await settle();
    assert.deepEqual(client.sent, [], 'nothing before it connects');

    pc.setState('connected');
    await settle();
    assert.deepEqual(client.sent, [{ type: 'connectionInfo', connection: 'publisher', protocol: 'udp',
      candidateType: 'host', relayProtocol: null, family: 'ipv4' }]);
    reporter.checkAll();
    await settle();
    assert.equal(client.sent.length, 1, 'the same pair is not told again');

    pc.stats = relayTls; // a network change: the pair moved to a TURN relay
    pc.pairChanged();
    await settle();
    assert.equal(client.sent.length, 2);
    assert.equal(client.sent[1].candidateType, 'relay');
    assert.equal(client.sent[1].relayProtocol, 'tls');
    assert.deepEqual(reporter.current, { publisher: { protocol: 'udp', candidateType: 'relay', relayProtocol: 'tls',
      family: 'ipv4' }, subscriber: null });
  });

  it('tries again at the next read when the socket was down, and reports a new connection afresh', async () => {
    const client = fakeClient();
    const reporter = new ConnectionReport(client, { checkMs: 60_000 });
    const first = new FakePc();
    first.stats = hostUdp;
    first.connectionState = 'connected';
    reporter.watch(first, 'subscriber');
    client.socketDown = true;
    reporter.checkAll();
    await settle();
    assert.equal(client.sent.length, 0);
    client.socketDown = false;
    reporter.checkAll(); // what the periodic read does: Firefox has no pair-change event
    await settle();
    assert.equal(client.sent.length, 1);
    assert.equal(client.sent[0].connection, 'subscriber');

    const second = new FakePc(); // a fresh join: a new subscriber connection on the same path
    second.stats = hostUdp;
    reporter.watch(second, 'subscriber');
    second.setState('connected');
    await settle();
    assert.equal(client.sent.length, 2, 'the server of a fresh join has not heard of it');
  });

  it('says nothing while not connected, leaving, or turned off', async () => {
    const client = fakeClient();
    const pc = new FakePc();
    pc.stats = hostUdp;
    pc.connectionState = 'connected';
    const off = new ConnectionReport(client, { checkMs: 0 });
    off.watch(pc, 'publisher');
    off.checkAll();
    const on = new ConnectionReport(client, { checkMs: 60_000 });
    on.watch(pc, 'publisher');
    client.state = 'reconnecting';
    on.checkAll();
    await settle();
    client.state = 'connected';
    client._leaving = true;
    on.checkAll();
    await settle();
    assert.deepEqual(client.sent, []);
  });
});
