/**
 * ICE-lite (RFC 8445 sections 2.5 and 7.3) and consent freshness (RFC 7675) for one peer connection.
 *
 * <p>Prism is always the lite, controlled agent: it gathers only host candidates, never sends checks and answers the
 * browser's Binding requests. The browser (full ICE, controlling) nominates a pair with USE-CANDIDATE; Prism sends
 * media to the address of the last nominated pair and treats the peer as gone when no valid request has arrived for
 * {@link dev.prism.rtp.ice.IceLiteAgent#CONSENT_TIMEOUT}.
 *
 * <h2>Threads</h2>
 * An {@link dev.prism.rtp.ice.IceLiteAgent} is owned by the event loop of its transport: every method, including
 * {@code setRemoteParameters} coming from signaling, must be called on that loop (hop onto it first). The agent has no
 * locks and no timers; the transport polls {@code consentExpired()} from its own timer.
 *
 * <h2>Buffers</h2>
 * {@code handleBindingRequest} borrows the request buffer (no retain, no release, indices untouched). When the
 * outcome is {@code OK} the result carries a response buffer with reference count 1 that the caller owns and must send
 * or release; for every other outcome there is no buffer.
 */
package dev.prism.rtp.ice;
