/**
 * STUN codec (RFC 5389) for ICE: {@link dev.prism.rtp.stun.StunMessage} decodes and classifies,
 * {@link dev.prism.rtp.stun.StunIntegrity} checks and computes MESSAGE-INTEGRITY and FINGERPRINT,
 * {@link dev.prism.rtp.stun.StunMessageWriter} builds messages.
 *
 * <h2>Buffers</h2>
 * <ul>
 *   <li>Every method that reads a {@code ByteBuf} borrows it: it reads the readable bytes with absolute gets, never moves
 *       the reader or writer index, never retains and never releases. The caller (the socket handler) keeps ownership.</li>
 *   <li>A decoded {@code StunMessage} copies what it needs and keeps no reference to the buffer; to check its integrity
 *       pass the same buffer, with the same reader index, to {@code StunIntegrity}.</li>
 *   <li>{@code StunMessageWriter} returns a new buffer with reference count 1 taken from the allocator the caller passed;
 *       the caller owns it and must write it to a channel (which releases it) or release it.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * Malformed input never throws out of {@code parse}, {@code looksLikeStun} or {@code localUfragOf}: they return
 * {@code null} / {@code false} and the caller counts the drop.
 *
 * <h2>Threads</h2>
 * {@code StunMessage} is immutable. {@code StunIntegrity} instances and writers are confined to one thread.
 */
package dev.prism.rtp.stun;
