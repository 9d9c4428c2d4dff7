// Prism SDK, pure part: what a peer connection's selected candidate pair runs over, read from its getStats() report
// (the `connectionInfo` message of docs/PROTOCOL.md). Chromium names the pair in its `transport` stats; Firefox has no
// `transport` stats and marks the pair `selected`; some browsers leave out `relayProtocol` or the address. Never
// throws: anything it cannot read makes it answer null (nothing to report yet) or a null field.

const PROTOCOLS = ['udp', 'tcp'];
const RELAY_PROTOCOLS = ['udp', 'tcp', 'tls'];
/** Candidate types by every name browsers have used (older Firefox spelled them out). */
const CANDIDATE_TYPES = {
  host: 'host', srflx: 'srflx', prflx: 'prflx', relay: 'relay',
  serverreflexive: 'srflx', peerreflexive: 'prflx', relayed: 'relay',
};

/**
 * @typedef {object} ConnectionInfo
 * @property {'udp'|'tcp'} protocol the local candidate's protocol (for a relay: the relay's side toward the server)
 * @property {'host'|'srflx'|'prflx'|'relay'} candidateType the local candidate's type
 * @property {'udp'|'tcp'|'tls'|null} relayProtocol how a relayed candidate reaches its TURN server; null otherwise or
 *   when the browser does not say
 * @property {'ipv4'|'ipv6'|null} family of the server's address on the pair (else the local one); null when unknown
 */

/**
 * The selected pair of a stats report, as the fields of a `connectionInfo` message.
 * @param {{forEach: Function}} report an RTCStatsReport (or any map of stats objects by id)
 * @returns {ConnectionInfo|null} null while no pair is selected or its local candidate is missing or unreadable
 */
export function selectedConnectionInfo(report) {
  if (!report || typeof report.forEach !== 'function') return null;
  const byId = new Map();
  report.forEach((s, key) => {
    if (s && typeof s === 'object') byId.set(typeof s.id === 'string' ? s.id : key, s);
  });
  const pair = selectedPair(byId);
  if (!pair) return null;
  const local = byId.get(pair.localCandidateId);
  const remote = byId.get(pair.remoteCandidateId);
  if (!local) return null;
  const candidateType = CANDIDATE_TYPES[lower(local.candidateType)];
  const protocol = [lower(local.protocol), lower(remote?.protocol)].find((p) => PROTOCOLS.includes(p));
  if (!candidateType || !protocol) return null;
  const relayProtocol = candidateType !== 'relay' ? null
    : RELAY_PROTOCOLS.includes(lower(local.relayProtocol)) ? lower(local.relayProtocol) : relayProtocolOfUrl(local.url);
  return { protocol, candidateType, relayProtocol, family: familyOf(address(remote)) ?? familyOf(address(local)) };
}

/** Whether two infos say the same (null equals null). */
export function sameConnectionInfo(a, b) {
  if (!a || !b) return a === b;
  return a.protocol === b.protocol && a.candidateType === b.candidateType && a.relayProtocol === b.relayProtocol
    && a.family === b.family;
}

/**
 * `ipv4` for a dotted quad, `ipv6` for an address with colons (an IPv4-mapped one counts as IPv4), null for anything
 * else (an mDNS `.local` name, nothing).
 */
export function familyOf(addr) {
  if (typeof addr !== 'string' || addr === '') return null;
  const a = addr.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/.test(a)) return 'ipv4';
  if (a.includes(':')) return 'ipv6';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(a) ? 'ipv4' : null;
}

/** Chromium: the `transport`'s selectedCandidatePairId; Firefox: the pair marked selected; else a nominated one. */
function selectedPair(byId) {
  const all = [...byId.values()];
  for (const s of all) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      const pair = byId.get(s.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  const pairs = all.filter((s) => s.type === 'candidate-pair');
  return pairs.find((p) => p.selected === true)
    ?? pairs.find((p) => p.nominated === true && p.state === 'succeeded') ?? null;
}

/** `turns:` is TLS; `turn:...?transport=tcp` TCP; other `turn:` URLs UDP (Chromium names the server in `url`). */
function relayProtocolOfUrl(url) {
  if (typeof url !== 'string') return null;
  const u = url.toLowerCase();
  if (u.startsWith('turns:')) return 'tls';
  if (!u.startsWith('turn:')) return null;
  return /[?&]transport=tcp\b/.test(u) ? 'tcp' : 'udp';
}

/** The candidate's address by its current name or an older one. */
function address(candidate) {
  return candidate ? candidate.address ?? candidate.ip ?? candidate.ipAddress : undefined;
}

function lower(v) {
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}
