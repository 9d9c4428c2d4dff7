// The admin page's connection labels (admin-ui's admin-format.js, a classic script: loaded here into a VM context).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';

const source = await readFile(new URL('../../admin-ui/src/main/resources/admin/admin-format.js', import.meta.url), 'utf8');
const page = vm.createContext({});
vm.runInContext(source, page);
const { connectionLabel, connectionsText } = page;

const path = (protocol, candidateType, relayProtocol = null, family = 'ipv4') => ({ protocol, candidateType, relayProtocol, family });

describe('admin connection labels', () => {
  const rows = [
    ['UDP host', { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'host') }, 'UDP IPv4 host'],
    ['ICE-TCP, no report yet', { protocol: 'tcp', family: 'ipv6', clientPath: null }, 'TCP IPv6'],
    ['server reflexive', { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'srflx') }, 'UDP IPv4 srflx'],
    ['TURN over TLS', { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'relay', 'tls') }, 'relay TURN/TLS IPv4'],
    ['TURN over UDP, IPv6', { protocol: 'udp', family: 'ipv6', clientPath: path('udp', 'relay', 'udp', 'ipv6') }, 'relay TURN/UDP IPv6'],
    ['a relay whose protocol the browser did not say', { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'relay') }, 'relay TURN IPv4'],
    ['before ICE: no family', { protocol: 'udp', family: null, clientPath: null }, 'UDP'],
    ['the client disagrees: Prism\'s protocol first', { protocol: 'tcp', family: 'ipv4', clientPath: path('udp', 'host') },
      'TCP IPv4 host (client says UDP)'],
  ];
  for (const [name, t, expected] of rows) {
    it(name, () => assert.equal(connectionLabel(t), expected));
  }

  it('names both connections of a participant, or none', () => {
    assert.equal(connectionsText({
      publisher: { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'host') },
      subscriber: { protocol: 'udp', family: 'ipv4', clientPath: path('udp', 'relay', 'tls') },
    }), 'pub UDP IPv4 host · sub relay TURN/TLS IPv4');
    assert.equal(connectionsText({ publisher: null, subscriber: { protocol: 'tcp', family: 'ipv6' } }), 'sub TCP IPv6');
    assert.equal(connectionsText({ publisher: null, subscriber: null }), null);
    assert.equal(connectionLabel(null), null);
  });
});

describe('speakersText', () => {
  const { speakersText } = page;
  const names = new Map([['bob-1', 'Bob'], ['alice-1', 'Alice']]);
  it('names the speakers loudest first, the dominant one and the room setting', () => {
    assert.equal(speakersText({ speaking: ['bob-1', 'x-9'], levels: [0.57, 0.3], dominant: 'bob-1', audioTopN: 3,
      updatesSent: 12 }, names), 'Speaking: Bob 57%, x-9 30% · dominant Bob · top-N audio 3 · 12 updates');
  });
  it('nobody yet', () => {
    assert.equal(speakersText({ speaking: [], levels: [], dominant: null, audioTopN: 0, updatesSent: 0 }, names),
      'Speaking: nobody · dominant none yet · top-N audio off · 0 updates');
    assert.equal(speakersText(undefined, names), 'Speaking: unknown');
  });
});
