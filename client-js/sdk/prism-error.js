// Prism SDK: the one error type. Pure (no DOM, WebRTC or socket).

/** Error type for everything the SDK rejects with or emits: `code` is a PROTOCOL.md error code or a local one. */
export class PrismError extends Error {
  /**
   * @param {string} code e.g. 'unknown_track', 'timeout', 'connection_refused'
   * @param {string} message human-readable text (the server's when it sent one)
   * @param {object} [extra] copied onto the error: requestType, requestId, status, closeCode, closeReason, cause
   */
  constructor(code, message, extra = {}) {
    super(message || code);
    this.name = 'PrismError';
    this.code = code;
    Object.assign(this, extra);
  }
}

/** `e` as a PrismError: itself when it is one, else wrapped with `code` (the original as `cause`). */
export function asPrismError(e, code) {
  return e instanceof PrismError ? e : new PrismError(code, e?.message ?? String(e), { cause: e });
}
