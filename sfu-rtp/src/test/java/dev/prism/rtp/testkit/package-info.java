/**
 * sfu-rtp's test kit, published with {@link dev.prism.rtp.transport.EmbeddedMedia} as the module's test-jar: other
 * modules depend on {@code dev.prism:sfu-rtp} with {@code <type>test-jar</type>} (perf's benchmarks at compile scope,
 * other modules' tests at test scope). Only this package, {@code EmbeddedMedia} and the plain-bctls browser DTLS end
 * ({@code dtls.PlainBctlsPeers}, which {@code SocketBrowsers} drives) go into the jar.
 *
 * <ul>
 *   <li>{@link dev.prism.rtp.testkit.FakePeer}: the browser end of one transport (its SRTP keys and address): encrypts
 *       what it sends, decrypts what the engine wrote to it.</li>
 *   <li>{@link dev.prism.rtp.testkit.TestRtp}: small well-formed RTP packets (Opus-like audio, VP8 with a payload
 *       descriptor, an optional transport-wide sequence number).</li>
 *   <li>{@link dev.prism.rtp.testkit.PooledBuffers}: a pool without thread caches whose outstanding buffers a test
 *       can count exactly.</li>
 *   <li>{@link dev.prism.rtp.testkit.SocketBrowsers}: browser ends of a real engine's transports over this machine's
 *       sockets (UDP or ICE-TCP through {@link dev.prism.rtp.testkit.TcpPeerSocket}, IPv4 or IPv6): ICE checks, DTLS,
 *       a relay between two transports, one packet forwarded and checked.</li>
 * </ul>
 * Time: give {@code EmbeddedMedia} a {@code FakeClock} and a {@link dev.prism.core.clock.ManualTimers} and every
 * endpoint timer runs when the test advances the clock, never on its own.
 *
 * <p>No test library here (no JUnit, no AssertJ): perf's main code runs the kit, and the test-jar brings none of
 * sfu-rtp's test-scoped dependencies. Failures throw {@link IllegalStateException}. Single-threaded, like the
 * embedded channel it drives (except {@code SocketBrowsers}, whose class comment says which threads it uses).
 */
package dev.prism.rtp.testkit;
