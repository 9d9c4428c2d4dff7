// Prism demo conference page, built only on the public SDK (sdk/prism-sdk.js).
//
// URL: /?room=ROOM&name=NAME joins at once with camera and microphone; &token=JWT uses that token instead of asking
// the server for a development one (the room and name then come from the token); &publish=none joins to watch only;
// &simulcast=0 publishes the camera as one encoding; &codec=h264 makes a room this join creates an H.264 room (the
// development token's codec claim; an existing room keeps its codec); &timeline=MS reads the first remote video frame
// into the SDK's joinTimeline (getStats every MS ms: the join-time benchmark); &adaptive=0 turns adaptive stream off
// (each tile otherwise asks for what its size and visibility show, see docs/SDK.md); &maxHeight=N caps the video this
// participant receives and sends, &hidden=1 joins unseen (development token grants). Without them a join form shows.
//
// For automated browser tests: window.prism = {client, ready, error, errors}; stable ids #status, #grid, #btn-mic,
// #btn-cam, #btn-leave; every tile has data-participant-id, data-mic / data-cam ('on' | 'off' | 'none'); a remote
// tile's .quality badge shows the video it receives (data-received = 'WIDTHxHEIGHT', or 'none'); a tile whose
// participant the server reports speaking has class .speaking (the dominant speaker's also .dominant). Screen share:
// #btn-screen and #screen-stage (screen-stage.js).

import { PrismClient } from './sdk/prism-sdk.js';
import { ScreenStage } from './screen-stage.js';

const $ = (selector) => document.querySelector(selector);
const ui = {
  status: $('#status'),
  roomLabel: $('#room-label'),
  grid: $('#grid'),
  join: $('#join'),
  joinForm: $('#join-form'),
  joinRoom: $('#join-room'),
  joinName: $('#join-name'),
  notice: $('#notice'),
  noticeText: $('#notice-text'),
  rejoin: $('#btn-rejoin'),
  controls: $('#controls'),
  mic: $('#btn-mic'),
  cam: $('#btn-cam'),
  leave: $('#btn-leave'),
  unlock: $('#audio-unlock'),
};

const ICONS = {
  mic: '<svg viewBox="0 0 24 24"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21"/></svg>',
  micOff: '<svg viewBox="0 0 24 24"><rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M4 4l16 16"/></svg>',
  cam: '<svg viewBox="0 0 24 24"><rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="m15.5 10.5 6-3.5v10l-6-3.5"/></svg>',
  camOff: '<svg viewBox="0 0 24 24"><rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="m15.5 10.5 6-3.5v10l-6-3.5M3 3l18 18"/></svg>',
  leave: '<svg viewBox="0 0 24 24"><path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10"/></svg>',
};

const TILE_ASPECT = 16 / 9;
const QUALITY_POLL_MS = 1000;

/** Test hook: replaced fields, same object, so a test can hold on to it. */
window.prism = { client: null, ready: false, error: null, errors: [] };

const screenStage = new ScreenStage({ stage: $('#screen-stage'), button: $('#btn-screen'), onLayout: () => layout(),
  onStatus: (text) => setStatus('warning', text) });

/** participantId -> tile view. */
const tiles = new Map();
let client = null;

function main() {
  ui.leave.querySelector('.icon').innerHTML = ICONS.leave;
  renderControls();
  const params = new URLSearchParams(location.search);
  const room = params.get('room')?.trim() || '';
  const name = params.get('name')?.trim() || '';
  const token = params.get('token')?.trim() || '';
  const publish = params.get('publish') !== 'none' && params.get('hidden') !== '1'; // a hidden one may not publish
  const simulcast = params.get('simulcast') !== '0';
  const forceRelay = params.get('relay') === '1'; // media only through the server's TURN relays
  const joinTimelineMs = Number(params.get('timeline')) || 0;
  const codec = params.get('codec')?.trim().toLowerCase() || undefined;
  const grants = { maxHeight: Number(params.get('maxHeight')) || undefined, hidden: params.get('hidden') === '1' };
  const adaptiveStream = params.get('adaptive') !== '0';
  if (token || (room && name)) {
    join({ room, name, token, publish, simulcast, forceRelay, joinTimelineMs, codec, grants, adaptiveStream });
  } else {
    showJoinForm(room, name);
  }
  new ResizeObserver(layout).observe(ui.grid);
  setInterval(pollQuality, QUALITY_POLL_MS);
}

// ---------------------------------------------------------------------------------------------- joining

function showJoinForm(room, name) {
  setStatus('idle', 'Not connected');
  ui.join.hidden = false;
  ui.joinRoom.value = room || 'demo';
  ui.joinName.value = name;
  (ui.joinName.value ? ui.joinRoom : ui.joinName).focus();
  ui.joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = { room: ui.joinRoom.value.trim(), name: ui.joinName.value.trim(), token: '' };
    if (!chosen.room || !chosen.name) return;
    // Keep the choice in the URL so a reload (or the Rejoin button) joins again directly.
    const url = new URL(location.href);
    url.searchParams.set('room', chosen.room);
    url.searchParams.set('name', chosen.name);
    history.replaceState(null, '', url);
    ui.join.hidden = true;
    join(chosen);
  });
}

async function join({ room, name, token, publish = true, simulcast = true, forceRelay = false, joinTimelineMs = 0,
  codec, grants = {}, adaptiveStream = true }) {
  const claims = token ? decodeJwtClaims(token) : null;
  const roomLabel = room || claims?.room || '';
  ui.roomLabel.textContent = roomLabel;
  try {
    if (!token) {
      setStatus('connecting', 'Getting a development token…');
      ({ token } = await PrismClient.devToken(room, name, { codec, ...grants }));
    }
    client = new PrismClient({ token, simulcast, forceRelay, joinTimelineMs, adaptiveStream });
    window.prism.client = client;
    wire(client);
    setStatus('connecting', `Connecting${roomLabel ? ` to ${roomLabel}` : ''}…`);
    await client.connect();
  } catch (e) {
    fail(e);
    return;
  }

  ui.roomLabel.textContent = client.roomId ?? roomLabel;
  document.title = `${client.roomId} · Prism`;
  ui.controls.hidden = false;
  ensureTile(client.localParticipant);
  for (const participant of client.participants.values()) ensureTile(participant);
  setStatus('connecting', 'Starting camera and microphone…');

  const warning = publish ? await publishWithFallback() : null;
  if (client.state !== 'connected') return; // left or dropped meanwhile; 'disconnected' already rendered
  renderLocal();
  renderControls();
  showConnected(warning);
  window.prism.ready = true;
}

/**
 * Camera and mic if possible, else whatever works; a page without devices still joins to watch.
 * @returns {Promise<string|null>} a warning for the status line
 */
async function publishWithFallback() {
  const attempts = [{ audio: true, video: true }, { audio: true, video: false }, { audio: false, video: true }];
  for (const attempt of attempts) {
    try {
      await client.publish(attempt);
      return attempt.audio && attempt.video ? null : `publishing ${attempt.audio ? 'microphone' : 'camera'} only`;
    } catch (e) {
      if (e.code === 'track_refused') {
        const kinds = (e.published ?? []).map((t) => t.kind).join(' and ');
        return `${kinds ? `publishing ${kinds} only` : 'not publishing'} · refused by the server: ${e.message}`;
      }
      if (e.code !== 'media') return `not publishing: ${e.message}`;
      const denied = e.cause?.name === 'NotAllowedError' || e.cause?.name === 'SecurityError';
      if (denied) return 'camera and microphone blocked: watching only';
    }
  }
  return 'no camera or microphone found: watching only';
}

function showConnected(warning) {
  const others = client.participants.size;
  const who = others === 0 ? 'you are the first one here' : `${others} other${others === 1 ? '' : 's'} here`;
  setStatus(warning ? 'warning' : 'connected', `Connected · ${who}${warning ? ` · ${warning}` : ''}`);
}

function fail(e) {
  const message = e?.message ?? String(e);
  console.error('prism demo:', e);
  window.prism.error = message;
  window.prism.ready = false;
  setStatus('error', message);
  showNotice(`Could not join: ${message}`, 'Try again');
}

// ---------------------------------------------------------------------------------------------- SDK events

function wire(c) {
  screenStage.wire(c);
  c.on('participantJoined', (participant) => {
    ensureTile(participant);
    if (window.prism.ready) showConnected(null);
  });
  c.on('participantLeft', (participant) => {
    removeTile(participant.id);
    if (window.prism.ready) showConnected(null);
  });
  c.on('trackPublished', (track, participant) => renderParticipant(participant));
  c.on('trackUnpublished', (track, participant) => renderParticipant(participant));
  c.on('trackSubscribed', (track, participant) => {
    const tile = ensureTile(participant);
    if (track.kind === 'audio') attachAudio(tile, track);
    else if (track.kind === 'video') attachVideo(tile, participant);
    renderParticipant(participant);
  });
  c.on('trackUnsubscribed', (track, participant) => {
    const tile = tiles.get(participant.id);
    if (!tile) return;
    const audio = tile.audios.get(track.id);
    if (audio) {
      audio.srcObject = null;
      audio.remove();
      tile.audios.delete(track.id);
    }
    if (tile.videoTrackId === track.id) {
      tile.video.srcObject = null;
      tile.videoTrackId = null;
      attachVideo(tile, participant); // another subscribed video of theirs, if any
    }
    renderParticipant(participant);
  });
  c.on('speakersChanged', showSpeakers);
  c.on('trackMuted', (track, participant) => {
    renderParticipant(participant);
    if (participant.isLocal) renderControls();
  });
  c.on('error', (e) => {
    console.warn('prism demo:', e);
    window.prism.errors.push(`${e.code}: ${e.message}`);
    if (e.code === 'transport_failed') setStatus('error', `Media connection failed: ${e.message}`);
  });
  c.on('reconnecting', () => setStatus('warning', 'Connection lost · reconnecting…'));
  c.on('reconnected', (info) => {
    if (window.prism.ready) showConnected(info.resumed ? null : 'rejoined after a long outage');
  });
  c.on('repair', (r) => console.info(`prism demo: repaired ${r.track?.id ?? '?'} (${r.issue}): ${r.action}`));
  c.on('disconnected', (info) => {
    window.prism.ready = false;
    for (const id of [...tiles.keys()]) removeTile(id);
    ui.controls.hidden = true;
    if (info.left) {
      setStatus('idle', 'You left the room');
      showNotice('You left the room.', 'Rejoin');
    } else {
      const why = info.leftReason || info.reason || `connection lost (code ${info.code})`;
      setStatus('error', `Disconnected: ${why}`);
      showNotice(`Disconnected: ${why}`, 'Rejoin');
    }
  });
}

// ---------------------------------------------------------------------------------------------- tiles

/** The tile of a participant, created on first sight; the name is refreshed on every call. */
function ensureTile(participant) {
  let tile = tiles.get(participant.id);
  if (tile) {
    tile.participant = participant;
    tile.name.textContent = displayName(participant);
    return tile;
  }
  const el = document.createElement('div');
  el.className = participant.isLocal ? 'tile local' : 'tile';
  el.dataset.participantId = participant.id;
  el.dataset.mic = 'none';
  el.dataset.cam = 'none';

  const video = document.createElement('video');
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute('playsinline', '');
  video.muted = true; // sound goes through the per-track <audio> elements
  if (participant.isLocal) video.classList.add('mirror');

  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.textContent = initials(participant.name);
  avatar.style.setProperty('--hue', String(hue(participant.id)));

  const plate = document.createElement('div');
  plate.className = 'nameplate';
  const mic = document.createElement('span');
  mic.className = 'indicator mic';
  const cam = document.createElement('span');
  cam.className = 'indicator cam';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = displayName(participant);
  plate.append(mic, cam, name);

  const quality = document.createElement('span');
  quality.className = 'quality';
  quality.hidden = true;
  quality.title = 'The video received from the server (simulcast layer)';

  el.append(video, avatar, plate, quality);
  if (participant.isLocal) ui.grid.prepend(el);
  else ui.grid.append(el);

  tile = { el, video, avatar, name, mic, cam, quality, participant, videoTrackId: null, audios: new Map(),
    lastFrames: null };
  tiles.set(participant.id, tile);
  renderParticipant(participant);
  layout();
  return tile;
}

function removeTile(participantId) {
  const tile = tiles.get(participantId);
  if (!tile) return;
  for (const audio of tile.audios.values()) audio.srcObject = null;
  tile.video.srcObject = null;
  tile.el.remove();
  tiles.delete(participantId);
  layout();
}

function attachAudio(tile, track) {
  let audio = tile.audios.get(track.id);
  if (!audio) {
    audio = document.createElement('audio');
    audio.autoplay = true;
    audio.dataset.trackId = track.id;
    tile.el.append(audio);
    tile.audios.set(track.id, audio);
  }
  audio.srcObject = new MediaStream([track.mediaStreamTrack]);
  audio.play().catch((e) => {
    if (e.name === 'NotAllowedError') offerAudioUnlock();
  });
}

/** Shows the participant's camera (or, failing that, any subscribed video) in the tile. */
function attachVideo(tile, participant) {
  const videos = [...participant.tracks.values()].filter((t) => t.kind === 'video' && t.mediaStreamTrack);
  const pick = videos.find((t) => t.source === 'camera') ?? videos[0];
  if (!pick) return;
  if (tile.videoTrackId === pick.id && tile.video.srcObject?.getVideoTracks()[0] === pick.mediaStreamTrack) return;
  tile.videoTrackId = pick.id;
  tile.lastFrames = null;
  tile.video.srcObject = new MediaStream([pick.mediaStreamTrack]);
  tile.video.play().catch(() => {}); // muted video may always autoplay; nothing to do if not
  // A remote track is 'muted' while no media arrives (before ICE/DTLS is up, or when the sender pauses):
  // show the avatar then rather than a black frame.
  const rerender = () => renderParticipant(tile.participant);
  pick.mediaStreamTrack.addEventListener('mute', rerender);
  pick.mediaStreamTrack.addEventListener('unmute', rerender);
  if (!participant.isLocal) layout(); // asks for the size this tile shows
}

/** Local preview: the published camera track itself. */
function renderLocal() {
  const local = client.localParticipant;
  const tile = ensureTile(local);
  attachVideo(tile, local);
  renderParticipant(local);
}

/** Indicators and the video/avatar switch, from the SDK's view of the participant. */
function renderParticipant(participant) {
  const tile = tiles.get(participant.id);
  if (!tile) return;
  const mic = trackState(participant, 'audio', 'microphone');
  const cam = trackState(participant, 'video', 'camera');
  tile.el.dataset.mic = mic;
  tile.el.dataset.cam = cam;
  tile.mic.innerHTML = mic === 'on' ? ICONS.mic : ICONS.micOff;
  tile.mic.title = mic === 'on' ? 'Microphone on' : mic === 'off' ? 'Microphone muted' : 'No microphone';
  tile.cam.innerHTML = cam === 'on' ? ICONS.cam : ICONS.camOff;
  tile.cam.title = cam === 'on' ? 'Camera on' : cam === 'off' ? 'Camera off' : 'No camera';
  const shown = tile.videoTrackId !== null ? participant.tracks.get(tile.videoTrackId) : null;
  const flowing = shown?.mediaStreamTrack && !shown.mediaStreamTrack.muted;
  tile.el.classList.toggle('video-off', !(shown && !shown.muted && flowing));
}

/** 'on' | 'off' | 'none' for the participant's track of that source (or, failing that, kind). */
function trackState(participant, kind, source) {
  const tracks = [...participant.tracks.values()];
  const track = tracks.find((t) => t.source === source) ?? tracks.find((t) => t.kind === kind);
  if (!track) return 'none';
  return track.muted ? 'off' : 'on';
}

/** Picks the column count that makes 16:9 tiles as large as possible in the grid's box. */
function layout() {
  const count = tiles.size;
  if (count === 0) return;
  const style = getComputedStyle(ui.grid);
  const gap = parseFloat(style.columnGap) || 0;
  const width = ui.grid.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const height = ui.grid.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  if (width <= 0 || height <= 0) return;
  let best = { cols: 1, tileWidth: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const tileWidth = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * TILE_ASPECT);
    if (tileWidth > best.tileWidth) best = { cols, tileWidth };
  }
  ui.grid.style.setProperty('--cols', String(best.cols));
  ui.grid.style.setProperty('--tile-w', `${Math.floor(best.tileWidth)}px`); // the SDK's adaptive stream follows
}

/**
 * Shows on each remote tile the video it receives: the decoded size (which simulcast layer the server forwards) and
 * frame rate, or 'no video' while nothing is decoded (paused for bandwidth, or the camera is off).
 */
async function pollQuality() {
  for (const tile of tiles.values()) {
    if (tile.participant.isLocal) continue;
    const track = tile.videoTrackId !== null ? tile.participant.tracks.get(tile.videoTrackId) : null;
    if (!track?.receiver?.getStats) {
      tile.quality.hidden = true;
      continue;
    }
    let inbound = null;
    try {
      (await track.receiver.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') inbound = s;
      });
    } catch {
      continue; // the receiver went away meanwhile
    }
    const frames = inbound?.framesDecoded ?? 0;
    const flowing = inbound && inbound.frameWidth && tile.lastFrames !== null && frames > tile.lastFrames;
    tile.lastFrames = frames;
    tile.quality.hidden = false;
    tile.quality.dataset.received = flowing ? `${inbound.frameWidth}x${inbound.frameHeight}` : 'none';
    tile.quality.textContent = flowing
      ? `${inbound.frameWidth}×${inbound.frameHeight} · ${Math.round(inbound.framesPerSecond ?? 0)} fps`
      : 'no video';
  }
}

/** The server's speaker detection (the SDK's speakersChanged) outlines who speaks, local tile included. */
function showSpeakers({ speakers, dominantId }) {
  const speaking = new Set(speakers.map((sp) => sp.participantId));
  for (const [id, tile] of tiles) {
    tile.el.classList.toggle('speaking', speaking.has(id));
    tile.el.classList.toggle('dominant', id === dominantId);
  }
}

// ---------------------------------------------------------------------------------------------- controls

ui.mic.addEventListener('click', () => toggle('audio', ui.mic));
ui.cam.addEventListener('click', () => toggle('video', ui.cam));
ui.leave.addEventListener('click', async () => {
  ui.leave.disabled = true;
  await client?.leave();
});
ui.rejoin.addEventListener('click', () => location.reload());
ui.unlock.querySelector('button').addEventListener('click', () => {
  ui.unlock.hidden = true;
  for (const tile of tiles.values()) for (const audio of tile.audios.values()) audio.play().catch(() => {});
});

async function toggle(kind, button) {
  const muted = client?.isMuted(kind);
  if (muted === null || muted === undefined) return;
  button.disabled = true;
  try {
    await client.setMuted(kind, !muted);
  } catch (e) {
    setStatus('warning', `Could not ${muted ? 'unmute' : 'mute'}: ${e.message}`);
  } finally {
    renderControls();
    if (client.localParticipant) renderParticipant(client.localParticipant);
  }
}

/** Buttons follow the server-confirmed state of the local tracks. */
function renderControls() {
  renderControl(ui.mic, client?.isMuted('audio') ?? null, ICONS.mic, ICONS.micOff, 'Mute', 'Unmute', 'No mic');
  renderControl(ui.cam, client?.isMuted('video') ?? null, ICONS.cam, ICONS.camOff, 'Stop video', 'Start video', 'No camera');
}

function renderControl(button, muted, iconOn, iconOff, labelOn, labelOff, labelNone) {
  const published = muted !== null;
  button.disabled = !published;
  button.classList.toggle('off', muted === true);
  button.setAttribute('aria-pressed', String(muted === true));
  button.dataset.muted = published ? String(muted) : 'none';
  button.querySelector('.icon').innerHTML = muted === false ? iconOn : iconOff;
  const label = !published ? labelNone : muted ? labelOff : labelOn;
  button.querySelector('.label').textContent = label;
  button.title = label;
}

// ---------------------------------------------------------------------------------------------- bits

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showNotice(text, action) {
  ui.noticeText.textContent = text;
  ui.rejoin.textContent = action;
  ui.notice.hidden = false;
}

function offerAudioUnlock() {
  ui.unlock.hidden = false;
}

function displayName(participant) {
  return participant.isLocal ? `${participant.name} (you)` : participant.name;
}

function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?')[0];
  return letters.toUpperCase();
}

const AVATAR_HUES = [262, 205, 168, 28, 338, 128, 290, 8, 48, 225];

/** A stable avatar hue per participant id: FNV-1a, finalized so that similar ids spread over the palette. */
function hue(text) {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return AVATAR_HUES[((h ^ (h >>> 16)) >>> 0) % AVATAR_HUES.length];
}

/** Display only: the server verifies the token, the page just wants the room name before welcome. */
function decodeJwtClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
  } catch {
    return null;
  }
}

main();
