/**
 * The receive side of a room: {@link dev.prism.rtp.router.uplink.PublisherEndpoint} (one per publisher connection)
 * routes each incoming RTP packet by SSRC to the {@link dev.prism.rtp.router.uplink.ProducerLayer} (receive stream) of
 * a {@link dev.prism.rtp.router.uplink.Producer} (one per published track), unwraps the publisher's RTX in place, and
 * sends the publisher its receiver reports, REMB and transport-wide feedback. Each video stream keeps a
 * {@link dev.prism.rtp.router.uplink.PacketHistory} of the last second and NACKs the publisher for gaps
 * ({@link dev.prism.rtp.router.uplink.NackGenerator}); keyframe requests are coalesced and throttled per stream
 * ({@link dev.prism.rtp.router.uplink.KeyframeRequestThrottle}); reception statistics feed the receiver reports. An
 * audio track whose publisher negotiated RFC 6464's audio level reads each packet's level into its
 * {@link dev.prism.rtp.router.uplink.AudioLevelMeter} (primitive fields, before the fan-out), which the room's speaker
 * detection (sfu-conference) drains every 100 ms.
 * {@link dev.prism.rtp.router.uplink.LatestKeyframe} remembers where each stream's latest key frame starts in its
 * history, so a subscriber that just connected is sent that key frame and what followed it at once
 * ({@code Producer.replayLatestKeyframe}) rather than waiting for the publisher to answer a PLI.
 *
 * <p>A producer reads each packet's layer metadata once and fans the packet out to its
 * {@link dev.prism.rtp.router.uplink.PacketSink}s (the downlink's consumers implement it). Nothing here imports the
 * downlink: the dependency goes one way.
 *
 * <h2>Threads</h2>
 * The media event loop of the room only. The sink list is an array replaced on change, so the fan-out loop needs
 * neither a lock nor an iterator; a sink added or removed during a fan-out takes effect from the next packet.
 *
 * <h2>Who owns a buffer</h2>
 * <ol>
 * <li>A producer borrows the decrypted packet from its transport for the duration of {@code onRtp}; sinks borrow it
 *     for the duration of {@code onPacket} and copy what they send.</li>
 * <li>The video history {@code retain()}s the packet and owns that reference until the slot is reused, the packet
 *     expires or the producer closes ({@code closeAll}); nobody writes to a buffer once it is in the history (RTX
 *     unwrapping happens in place before it goes in). {@link dev.prism.rtp.router.uplink.PacketHistory#get} lends
 *     a packet to the downlink's retransmitter for the call only, and to a consumer for a key frame replay.</li>
 * </ol>
 */
package dev.prism.rtp.router.uplink;
