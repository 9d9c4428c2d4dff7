// A stand-in for the Prism server, for browser tests of the SDK and the demo page: serves the demo and the SDK at the
// paths the real server uses (/ from client-js/demo/, /sdk/ from client-js/sdk/, like the jar's webroot), answers
// /api/dev-token, and speaks docs/PROTOCOL.md over a hand-rolled WebSocket (node has no server WebSocket built in).
//
// It forwards no media. Its SDP is just real enough for Chromium to accept: publishOffer is answered with the
// offer's own codec lines (recvonly, setup:passive, ICE-lite, no candidates, so ICE never starts and never fails),
// and the subscriber offer describes the fake remote participants' tracks. Every message a client sends is kept in
// `log` for assertions. Tokens: `dev.<room>.<name>` (what /api/dev-token returns) is valid; `expired` and anything
// else are refused during the handshake with 401 and a reason, like the real server.

import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where each served URL prefix comes from: the same layout prism-server's build gives the jar's webroot/. */
const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
const SDK_DIR = fileURLToPath(new URL('../../sdk/', import.meta.url));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');

/** The remote participants every room starts with: Bob (mic + camera) and Carol (muted mic + camera). */
export function defaultRemotes() {
  return [
    {
      id: 'bob-1', name: 'Bob', canPublish: true, canSubscribe: true,
      tracks: [
        { id: 'bob-1:0', participantId: 'bob-1', kind: 'audio', source: 'microphone', muted: false },
        { id: 'bob-1:1', participantId: 'bob-1', kind: 'video', source: 'camera', muted: false },
      ],
    },
    {
      id: 'carol-1', name: 'Carol Smith', canPublish: true, canSubscribe: true,
      tracks: [
        { id: 'carol-1:0', participantId: 'carol-1', kind: 'audio', source: 'microphone', muted: true },
        { id: 'carol-1:1', participantId: 'carol-1', kind: 'video', source: 'camera', muted: false },
      ],
    },
  ];
}

export class MockPrismServer {
  constructor({ remotes = defaultRemotes(), verbose = false } = {}) {
    this.remotes = remotes;
    this.verbose = verbose;
    /** [{identity, message}] everything clients sent, in order. */
    this.log = [];
    /** identity -> session */
    this.sessions = new Map();
    this._nextIdentity = 1;
    this._server = http.createServer((req, res) => this._onRequest(req, res));
    this._server.on('upgrade', (req, socket) => this._onUpgrade(req, socket));
  }

  /** @returns {Promise<string>} the base URL */
  async start(port = 0) {
    await new Promise((resolve) => this._server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this._server.address().port}`;
    return this.url;
  }

  async stop() {
    for (const session of this.sessions.values()) session.socket.destroy();
    this._server.closeAllConnections?.();
    await new Promise((resolve) => this._server.close(resolve));
  }

  /** Messages of a type clients sent. */
  received(type) {
    return this.log.filter((entry) => entry.message.type === type).map((entry) => entry.message);
  }

  /** Sends a message to one connected participant. */
  sendTo(identity, message) {
    const session = this.sessions.get(identity);
    if (!session) throw new Error(`no session ${identity}`);
    sendText(session.socket, JSON.stringify(message));
  }

  /** Re-offers the subscriber connection, listing only `activeTrackIds` (others become inactive m-lines). */
  reofferSubscriber(identity, activeTrackIds) {
    const session = this.sessions.get(identity);
    session.offerVersion += 1;
    const { sdp, tracks } = subscriberOffer(this.remotes, new Set(activeTrackIds));
    this.sendTo(identity, { type: 'subscriberOffer', version: session.offerVersion, sdp, tracks });
  }

  // ------------------------------------------------------------------------------------------ HTTP

  async _onRequest(req, res) {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/api/dev-token') {
      const room = url.searchParams.get('room') ?? '';
      const name = url.searchParams.get('name') ?? '';
      const identity = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'user'}-${this._nextIdentity++}`;
      return json(res, 200, { token: `dev.${encodeURIComponent(room)}.${encodeURIComponent(name)}.${identity}`, identity });
    }
    if (url.pathname === '/ws') {
      const refusal = checkToken(url.searchParams.get('token'));
      if (refusal) return text(res, 401, refusal);
      return text(res, 400, 'expected a WebSocket upgrade');
    }
    const sdk = url.pathname.startsWith('/sdk/');
    const root = sdk ? SDK_DIR : DEMO_DIR;
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(sdk ? '/sdk/'.length : 1));
    const file = path.resolve(root, rel);
    if (!file.startsWith(root)) return text(res, 403, 'forbidden');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      text(res, 404, 'not found');
    }
  }

  // ------------------------------------------------------------------------------------------ WebSocket

  _onUpgrade(req, socket) {
    const url = new URL(req.url, 'http://x');
    const refusal = url.pathname !== '/ws' ? 'not found' : checkToken(url.searchParams.get('token'));
    if (refusal) {
      const body = Buffer.from(refusal);
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n`
        + `Connection: close\r\n\r\n${refusal}`);
      return;
    }
    const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.setNoDelay(true);

    const [, room, name, identity] = url.searchParams.get('token').split('.').map(decodeURIComponent);
    const session = { identity, name, room, socket, offerVersion: 0, tracks: [] };
    this.sessions.set(identity, session);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = readFrame(buffered);
        if (!frame) break;
        buffered = buffered.subarray(frame.length);
        if (frame.opcode === 0x8) {
          sendFrame(socket, 0x8, frame.payload.subarray(0, 2));
          socket.end();
          return;
        }
        if (frame.opcode === 0x9) sendFrame(socket, 0xa, frame.payload);
        if (frame.opcode === 0x1) this._onMessage(session, frame.payload.toString('utf8'));
      }
    });
    socket.on('close', () => {
      if (this.sessions.get(identity) === session) this.sessions.delete(identity);
    });
    socket.on('error', () => {});

    this.sendTo(identity, {
      type: 'welcome',
      participant: this._participant(session),
      room: this._room(session),
      iceServers: [],
    });
    this.reofferSubscriber(identity, this.remotes.flatMap((p) => p.tracks.map((t) => t.id)));
  }

  _onMessage(session, textFrame) {
    let message;
    try {
      message = JSON.parse(textFrame);
    } catch {
      return this.sendTo(session.identity, { type: 'error', code: 'bad_json', message: 'invalid JSON' });
    }
    this.log.push({ identity: session.identity, message });
    if (this.verbose) console.log(session.identity, '->', JSON.stringify(message).slice(0, 160));
    const reply = (m) => this.sendTo(session.identity, m);
    switch (message.type) {
      case 'publishOffer': {
        const kinds = mediaKindsByMid(message.sdp);
        session.tracks = message.tracks.map((t) => ({
          id: `${session.identity}:${t.mid}`, participantId: session.identity, kind: kinds.get(t.mid), source: t.source, muted: false,
        }));
        return reply({ type: 'publishAnswer', requestId: message.requestId, sdp: answerFor(message.sdp) });
      }
      case 'subscriberAnswer':
        return undefined;
      case 'getState':
        return reply({ type: 'state', requestId: message.requestId, room: this._room(session) });
      case 'mute': {
        const track = session.tracks.find((t) => t.id === message.trackId);
        if (!track) {
          return reply({ type: 'error', code: 'unknown_track', message: `no track ${message.trackId}`,
            requestType: 'mute', requestId: message.requestId });
        }
        track.muted = message.muted === true;
        return reply({ type: 'trackMuted', trackId: track.id, participantId: session.identity, muted: track.muted });
      }
      case 'ping':
        return reply({ type: 'pong', requestId: message.requestId });
      case 'leave':
        reply({ type: 'participantLeft', participantId: session.identity, reason: 'left' });
        sendFrame(session.socket, 0x8, Buffer.from([0x03, 0xe8])); // 1000
        session.socket.end();
        return undefined;
      default:
        return reply({ type: 'error', code: 'unknown_type', message: `unknown message type '${message.type}'`,
          requestType: message.type, requestId: message.requestId });
    }
  }

  _participant(session) {
    return { id: session.identity, name: session.name, canPublish: true, canSubscribe: true, tracks: session.tracks };
  }

  _room(session) {
    return { id: session.room, participants: [this._participant(session), ...this.remotes] };
  }
}

function checkToken(token) {
  if (!token) return 'token missing';
  if (token === 'expired') return 'token expired';
  if (!token.startsWith('dev.') || token.split('.').length !== 4) return 'bad token signature';
  return null;
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function text(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------- framing (RFC 6455)

/** One complete client frame at the start of `buf` (masked, unfragmented), or null if more bytes are needed. */
function readFrame(buf) {
  if (buf.length < 2) return null;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buf.length < offset + len) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + len));
  if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskOffset + (i % 4)];
  return { opcode, payload, length: offset + len };
}

function sendFrame(socket, opcode, payload) {
  if (socket.destroyed || !socket.writable) return;
  const len = payload.length;
  let header;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  socket.write(Buffer.concat([header, payload]));
}

function sendText(socket, textPayload) {
  sendFrame(socket, 0x1, Buffer.from(textPayload, 'utf8'));
}

// ---------------------------------------------------------------------------------------------- SDP

function sections(sdp) {
  const lines = sdp.split(/\r?\n/).filter(Boolean);
  const session = [];
  const media = [];
  for (const line of lines) {
    if (line.startsWith('m=')) media.push([line]);
    else if (media.length) media[media.length - 1].push(line);
    else session.push(line);
  }
  return { session, media };
}

function mediaKindsByMid(sdp) {
  const kinds = new Map();
  for (const m of sections(sdp).media) {
    const mid = m.find((l) => l.startsWith('a=mid:'))?.slice(6);
    if (mid !== undefined) kinds.set(mid, m[0].slice(2).split(' ')[0]);
  }
  return kinds;
}

const ICE_LINES = () => [`a=ice-ufrag:${randomBytes(4).toString('hex')}`, `a=ice-pwd:${randomBytes(12).toString('hex')}`,
  `a=fingerprint:sha-256 ${FINGERPRINT}`];

/** Answer to a publisher offer: every m-line accepted recvonly with the offer's own codecs. */
function answerFor(offerSdp) {
  const { session, media } = sections(offerSdp);
  const out = ['v=0', `o=- ${Date.now()} 2 IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=ice-lite'];
  out.push(...session.filter((l) => l.startsWith('a=group:BUNDLE')), 'a=msid-semantic: WMS');
  const ice = ICE_LINES();
  const keep = ['a=mid:', 'a=rtpmap:', 'a=fmtp:', 'a=rtcp-fb:', 'a=extmap:'];
  for (const m of media) {
    out.push(m[0], 'c=IN IP4 127.0.0.1', ...ice, 'a=setup:passive', 'a=recvonly', 'a=rtcp-mux');
    out.push(...m.filter((l) => keep.some((k) => l.startsWith(k))));
  }
  return `${out.join('\r\n')}\r\n`;
}

/** Subscriber offer: one m-line per remote track, sendonly when active, inactive otherwise. */
function subscriberOffer(remotes, active) {
  const all = remotes.flatMap((p) => p.tracks);
  const out = ['v=0', `o=- 4242 ${Date.now()} IN IP4 127.0.0.1`, 's=-', 't=0 0', 'a=ice-lite',
    `a=group:BUNDLE ${all.map((_, mid) => mid).join(' ')}`, 'a=msid-semantic: WMS *'];
  const ice = ICE_LINES();
  const tracks = [];
  all.forEach((track, mid) => {
    const on = active.has(track.id);
    const audio = track.kind === 'audio';
    out.push(audio ? 'm=audio 9 UDP/TLS/RTP/SAVPF 111' : 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 127.0.0.1',
      ...ice, 'a=setup:actpass', `a=mid:${mid}`, on ? 'a=sendonly' : 'a=inactive', 'a=rtcp-mux');
    if (audio) {
      out.push('a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1');
    } else {
      out.push('a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli', 'a=rtcp-fb:96 ccm fir');
    }
    if (on) {
      const ssrc = 1000 + mid;
      out.push(`a=msid:${track.participantId} ${track.id}`, `a=ssrc:${ssrc} cname:${track.participantId}`);
      tracks.push({ mid: String(mid), trackId: track.id, participantId: track.participantId, kind: track.kind });
    }
  });
  return { sdp: `${out.join('\r\n')}\r\n`, tracks };
}

// `node mock-server.mjs [port]`: run it by hand and open http://127.0.0.1:<port>/?room=demo&name=Me
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && !process.env.NODE_TEST_CONTEXT) {
  const server = new MockPrismServer({ verbose: true });
  server.start(Number(process.argv[2] ?? 0)).then((url) => console.log(`mock Prism on ${url}/?room=demo&name=Me`));
}
