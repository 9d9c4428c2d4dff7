/**
 * The Netty side of the media plane: {@link dev.prism.rtp.transport.MediaPlane} (one engine per media thread),
 * {@link dev.prism.rtp.transport.MediaEngine} (an event loop, its UDP socket, first-byte demultiplexing per
 * RFC 7983), and {@link dev.prism.rtp.transport.WebRtcTransport}, which owns ICE, DTLS and SRTP state for one peer
 * connection.
 *
 * <h2>Threads</h2>
 * Each engine's media state is owned by its event loop ({@link dev.prism.rtp.transport.MediaEngine#eventLoop()}):
 * its transports, and the routers, producers, consumers and control state of the rooms placed on it. A room never
 * spans engines, and a room's candidates name its engine's port, so its packets arrive on its own loop. Engines share
 * nothing mutable on the forwarding path (each has its own counters and send envelopes; the pooled allocator is
 * thread-safe with per-thread caches). DTLS handshakes run on a {@link dev.prism.rtp.dtls.DtlsHandshakePool} shared
 * by the engines because bctls is blocking (a thread per handshake at once, bounded, each handshake with a deadline);
 * their callbacks hop back to the transport's loop before touching anything. A subscriber transport sends nothing
 * (media, RTCP, probes, keyframe requests on its behalf) before DTLS is done; refused sends are counted as
 * {@code drop.send_not_connected}.
 *
 * <h2>ICE-TCP</h2>
 * With ICE-TCP on ({@link dev.prism.rtp.transport.IceTcpConfig}), each engine also listens on TCP (its UDP port number
 * by default) and accepts on its own loop; a {@code TcpConnection} cuts its stream into RFC 4571 frames
 * ({@link dev.prism.rtp.transport.Rfc4571Framer}) handed to the engine like datagrams. STUN is routed by USERNAME; a
 * passing check binds the connection to its transport, and DTLS/SRTP on it go to that transport. A transport's media
 * path is a UDP address or a TCP connection. Limits and deadlines: {@link dev.prism.rtp.transport.TcpLimits}.
 *
 * <h2>Addresses</h2>
 * A browser ignores a check's answer from another address than the one it sent to, so an engine's sockets bind the
 * advertised address when {@code bindAddress} is a wildcard and that address is one of this host's
 * ({@code MediaBindAddress}); the kernel's route then cannot pick another source. With an IPv6 address advertised
 * too ({@link dev.prism.rtp.transport.MediaEngineConfig#advertiseAddress6()}), each engine has a second UDP socket on
 * the same loop and a second UDP host candidate; a packet to an IPv6 peer leaves from that socket, so a room forwards
 * between families. With ICE-TCP on, the engine's one TCP listener also listens on the IPv6 address (the IPv4 TCP port
 * number) and a fourth candidate offers it; connections of both families share the listener's limits.
 * {@code PacketDemux} routes what any socket receives.
 *
 * <h2>Timers</h2>
 * Every periodic task of the media plane (the engine's consent check; each endpoint's RTCP reports, transport-cc
 * feedback, estimator and allocation ticks, probe pacing) is scheduled through {@link MediaEngine#timers()}, a
 * {@link dev.prism.core.clock.Timers}, never on the loop directly: in production {@link EventLoopTimers} runs them on
 * the engine's loop; a test gives the engine a {@link dev.prism.core.clock.ManualTimers} on its {@code FakeClock} and
 * runs them by advancing that clock.
 *
 * <h2>Who owns a buffer</h2>
 * <ol>
 * <li>The socket handler owns each received datagram and releases it after dispatch; STUN, DTLS and SRTP handlers
 *     only borrow it.</li>
 * <li>SRTP is decrypted in place in a pooled heap copy (the JDK's AES and GHASH work on arrays, the socket reads into
 *     direct memory; {@code SrtpSession} could take the direct datagram, but only through a scratch copy and back).
 *     The transport owns that copy and releases it after its listener returns; listeners borrow the
 *     {@link dev.prism.rtp.packet.RtpPacket} view and must {@code retain()} to keep it.</li>
 * <li>{@code sendRtp}/{@code sendRtcp} take ownership of their argument in every outcome: it is encrypted in place and
 *     written, or released and the drop counted.</li>
 * <li>The engine copies every datagram it sends into the direct buffer of a reused {@code OutboundDatagram} (the
 *     socket sends from direct memory; Netty would otherwise copy a heap packet itself, with a new envelope per
 *     packet) and releases the packet. The envelope owns that buffer; the channel's release after the write returns
 *     both to the engine's {@code OutboundDatagramPool}, which releases idle buffers when the engine closes. Nothing
 *     on the send path allocates per packet.</li>
 * <li>ICE-TCP: each read is owned by its connection and released after framing; a frame is lent for the call (a window
 *     of the read, or of the connection's split-frame buffer). Packets sent over TCP are framed into the connection's
 *     batch buffer (direct, pooled), owned by it until written at the flush; the packet is released at once.</li>
 * <li>Anything handed to another thread is copied (DTLS records) or retained before and released in the task.</li>
 * </ol>
 */
package dev.prism.rtp.transport;
