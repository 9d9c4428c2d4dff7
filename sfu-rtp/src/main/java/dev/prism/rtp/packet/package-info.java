/**
 * RTP wire format for the media hot path: first-byte demultiplexing ({@link dev.prism.rtp.packet.PacketClassifier}),
 * the {@link dev.prism.rtp.packet.RtpPacket} flyweight view, 16-bit sequence arithmetic
 * ({@link dev.prism.rtp.packet.SeqNum}) and the rewriters that keep a forwarded stream continuous across source
 * switches ({@link dev.prism.rtp.packet.SeqRewriter}, {@link dev.prism.rtp.packet.TimestampRewriter}).
 *
 * <h2>Buffer ownership</h2>
 * <ul>
 *   <li>A view never owns the {@link io.netty.buffer.ByteBuf} it wraps: it never calls {@code retain()} or
 *       {@code release()}, and it never moves the buffer's reader or writer index.</li>
 *   <li>{@code wrap(buf)} is valid only while the caller (the owner of {@code buf}) holds its reference. Once the owner
 *       releases the buffer, every accessor of the view is undefined; wrap the next buffer or drop the view.
 *       A component that keeps a packet beyond the current call (packet history for NACK) must {@code retain()} the
 *       buffer itself and owns that reference.</li>
 *   <li>Setters on a view ({@code setSsrc}, {@code setSequenceNumber}, ...) write into the wrapped buffer in place;
 *       only the owner of a buffer that nobody else reads should call them.</li>
 *   <li>{@link dev.prism.rtp.packet.RtpPacket#copyRewritten copyRewritten} writes into a destination buffer that the
 *       caller owns (typically freshly allocated from the pool per receiver); on success the caller hands that buffer on
 *       (SRTP protect, pacer) and never touches it again.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Views and rewriters are not thread-safe. They belong to one room's event loop, like the buffers they read.
 *
 * <h2>Allocation</h2>
 * {@code PacketClassifier.classify}, every {@code RtpPacket} method, {@code SeqNum} and the rewriters' per-packet
 * methods allocate nothing.
 */
package dev.prism.rtp.packet;
