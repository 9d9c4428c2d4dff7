// A backend using Prism's Node server SDK ('@prism-sfu/client/server', Node 20+): creates a room, mints a
// participant's token and receives the node's webhooks, verified. Run it next to a node started with
//   ./prism --api-secret "$PRISM_API_SECRET" --webhook-url http://127.0.0.1:9000/prism/events --webhook-allow-private
// like this:
//   PRISM_URL=http://127.0.0.1:8080 PRISM_API_SECRET=... WEBHOOK_PORT=9000 node examples/server-sdk/backend.mjs
// EXAMPLE_MAX_EVENTS=N makes it exit after N events (ServerSdkExamplesTest runs it that way against a real node).
import { createServer } from 'node:http';
// In your backend: import { ... } from '@prism-sfu/client/server';
import { PrismApi, createToken, verifyWebhook } from '../../client-js/server/prism-server.js';

const secret = process.env.PRISM_API_SECRET;
const api = new PrismApi(process.env.PRISM_URL ?? 'http://127.0.0.1:8080', { secret });

// 1. Create a room with options (replaces them if it exists).
await api.createRoom({ name: 'example-standup', maxParticipants: 8, metadata: '{"topic":"daily"}' });

// 2. A token for a participant: the browser joins with it (new PrismClient({url, token}) in the JS SDK).
const token = createToken(secret, { room: 'example-standup', identity: 'alice', name: 'Alice', ttlSeconds: 7200 });
console.log(`token for alice: ${token}`);

// 3. Receive the node's webhooks: verify the signature over the raw body, then use the event.
const maxEvents = Number(process.env.EXAMPLE_MAX_EVENTS ?? 0);
let seen = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let event;
    try {
      event = verifyWebhook(secret, req.headers['prism-signature'], Buffer.concat(chunks),
        { keyId: req.headers['prism-key-id'] });
    } catch (e) {
      res.writeHead(401).end();
      console.log(`refused a webhook: ${e.message}`);
      return;
    }
    res.writeHead(204).end(); // answer fast; de-duplicate on event.id if it matters
    console.log(`event ${event.seq} ${event.event} ${event.room}${event.participant ? ` ${event.participant.identity}` : ''}`);
    if (maxEvents > 0 && ++seen >= maxEvents) {
      server.close();
      server.closeAllConnections(); // the node keeps its connections open for the next events
    }
  });
});
server.listen(Number(process.env.WEBHOOK_PORT ?? 9000), '127.0.0.1', () => {
  console.log(`webhooks on http://127.0.0.1:${server.address().port}/prism/events`);
});
