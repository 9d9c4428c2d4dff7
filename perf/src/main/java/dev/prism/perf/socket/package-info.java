/**
 * {@code perf/run sockets}: a loopback benchmark of the UDP socket paths Prism's media loop could use (flush per
 * datagram vs {@code sendmmsg} batches, UDP GSO, {@code SO_REUSEPORT} with several loops, {@code recvmmsg}), on Netty's
 * epoll transport as {@code MediaEngine} uses it. {@link dev.prism.perf.socket.SocketBench} is the entry point;
 * {@code perf/README.md} explains the figures and holds the results.
 *
 * <h2>Shape</h2>
 * A {@code BenchCase} describes one configuration and opens a {@code Traffic} (sockets, loops, peer threads);
 * {@code CaseRunner} runs it once through a {@code Window} (warm-up, then a window bounded in time and datagrams) and
 * turns two {@code Snapshot}s into a {@code RoundResult}; {@code Report} prints and serialises the rounds.
 *
 * <h2>Buffers</h2>
 * <ul>
 *   <li>Send cases write reusable envelopes ({@code PooledDatagram}, {@code PooledSegmentedDatagram}) from an
 *       {@code EnvelopePool}: the pool owns the direct buffers of idle envelopes; an envelope handed to a channel owns
 *       its buffer until the channel releases it, which returns it to the pool, or frees the buffer once the pool is
 *       closed. Pools are closed on their loop after their channel.</li>
 *   <li>Receive cases: the channel allocates each datagram's buffer; {@code CountingHandler} owns every message it
 *       gets and releases it in {@code finally}.</li>
 *   <li>Peers (drained receivers, clients) use NIO with their own direct {@code ByteBuffer}s: no Netty buffers.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * The measuring thread sets up, starts, snapshots and closes a case. Channels, envelope pools and the send drivers
 * belong to their event loop. Each peer has one plain thread. Counters cross threads only through volatile fields
 * written by their single owner. Every loop of the benchmark is bounded in time (and the drivers in count).
 */
package dev.prism.perf.socket;
