// Prism SDK: the plain-HTTP side of signaling: the WebSocket URL, the development token endpoint, and asking the
// server over HTTP why it refused a WebSocket upgrade (browsers hide that answer from WebSocket).

import { PrismError } from './prism-error.js';

const PROBE_TIMEOUT_MS = 3000;

/** The signaling URL with the token: relative URLs resolve against the page, http(s) becomes ws(s). */
export function wsUrl(url, token) {
  const base = globalThis.location?.href;
  const u = base ? new URL(url, base) : new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  u.searchParams.set('token', token);
  return u;
}

/**
 * `GET /api/dev-token` of a development-mode server (PrismClient.devToken).
 * @returns {Promise<{token: string, identity: string}>}
 * @throws {PrismError} `not_allowed` when the server has an API secret (403), `http_error` otherwise
 */
export async function fetchDevToken(room, name, options = {}) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = new URL('/api/dev-token', options.baseUrl ?? globalThis.location?.href);
  url.searchParams.set('room', room);
  url.searchParams.set('name', name);
  // The video codec the room gets if this join creates it ('vp8' | 'h264'); an existing room keeps its own.
  if (options.codec) url.searchParams.set('codec', options.codec);
  // Grants (docs/PROTOCOL.md "Grants and room limits"): a quality cap on what this participant receives and sends,
  // and a hidden participant (a recorder: nobody sees it, it may not publish).
  if (options.maxHeight) url.searchParams.set('maxHeight', String(options.maxHeight));
  if (options.hidden) url.searchParams.set('hidden', '1');
  let res;
  try {
    res = await doFetch(url.href, { cache: 'no-store' });
  } catch (e) {
    throw new PrismError('http_error', `cannot reach ${url.origin}: ${e.message}`, { cause: e });
  }
  if (res.status === 403) {
    throw new PrismError('not_allowed', 'dev tokens are disabled on this server (an API secret is set): pass a token',
      { status: 403 });
  }
  if (!res.ok) {
    const text = await plainReason(res);
    throw new PrismError('http_error', `dev-token: HTTP ${res.status}${text ? ` ${text}` : ''}`, { status: res.status });
  }
  const body = await res.json().catch(() => null);
  if (!body || typeof body.token !== 'string') throw new PrismError('protocol', 'dev-token reply without a token');
  return { token: body.token, identity: body.identity };
}

/**
 * The `connection_refused` error for a socket closed before welcome. Browsers report a refused upgrade as close code
 * 1006 with no reason; with `probe`, the server is asked over plain HTTP why.
 * @param {{code?: number, reason?: string}} ev the close event
 * @param {URL} url the WebSocket URL that was refused
 * @param {boolean} probe whether to GET the URL to learn the status and reason
 */
export async function refusalError(ev, url, probe) {
  const closeCode = ev?.code ?? 1006;
  const closeReason = ev?.reason ?? '';
  let status;
  let reason = closeReason;
  if (!reason && probe && typeof fetch === 'function') {
    const answer = await probeHttp(url);
    if (answer) {
      status = answer.status;
      reason = answer.text;
    }
  }
  const message = `connection refused${reason ? `: ${reason}` : ''}${status ? ` (HTTP ${status})` : ` (close code ${closeCode})`}`;
  return new PrismError('connection_refused', message, { status, reason: reason || undefined, closeCode, closeReason });
}

async function probeHttp(wsUrlObj) {
  const u = new URL(wsUrlObj.href);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => controller?.abort(), PROBE_TIMEOUT_MS);
  try {
    const res = await fetch(u.href, { cache: 'no-store', signal: controller?.signal });
    if (res.status < 400) return null; // nothing to learn: the refusal was not an HTTP error
    return { status: res.status, text: await plainReason(res) };
  } catch {
    return null; // unreachable, cross-origin, aborted
  } finally {
    clearTimeout(timer);
  }
}

/** The first line of a short plain-text error body (the server's reason); '' for HTML error pages and the like. */
async function plainReason(res) {
  const type = res.headers?.get?.('content-type') ?? '';
  if (/html|json|xml/i.test(type)) return '';
  const text = await res.text().catch(() => '');
  if (/^\s*</.test(text)) return '';
  return text.trim().split(/\r?\n/)[0].slice(0, 200);
}
