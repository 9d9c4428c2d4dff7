// Prism SDK: a joining page publishes once its subscriber connection is up (issue #14 item 6, perf/README.md "Join
// time"). On a busy machine the publisher connection's ICE, DTLS and three encoders starting at the same moment as the
// subscriber connection's handshake delay the first remote frame; capturing the camera is not held back, only the
// publisher connection's negotiation, and never for longer than a cap.

import { now as defaultNow } from './clock.js';

/** The longest a first publish waits for the subscriber connection. */
export const SUBSCRIBER_FIRST_CAP_MS = 1500;
/** How often the wait looks at the subscriber connection. */
export const SUBSCRIBER_FIRST_POLL_MS = 20;

/**
 * Whether a publish should still wait: the client is connected, something is coming to it (the server's welcome said
 * what it sends us, or its subscriber offer already made the connection), and the subscriber connection is neither
 * connected nor given up. A room with nothing to receive never waits.
 */
export function subscriberPending(client) {
  if (client.state !== 'connected') return false;
  const sub = client._subscriber;
  const pc = sub?.pc;
  if (!pc) return sub?.expected?.length > 0;
  const state = pc.connectionState;
  return state !== 'connected' && state !== 'failed' && state !== 'closed';
}

/**
 * Resolves once {@link subscriberPending} is false or `capMs` passed: `'ready'` when it did not wait at all or the
 * wait ended, `'cap'` when the cap ended it. Never rejects. Runs on the page's event loop.
 *
 * @param {object} client the PrismClient (its state, `_subscriber`, `_model`)
 * @param {object} [options] `capMs`, `pollMs`, `now` and `sleep(ms)` (tests)
 */
export async function subscriberFirst(client, {
  capMs = SUBSCRIBER_FIRST_CAP_MS, pollMs = SUBSCRIBER_FIRST_POLL_MS, now = defaultNow,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
} = {}) {
  const deadline = now() + capMs;
  while (subscriberPending(client)) {
    if (now() >= deadline) return 'cap';
    await sleep(pollMs);
  }
  return 'ready';
}
