/**
 * A network emulator for tests: a userspace UDP relay that delays, jitters, loses (at random or in bursts), reorders,
 * rate-limits and cuts the traffic of one participant. This machine's kernel has no {@code tc netem}; {@code tc tbf}
 * and nftables ({@code numgen random}) only cover a rate and random loss, so delay, jitter and bursty loss are done
 * here, in the test JVM.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link dev.prism.netem.Link}: the model, pure. One direction; given when a packet arrives and its size, says
 *       when it leaves or why it is dropped. Stages in order: outage, {@link dev.prism.netem.LossModel} (Bernoulli or
 *       Gilbert-Elliott), token bucket with a drop-tail queue, fixed delay plus {@link dev.prism.netem.Jitter} (order
 *       kept unless the {@link dev.prism.netem.LinkProfile} allows reordering). Chance comes from a
 *       {@link dev.prism.netem.RandomSource}: seeded for repeatable runs, scripted in the table tests
 *       ({@code LinkTest}).</li>
 *   <li>{@link dev.prism.netem.ImpairedPath}: a link plus a bounded release queue ordered by departure time, read
 *       through a {@code MonoClock} (sfu-core), so a {@code FakeClock} test sees exactly which packet leaves when
 *       ({@code ImpairedPathTest}). Counts what it took, released, dropped by {@link dev.prism.netem.DropReason}, and
 *       how long packets were held.</li>
 *   <li>{@link dev.prism.netem.UdpRelay}: the sockets. One NIO thread; a listener per target; per client address a
 *       socket of its own toward the target (a NAT-like mapping); each direction through its own path. Profiles and
 *       outages change at runtime ({@code UdpRelayTest}, real sockets on loopback).</li>
 * </ul>
 *
 * <h2>Putting a browser behind it, and what ICE sees</h2>
 * prism-server's {@code RelayedLink} (browser tests) starts a relay on the host end of a participant's network
 * namespace link, one listener per Prism media port, and adds an nftables {@code dnat} rule inside the namespace
 * that sends the participant's UDP for each media port to that port's listener. Prism and its configuration are
 * unchanged; the participant's browser still gets Prism's advertised candidates. What follows:
 * <ul>
 *   <li>The browser sends its checks to Prism's candidate; the kernel in its namespace rewrites the destination to the
 *       relay; the relay forwards from the client's mapping socket. Prism (ICE-lite) learns the remote address from
 *       the check's source, so it sees the mapping socket's address, as it would a NAT's: a peer-reflexive remote, and
 *       its STUN answer's XOR-MAPPED-ADDRESS gives the browser a peer-reflexive local candidate. Consent checks, DTLS,
 *       SRTP and SRTCP all take the same path, so the handshake and RTCP feedback are impaired too, as on a real
 *       network.</li>
 *   <li>Answers come back through the relay's listener; the namespace's connection tracking rewrites their source
 *       back to Prism's media port, so the browser sees its candidate pair answer from the address it wrote to. No
 *       ICE rule is bent: the pair the browser selects is its host candidate with Prism's host candidate.</li>
 *   <li>One mapping per client address and listener (an endpoint-dependent NAT): a browser that gathers from a new
 *       port gets a new relay address; Prism treats it as a new remote, as after a NAT rebinding.</li>
 *   <li>Only UDP passes through the relay. ICE-TCP and TURN do not: the browser prefers the UDP pair while it works,
 *       but a scenario that cuts the relay for long (an outage) must also block TCP to Prism, or the browser may move
 *       to the TCP pair and measure that instead. A cut longer than Prism's consent timeout ends the transport.</li>
 *   <li>Timing: the relay releases a packet when its departure is due, never before, a fraction of a millisecond
 *       after it when its thread gets a core ({@link dev.prism.netem.PathCounters} reports the mean and worst
 *       lateness and how many were over 2 ms late: on a busy machine that shares its cores with browsers, a
 *       scheduling stall delays packets beyond the profile, which the printed figures show). It adds one userspace
 *       hop (a copy and a send) in each direction.</li>
 * </ul>
 *
 * <p>Test infrastructure: bounded everywhere (mapping table, release queue, datagram size), counted, but not
 * hardened against hostile input, and not part of the server.
 */
package dev.prism.netem;
