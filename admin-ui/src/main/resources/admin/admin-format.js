// Prism admin page: DOM helpers and number formatting, shared by admin.js (loaded before it; classic scripts share
// their top-level names). NA_HINT, the "not measured" hints, is defined in admin.js and read when a function runs.

// ---- small DOM helpers ------------------------------------------------------------------------------------------

/** Creates an element; attrs may hold `class`, `text`, `on<event>` handlers, `data-*` and plain attributes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}

/**
 * Keeps `parent`'s children in step with `items` by key: existing elements are updated in place (so a button under
 * the pointer survives an update), new ones created, vanished ones removed, order kept.
 */
function sync(parent, items, key, create, update) {
  [...parent.children].filter((c) => c.dataset.key == null).forEach((c) => c.remove()); // placeholders
  const existing = new Map([...parent.children].filter((c) => c.dataset.key != null).map((c) => [c.dataset.key, c]));
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    let el = existing.get(k);
    if (el) existing.delete(k);
    else {
      el = create(item);
      el.dataset.key = k;
    }
    update(el, item);
    const next = previous ? previous.nextSibling : parent.firstChild;
    if (el !== next) parent.insertBefore(el, next);
    previous = el;
  }
  existing.forEach((el) => el.remove());
}

function na(hint) {
  return h('span', { class: 'na', title: hint, text: 'n/a' });
}

function setCell(cell, content) {
  cell.replaceChildren(content instanceof Node ? content : document.createTextNode(content));
}

// ---- formatting -------------------------------------------------------------------------------------------------

function bitrate(bps, hint = NA_HINT.rate) {
  if (bps == null) return na(hint);
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(0)} kbit/s`;
  return `${bps} bit/s`;
}

function rate(pps) {
  return pps == null ? na(NA_HINT.rate) : `${pps.toFixed(0)} pkt/s`;
}

function percent(fraction, hint) {
  return fraction == null ? na(hint) : `${(fraction * 100).toFixed(1)} %`;
}

function millis(ms, hint) {
  return ms == null ? na(hint) : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function bytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} KiB`;
  return `${n} B`;
}

function count(n) {
  return Number(n).toLocaleString('en');
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${d ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
}

// ---- connection paths -------------------------------------------------------------------------------------------

/**
 * One connection's path in a few words: "UDP IPv4 host", "TCP IPv6", "relay TURN/TLS IPv4". The protocol and the
 * family are Prism's view (its transport knows them); the candidate type and a relay's protocol (how the browser
 * reaches its TURN server) are what the client reported (`clientPath`, null until it does). A client that reports
 * another protocol than Prism uses is shown beside it. Null for no connection.
 */
function connectionLabel(t) {
  if (!t) return null;
  const path = t.clientPath || null;
  const protocol = (t.protocol || 'udp').toUpperCase();
  const words = [];
  if (path && path.candidateType === 'relay') {
    words.push(`relay TURN${path.relayProtocol ? `/${path.relayProtocol.toUpperCase()}` : ''}`);
  } else {
    words.push(protocol);
  }
  if (t.family === 'ipv4' || t.family === 'ipv6') words.push(t.family === 'ipv4' ? 'IPv4' : 'IPv6');
  if (path && path.candidateType !== 'relay') words.push(path.candidateType);
  if (path && path.protocol && path.protocol.toUpperCase() !== protocol) {
    words.push(`(client says ${path.protocol.toUpperCase()})`);
  }
  return words.join(' ');
}

/** Both connections of a participant, e.g. "pub UDP IPv4 host · sub relay TURN/TLS IPv4"; null when it has none. */
function connectionsText(p) {
  const parts = [['pub', p.publisher], ['sub', p.subscriber]].filter(([, t]) => t)
    .map(([name, t]) => `${name} ${connectionLabel(t)}`);
  return parts.length === 0 ? null : parts.join(' · ');
}

/**
 * A room's speaker line, e.g. "Speaking: Bob 57%, Alice 30% · dominant Bob · top-N audio 3 · 12 updates"; names
 * maps participant ids to names (an unknown id shows as itself).
 */
function speakersText(s, names) {
  if (!s) return 'Speaking: unknown';
  const name = (id) => names.get(id) ?? id;
  const who = s.speaking.map((id, i) => `${name(id)} ${Math.round((s.levels[i] ?? 0) * 100)}%`);
  return [`Speaking: ${who.length === 0 ? 'nobody' : who.join(', ')}`,
    `dominant ${s.dominant ? name(s.dominant) : 'none yet'}`,
    `top-N audio ${s.audioTopN > 0 ? s.audioTopN : 'off'}`,
    `${s.updatesSent} updates`].join(' · ');
}
