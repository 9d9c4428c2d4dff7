// Prism admin page: signs in with the admin secret, then follows the node live through the admin event stream
// (server-sent events) and acts through the REST API. API reference: docs/ADMIN.md.
//
// The secret stays in sessionStorage (this tab only) and goes out as "Authorization: Bearer" on every fetch. An
// EventSource cannot send headers, so the stream is opened with a short-lived ticket fetched with the secret.
'use strict';

const API = '/admin/api';
const SECRET_KEY = 'prism-admin-secret';
const PLOT_WINDOW_MS = 5 * 60 * 1000;
const NA_HINT = {
  rtt: 'not measured yet: needs a receiver report or a NACK round trip',
  loss: 'not measured yet: the participant publishes nothing',
  jitter: 'not measured yet: the participant publishes nothing',
  estimate: 'no downlink estimate: nothing subscribed, or the browser negotiated neither transport-cc nor REMB',
  layers: 'not measured yet: no media or no allocation so far',
  rate: 'needs two samples (about a second)',
};

const state = {
  secret: sessionStorage.getItem(SECRET_KEY),
  events: null,
  reconnectTimer: null,
  room: roomFromHash(),
  plotted: null, // participant id whose time series is shown
  plotPoints: [],
  charts: null,
};

const $ = (sel) => document.querySelector(sel);

// ---- API --------------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${state.secret}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

// ---- sign in / out ----------------------------------------------------------------------------------------------

async function signIn(secret) {
  state.secret = secret;
  try {
    await api('GET', '/node');
  } catch (e) {
    state.secret = null;
    sessionStorage.removeItem(SECRET_KEY); // e.g. a development node restarted with a new secret
    const text = e.status === 401 ? '401 Unauthorized: wrong admin secret.'
      : e.status === 404 ? 'The admin UI is disabled on this node (no admin secret configured).'
        : `Cannot reach the node: ${e.message}`;
    showLogin(text);
    return;
  }
  sessionStorage.setItem(SECRET_KEY, secret);
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  connect();
}

function signOut(reason) {
  sessionStorage.removeItem(SECRET_KEY);
  state.secret = null;
  disconnect();
  showLogin(reason);
}

function showLogin(error) {
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  const el = $('#login-error');
  el.hidden = !error;
  el.textContent = error || '';
  setLive('off', 'offline');
  $('#secret').focus();
}

// ---- live stream ------------------------------------------------------------------------------------------------

async function connect() {
  disconnect();
  setLive('wait', 'connecting');
  let ticket;
  try {
    ticket = (await api('POST', '/events/ticket')).ticket;
  } catch (e) {
    if (e.status === 401) {
      signOut('401 Unauthorized: the admin secret is no longer accepted.');
      return;
    }
    retrySoon();
    return;
  }
  const params = new URLSearchParams({ ticket });
  if (state.room) params.set('room', state.room);
  const es = new EventSource(`${API}/events?${params}`);
  state.events = es;
  es.onopen = () => setLive('on', 'live');
  es.onerror = () => {
    // CONNECTING: the browser retries by itself. CLOSED: refused (expired ticket, 401) or gone: new ticket, retry.
    if (es.readyState === EventSource.CLOSED) retrySoon();
    else setLive('wait', 'reconnecting');
  };
  es.addEventListener('node', (ev) => renderNode(JSON.parse(ev.data)));
  es.addEventListener('rooms', (ev) => renderRooms(JSON.parse(ev.data).rooms));
  es.addEventListener('room', (ev) => renderRoom(JSON.parse(ev.data)));
  es.addEventListener('roomGone', (ev) => renderRoomGone(JSON.parse(ev.data)));
  pollCluster();
}

// ---- cluster: polled every 2 s; the panel stays hidden on a single node (404) --------------------------------------

async function pollCluster() {
  clearTimeout(state.clusterTimer);
  if (!state.secret) return;
  try {
    renderCluster(await api('GET', '/cluster'));
  } catch (e) {
    $('#cluster').hidden = true;
    if (e.status === 404) return; // not in cluster mode: stop asking
  }
  state.clusterTimer = setTimeout(pollCluster, 2000);
}

function renderCluster(c) {
  $('#cluster').hidden = false;
  sync($('#cluster-nodes tbody'), c.nodes, (n) => n.id,
    (n) => h('tr', { 'data-node-id': n.id }, h('td', { text: n.self ? `${n.id} (this node)` : n.id }), h('td'),
      h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td')),
    (tr, n) => {
      setCell(tr.children[1], n.state);
      setCell(tr.children[2], n.score.toFixed(2));
      setCell(tr.children[3], `${(n.reportAgeMillis / 1000).toFixed(1)} s`);
      setCell(tr.children[4], count(n.rooms));
      setCell(tr.children[5], n.link);
    });
  sync($('#cluster-rooms tbody'), c.rooms, (r) => r.room,
    (r) => h('tr', { 'data-cluster-room': r.room }, h('td', { text: r.room }), h('td'), h('td', { class: 'num' })),
    (tr, r) => {
      setCell(tr.children[1], r.ownerAlive ? r.node : `${r.node} (lease expired)`);
      setCell(tr.children[2], String(r.epoch));
    });
}

function disconnect() {
  clearTimeout(state.reconnectTimer);
  if (state.events) state.events.close();
  state.events = null;
}

function retrySoon() {
  disconnect();
  setLive('wait', 'reconnecting');
  state.reconnectTimer = setTimeout(connect, 2000);
}

function setLive(cls, text) {
  const el = $('#live');
  el.className = `live ${cls}`;
  el.textContent = text;
}

// ---- rendering: server ------------------------------------------------------------------------------------------

function renderNode(n) {
  const loop = n.eventLoops[0];
  const cards = [
    ['rooms', 'Rooms', count(n.rooms), `up ${duration(n.uptimeMillis)}`],
    ['participants', 'Participants', count(n.participants), `${count(n.signaling.sessions)} signaling sessions`],
    ['tracks', 'Tracks', count(n.tracks), `${count(n.media.rtpForwarded)} RTP forwarded`],
    ['in', 'Media in', bitrate(n.media.in.bitsPerSecond), rate(n.media.in.packetsPerSecond)],
    ['out', 'Media out', bitrate(n.media.out.bitsPerSecond), rate(n.media.out.packetsPerSecond)],
    ['cpu', 'CPU (process)', percent(n.jvm.processCpu, NA_HINT.rate),
      h('span', {}, 'machine ', percent(n.jvm.systemCpu, 'unknown'), ` · ${n.jvm.availableProcessors} cores`)],
    ['heap', 'Heap', bytes(n.jvm.heapUsedBytes), `of ${bytes(n.jvm.heapMaxBytes)} · ${n.jvm.threads} threads`],
    ['buffers', 'Pooled buffers', count(n.buffers.activeAllocations),
      `${bytes(n.buffers.usedHeapBytes)} heap · ${bytes(n.buffers.usedDirectBytes)} direct`],
    ['loop', 'Media event loop', loop ? percent(loop.busyFraction, NA_HINT.rate) : '–',
      loop ? h('span', {}, 'lag ', millis(loop.lagMillis, NA_HINT.rate), ` · ${loop.pendingTasks} queued`) : ''],
    ['dtls', 'DTLS handshakes', count(n.media.dtls.handshakes), `${count(n.media.dtls.failures)} failed`],
    ['drops', 'Drops', count(Object.values(n.media.drops).reduce((a, b) => a + b, 0)), topDrops(n.media.drops)],
  ];
  sync($('#node'), cards, (c) => c[0],
    () => h('div', { class: 'card' }, h('div', { class: 'label' }), h('div', { class: 'value' }),
      h('div', { class: 'sub' })),
    (el, [key, label, value, sub]) => {
      el.dataset.stat = key;
      el.children[0].textContent = label;
      setCell(el.children[1], value);
      setCell(el.children[2], sub);
    });
}

function topDrops(drops) {
  const top = Object.entries(drops).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, 2);
  return top.length ? top.map(([k, v]) => `${k} ${count(v)}`).join(' · ') : 'none';
}

// ---- rendering: rooms -------------------------------------------------------------------------------------------

function renderRooms(rooms) {
  $('#no-rooms').hidden = rooms.length > 0;
  sync($('#rooms tbody'), rooms, (r) => r.id,
    (r) => h('tr', { 'data-room-id': r.id },
      h('td', {}, h('a', { href: `#room=${encodeURIComponent(r.id)}`, text: r.id })),
      h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }),
      h('td', { class: 'num' }),
      h('td', { class: 'num' }, h('button', {
        class: 'small danger', 'data-action': 'close-room', text: 'Close room',
        onclick: () => closeRoom(r.id),
      }))),
    (tr, r) => {
      tr.classList.toggle('selected', r.id === state.room);
      setCell(tr.children[1], count(r.participants));
      setCell(tr.children[2], count(r.tracks));
      setCell(tr.children[3], bitrate(r.bitsInPerSecond));
      setCell(tr.children[4], bitrate(r.bitsOutPerSecond));
      setCell(tr.children[5], r.mediaThread >= 0 ? `#${r.mediaThread} · UDP ${r.mediaPort}` : '–');
    });
}

function roomFromHash() {
  const m = /^#room=(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

function selectRoom(id) {
  if (id === state.room) return;
  state.room = id;
  state.plotted = null;
  $('#plots').hidden = true;
  $('#participants').replaceChildren();
  $('#room-gone').hidden = true;
  $('#room').hidden = !id;
  $('#room-title').textContent = id || '';
  if (state.secret) connect();
}

// ---- rendering: one room ----------------------------------------------------------------------------------------

function renderRoom(room) {
  if (room.id !== state.room) return;
  $('#room').hidden = false;
  $('#room-gone').hidden = true;
  $('#room-title').textContent = room.id;
  const names = new Map(room.participants.map((p) => [p.id, p.name]));
  $('#room-speakers').textContent = speakersText(room.speakers, names);
  sync($('#participants'), room.participants, (p) => p.id, createParticipant, (el, p) => updateParticipant(el, p, names));
  if (room.participants.length === 0) $('#participants').replaceChildren(h('p', { class: 'muted', text: 'Empty.' }));
  const plotted = room.participants.find((p) => p.id === state.plotted);
  if (plotted) appendPlotPoint(room.takenAt, plotted);
  else if (state.plotted) stopPlot(`${state.plotted} left the room.`);
}

function renderRoomGone(gone) {
  if (gone.id !== state.room) return;
  $('#room').hidden = false;
  $('#participants').replaceChildren();
  const el = $('#room-gone');
  el.hidden = false;
  el.textContent = gone.message;
  if (state.plotted) stopPlot(null);
}

function createParticipant(p) {
  return h('article', { class: 'participant', 'data-participant-id': p.id },
    h('header', {},
      h('div', { class: 'who' }),
      h('span', { class: 'state' }),
      h('span', { class: 'stat', 'data-stat': 'up' }),
      h('span', { class: 'stat', 'data-stat': 'down' }),
      h('span', { class: 'stat', 'data-stat': 'rtt' }),
      h('span', { class: 'stat', 'data-stat': 'loss' }),
      h('span', { class: 'stat', 'data-stat': 'jitter' }),
      h('span', { class: 'stat', 'data-stat': 'estimate' }),
      h('span', { class: 'stat', 'data-stat': 'recovery' }),
      h('span', { class: 'stat', 'data-stat': 'paths' }),
      h('div', { class: 'buttons' },
        h('button', { class: 'small quiet', 'data-action': 'plot', text: 'Plot', onclick: () => startPlot(p.id, p.name) }),
        h('button', {
          class: 'small danger', 'data-action': 'remove', 'data-participant-id': p.id, text: 'Remove',
          onclick: () => removeParticipant(p.id, p.name),
        }))),
    h('table', { class: 'grid tracks' },
      h('thead', {}, h('tr', {}, ...['Track', 'Codec', 'State', 'In', 'Frame rate', 'Layers', 'Subscribers', '']
        .map((t) => h('th', { text: t })))),
      h('tbody')),
    h('div', { class: 'none', text: 'Publishes nothing.' }));
}

function stat(label, value) {
  return h('span', {}, h('b', { text: label }), value);
}

function updateParticipant(el, p, names) {
  const head = el.querySelector('header');
  head.querySelector('.who').replaceChildren(p.name, h('small', { text: p.id }));
  const st = head.querySelector('.state');
  st.className = `state ${p.connectionState}`;
  st.textContent = p.connectionState;
  st.title = transportTitle(p);
  const l = p.link;
  setCell(head.querySelector('[data-stat=up]'), stat('up', bitrate(l.uplinkBps)));
  setCell(head.querySelector('[data-stat=down]'), stat('down', bitrate(l.downlinkBps)));
  setCell(head.querySelector('[data-stat=rtt]'), stat('RTT', millis(l.rttMillis, NA_HINT.rtt)));
  setCell(head.querySelector('[data-stat=loss]'), stat('loss', percent(l.lossFraction, NA_HINT.loss)));
  setCell(head.querySelector('[data-stat=jitter]'), stat('jitter', millis(l.jitterMillis, NA_HINT.jitter)));
  // The estimate's source (transport-cc, REMB, or a fallback such as "transport-cc malformed: using REMB").
  const est = head.querySelector('[data-stat=estimate]');
  const source = l.bandwidthEstimateSource;
  const estimate = stat('estimate', bitrate(l.bandwidthEstimateBps, NA_HINT.estimate));
  if (source) estimate.append(h('small', { class: 'source', text: ` (${source})` }));
  setCell(est, estimate);
  est.classList.toggle('warn', !!source && source.includes('malformed'));
  const rec = head.querySelector('[data-stat=recovery]');
  const r = p.recovery;
  if (r) {
    setCell(rec, stat('NACK/RTX', `${r.nacksSent}↑ ${r.nacksReceived}↓ · ${r.retransmissions} resent`));
    rec.title = `asked the publisher again: ${r.nacksSent}, recovered from its RTX: ${r.rtxRecovered}\n`
      + `it asked again: ${r.nacksReceived}, retransmitted to it: ${r.retransmissions}\n`
      + `signaling resumes: ${r.resumes}, ICE restarts: ${r.iceRestarts}\n`
      + `media repairs: ${r.repairs.length}${r.repairs.map((x) => `\n  ${new Date(x.at).toLocaleTimeString()} `
        + `${x.trackId} ${x.issue} -> ${x.action}`).join('')}`;
  } else {
    setCell(rec, stat('NACK/RTX', 'n/a'));
    rec.title = '';
  }
  const paths = connectionsText(p); // what each connection runs over (admin-format.js)
  setCell(head.querySelector('[data-stat=paths]'), stat('path', paths ?? na('no media connection yet')));
  el.querySelector('table').hidden = p.tracks.length === 0;
  el.querySelector('.none').hidden = p.tracks.length > 0;
  sync(el.querySelector('tbody'), p.tracks, (t) => t.id, (t) => createTrack(t, p), (tr, t) => updateTrack(tr, t, names));
}

function transportTitle(p) {
  const line = (label, t) => (t ? `${label}: ${t.state}${t.remoteAddress ? ` ${t.remoteAddress}` : ''}`
    + ` ${connectionLabel(t)}${t.protocol === 'tcp' ? ' (ICE-TCP)' : ''}`
    + `${t.closeReason ? ` (${t.closeReason})` : ''}` : `${label}: none`);
  return `${line('publisher', p.publisher)}\n${line('subscriber', p.subscriber)}`;
}

function createTrack(t, p) {
  return h('tr', { 'data-track-id': t.id },
    h('td'), h('td'), h('td'), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td'), h('td'),
    h('td', { class: 'num' }, h('button', {
      class: 'small quiet', 'data-action': 'mute',
      onclick: (ev) => muteTrack(t.id, p.name, ev.currentTarget.dataset.muted !== 'true'),
    })));
}

function updateTrack(tr, t, names) {
  const c = tr.children;
  setCell(c[0], h('span', {}, `${t.kind} · ${t.source} `, h('small', { class: 'muted', text: t.id })));
  setCell(c[1], t.codec || na('no stream received yet'));
  setCell(c[2], h('span', { class: `tag${t.muted ? ' muted-on' : ''}`, text: t.muted ? 'muted' : 'live' }));
  setCell(c[3], bitrate(t.bitrateBps));
  setCell(c[4], t.kind === 'audio' ? '–' : (t.frameRate == null ? na(NA_HINT.layers) : `${t.frameRate} fps`));
  setCell(c[5], t.kind === 'audio' ? '–' : (t.layers == null ? na(NA_HINT.layers) : layersList(t.layers)));
  setCell(c[6], subscribersList(t.subscribers, names));
  const btn = c[7].firstChild;
  btn.dataset.muted = String(t.muted);
  btn.textContent = t.muted ? 'Unmute' : 'Mute';
}

function layersList(layers) {
  if (layers.length === 0) return h('span', { class: 'muted', text: 'single layer' });
  return h('ul', { class: 'subs' }, layers.map((l) => h('li', {},
    `${l.rid || `L${l.spatial}`}${l.active ? '' : ' (off)'}: `, bitrate(l.bitrateBps),
    ' · ', l.frameRate == null ? na(NA_HINT.layers) : `${l.frameRate} fps`)));
}

function subscribersList(subs, names) {
  if (subs.length === 0) return h('span', { class: 'muted', text: 'nobody' });
  return h('ul', { class: 'subs' }, subs.map((s) => h('li', { 'data-subscriber-id': s.participantId },
    `${names.get(s.participantId) || s.participantId}: `, bitrate(s.bitrateBps),
    ' · target ', s.targetLayer == null ? na(NA_HINT.layers) : s.targetLayer,
    ' · current ', s.currentLayer == null ? na(NA_HINT.layers) : s.currentLayer,
    ' · reason ', s.layerReason == null ? na(NA_HINT.layers) : s.layerReason)));
}

// ---- actions ----------------------------------------------------------------------------------------------------

/** Asks in the page's own dialog; resolves true when the operator confirms. */
function confirmAction(text, okLabel) {
  const dialog = $('#confirm');
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function act(question, okLabel, method, path, body) {
  if (!(await confirmAction(question, okLabel))) return;
  try {
    const res = await api(method, path, body);
    message('ok', res.message);
  } catch (e) {
    if (e.status === 401) signOut('401 Unauthorized: the admin secret is no longer accepted.');
    else if (e.status === 404) message('warn', `Not found: ${e.message}`);
    else message('bad', `Failed: ${e.message}`);
  }
}

function removeParticipant(id, name) {
  return act(`Remove ${name} (${id}) from room ${state.room}? Their client is disconnected.`, 'Remove',
    'DELETE', `/rooms/${encodeURIComponent(state.room)}/participants/${encodeURIComponent(id)}`);
}

function muteTrack(trackId, name, muted) {
  return act(`${muted ? 'Mute' : 'Unmute'} track ${trackId} of ${name}? Everyone, ${name} included, is told.`,
    muted ? 'Mute' : 'Unmute', 'POST',
    `/rooms/${encodeURIComponent(state.room)}/tracks/${encodeURIComponent(trackId)}/mute`, { muted });
}

function closeRoom(id) {
  return act(`Close room ${id}? Everyone in it is disconnected.`, 'Close room',
    'DELETE', `/rooms/${encodeURIComponent(id)}`);
}

function message(kind, text) {
  const el = h('div', { class: `msg ${kind}` }, h('span', { text }),
    h('button', { title: 'dismiss', text: '×', onclick: () => el.remove() }));
  $('#messages').prepend(el);
  setTimeout(() => el.remove(), 15000);
  while ($('#messages').children.length > 4) $('#messages').lastChild.remove();
}

// ---- plots ------------------------------------------------------------------------------------------------------

async function startPlot(id, name) {
  state.plotted = id;
  state.plotPoints = [];
  $('#plot-title').textContent = `${name} (${id})`;
  $('#plots').hidden = false;
  ensureCharts();
  try {
    const history = await api('GET',
      `/rooms/${encodeURIComponent(state.room)}/participants/${encodeURIComponent(id)}/history`);
    if (state.plotted !== id) return;
    state.plotPoints = history.points.slice();
    redrawPlots();
  } catch (e) {
    if (e.status === 404) stopPlot(`${name} is no longer in the room.`);
  }
}

function stopPlot(reason) {
  state.plotted = null;
  $('#plots').hidden = true;
  if (reason) message('warn', reason);
}

function appendPlotPoint(at, p) {
  const last = state.plotPoints[state.plotPoints.length - 1];
  if (last && at - last.at < 500) return; // a change-triggered push between two samples adds nothing
  state.plotPoints.push({
    at, uplinkBps: p.link.uplinkBps, downlinkBps: p.link.downlinkBps,
    bandwidthEstimateBps: p.link.bandwidthEstimateBps, lossFraction: p.link.lossFraction,
  });
  redrawPlots();
}

function ensureCharts() {
  if (state.charts || typeof Chart === 'undefined') return;
  const options = (yLabel) => ({
    animation: false,
    parsing: false,
    normalized: true,
    maintainAspectRatio: false,
    spanGaps: false,
    elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0.2 } },
    scales: {
      x: { type: 'linear', ticks: { maxTicksLimit: 6, callback: (v) => new Date(v).toLocaleTimeString() } },
      y: { beginAtZero: true, title: { display: true, text: yLabel } },
    },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
  });
  const chart = (canvas, datasets, yLabel) => new Chart(canvas, { type: 'line', data: { datasets }, options: options(yLabel) });
  state.charts = {
    bitrate: chart($('#plot-bitrate'), [
      { label: 'uplink', data: [], borderColor: '#3857d6' },
      { label: 'downlink', data: [], borderColor: '#1f9d55' }], 'kbit/s'),
    estimate: chart($('#plot-estimate'), [{ label: 'estimate', data: [], borderColor: '#c97a00' }], 'kbit/s'),
    loss: chart($('#plot-loss'), [{ label: 'loss', data: [], borderColor: '#c8323b' }], '%'),
  };
}

function redrawPlots() {
  ensureCharts();
  const cutoff = Date.now() - PLOT_WINDOW_MS;
  state.plotPoints = state.plotPoints.filter((p) => p.at >= cutoff);
  const series = (f, scale) => state.plotPoints.map((p) => ({ x: p.at, y: f(p) == null ? null : f(p) * scale }));
  const pts = state.plotPoints;
  $('#estimate-na').hidden = pts.some((p) => p.bandwidthEstimateBps != null);
  $('#loss-na').hidden = pts.some((p) => p.lossFraction != null);
  if (!state.charts) return; // Chart.js failed to load: the tables still work
  const c = state.charts;
  c.bitrate.data.datasets[0].data = series((p) => p.uplinkBps, 1e-3);
  c.bitrate.data.datasets[1].data = series((p) => p.downlinkBps, 1e-3);
  c.estimate.data.datasets[0].data = series((p) => p.bandwidthEstimateBps, 1e-3);
  c.loss.data.datasets[0].data = series((p) => p.lossFraction, 100);
  Object.values(c).forEach((ch) => ch.update('none'));
}

// ---- start ------------------------------------------------------------------------------------------------------

$('#login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  signIn($('#secret').value.trim());
});
$('#logout').addEventListener('click', () => signOut(null));
window.addEventListener('hashchange', () => selectRoom(roomFromHash()));

if (state.room) {
  $('#room').hidden = false;
  $('#room-title').textContent = state.room;
}
if (state.secret) signIn(state.secret);
else showLogin(null);
