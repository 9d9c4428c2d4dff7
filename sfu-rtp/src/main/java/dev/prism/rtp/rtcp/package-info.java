/**
 * RTCP wire formats (RFC 3550, RFC 4585, RFC 5104, draft-alvestrand-rmcat-remb, draft-holmer-rmcat-transport-wide-cc):
 * one immutable class per message, a zero-allocation {@link dev.prism.rtp.rtcp.RtcpCompoundParser} that walks a
 * compound datagram, and {@link dev.prism.rtp.rtcp.RtcpHeader} constants.
 *
 * <h2>Parsing</h2>
 * Every message class has {@code static parse(ByteBuf)} (the packet at the reader index) and
 * {@code static parse(ByteBuf, int offset, int length)} (the packet at an absolute offset, with at most {@code length}
 * bytes available). They return {@code null} on malformed input or on a packet of another type, and never throw for
 * any input bytes; the caller counts the failure. Parsing copies what it needs out of the buffer, so a parsed message
 * stays valid after the buffer is released.
 *
 * <h2>Writing</h2>
 * {@code write(ByteBuf dst)} appends the message at the writer index of {@code dst} and returns the bytes written,
 * always {@code length()}, a multiple of 4. A compound packet is written by appending its messages in order (report
 * first). Writers never set the padding bit except {@link dev.prism.rtp.rtcp.TransportCcFeedback}, which pads the way
 * Chrome does.
 *
 * <h2>Buffer ownership</h2>
 * Nothing in this package retains, releases or moves the indices of a buffer it reads; {@code write} only advances the
 * writer index of the caller's destination. The caller owns every buffer it passes in.
 *
 * <h2>Threads</h2>
 * Messages are immutable and may be shared. A {@code RtcpCompoundParser} is mutable and belongs to one thread.
 */
package dev.prism.rtp.rtcp;
