// Prism's server SDK for Node backends (Node 20+, no dependencies; docs/SERVER-SDK.md): tokens, the server API client
// and webhook verification. Import from '@prism-sfu/client/server'.
export { createToken, createRoomAdminToken, DEFAULT_PARTICIPANT_TTL_SECONDS, DEFAULT_ADMIN_TTL_SECONDS,
  MIN_SECRET_LENGTH } from './tokens.js';
export { PrismApi, PrismApiError, DEFAULT_TIMEOUT_MS } from './api.js';
export { verifyWebhook, isValidWebhook, WebhookVerificationError, SIGNATURE_HEADER, KEY_ID_HEADER, EVENT_ID_HEADER,
  DEFAULT_TOLERANCE_SECONDS } from './webhooks.js';
