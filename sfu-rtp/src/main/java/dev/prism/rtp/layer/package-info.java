/**
 * Simulcast layer selection per consumer: {@link dev.prism.rtp.layer.LayerSelector} decides packet by packet
 * (forward, switch, skip, drop with a {@link dev.prism.rtp.layer.LayerDropReason}) and when to ask for a key frame;
 * {@link dev.prism.rtp.layer.LayerForwarder} applies those decisions to the sequence number, timestamp and VP8
 * rewriters so one output stream stays continuous. H.264 tracks use the same two classes: their packets are read by
 * {@link dev.prism.rtp.layer.PacketMeta#h264} (one temporal layer, key frame = SPS or IDR start) and have no payload
 * field to rewrite. See {@code docs/SIMULCAST.md}.
 *
 * <h2>Threads</h2>
 * One selector/forwarder per video consumer, on the room's event loop; not thread-safe. Targets come from the bitrate
 * allocator on the same loop.
 *
 * <h2>Buffers</h2>
 * Nothing here retains or releases a buffer. {@code LayerForwarder.onPacket} reads the producer's packet for the
 * duration of the call; {@code rewritePayload} writes only into the consumer's own copy.
 *
 * <h2>Allocation</h2>
 * {@code decide}, {@code onPacket} and {@code rewritePayload} allocate nothing; decisions are interned.
 */
package dev.prism.rtp.layer;
