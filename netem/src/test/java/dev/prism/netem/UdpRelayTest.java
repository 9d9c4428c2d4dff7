package dev.prism.netem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay with real sockets on loopback: an echo server stands for the target, test sockets for clients. Every
 * wait has a deadline; the timing checked is only what the relay guarantees by construction (it never releases a
 * packet before its departure time).
 */
class UdpRelayTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A target that answers each datagram with {@code name + ":" + payload} and remembers who sent it. */
    private final class Echo implements AutoCloseable {
        final DatagramSocket socket;
        final Set<SocketAddress> senders = ConcurrentHashMap.newKeySet();
        final Thread thread;

        Echo(String name) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            thread = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        senders.add(p.getSocketAddress());
                        byte[] reply = (name + ":" + new String(p.getData(), 0, p.getLength(),
                                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "echo-" + name);
            thread.setDaemon(true);
            thread.start();
            closing.add(this);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(5000);
        }
    }

    private DatagramSocket client() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(2000);
        closing.add(s);
        return s;
    }

    private UdpRelay relay(UdpRelay.Builder b) {
        UdpRelay relay = b.start();
        closing.add(relay);
        return relay;
    }

    private static void send(DatagramSocket from, InetSocketAddress to, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, to));
    }

    /** The next datagram's text and where it came from, or null when none comes within the socket's timeout. */
    private static String[] receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String[] {new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                p.getSocketAddress().toString()};
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void datagramsGoThroughBothWaysDelayedInOrderFromOneMappedAddress() throws Exception {
        Echo echo = new Echo("a");
        LinkProfile delay = LinkProfile.PERFECT.withDelay(Duration.ofMillis(20));
        UdpRelay relay = relay(UdpRelay.builder(LOOPBACK, List.of(echo.address()))
                .profile(UdpRelay.Direction.TO_SERVER, delay).profile(UdpRelay.Direction.TO_CLIENT, delay));
        DatagramSocket client = client();
        InetSocketAddress listener = relay.listenAddresses().get(0);
        assertThat(listener.getAddress()).isEqualTo(LOOPBACK);
        int n = 50;
        for (int i = 0; i < n; i++) {
            send(client, listener, "p" + i);
        }
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] r = receive(client);
            assertThat(r).as("reply %d", i).isNotNull();
            assertThat(r[1]).as("replies come from the listener the client wrote to").isEqualTo(listener.toString());
            replies.add(r[0]);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("a:p" + i);
        }
        assertThat(replies).as("no jitter, no reordering").isEqualTo(expected);
        assertThat(echo.senders).as("the target sees one relay address, not the client's").hasSize(1)
                .doesNotContain(client.getLocalSocketAddress());

        RelayCounters c = relay.counters();
        assertThat(c.clients()).isEqualTo(1);
        for (PathCounters p : List.of(c.toServer(), c.toClient())) {
            assertThat(p.offered()).isEqualTo(n);
            assertThat(p.delivered()).isEqualTo(n);
            assertThat(p.droppedTotal()).isZero();
            assertThat(p.minHoldNanos()).as("never released before its departure").isGreaterThanOrEqualTo(20_000_000L);
        }
        assertThat(c.sendFailures()).isZero();
    }

    @Test
    void eachClientGetsItsOwnMappingAndItsOwnRepliesAndTheTableIsBounded() throws Exception {
        Echo echo = new Echo("a");
        UdpRelay relay = relay(UdpRelay.builder(LOOPBACK, List.of(echo.address())).maxClients(2));
        InetSocketAddress listener = relay.listenAddresses().get(0);
        DatagramSocket one = client();
        DatagramSocket two = client();
        DatagramSocket three = client();
        send(one, listener, "one");
        send(two, listener, "two");
        assertThat(receive(one)[0]).isEqualTo("a:one");
        assertThat(receive(two)[0]).isEqualTo("a:two");
        assertThat(echo.senders).hasSize(2);
        three.setSoTimeout(300);
        send(three, listener, "three");
        await("the refusal", () -> relay.counters().refusedClients() == 1);
        assertThat(receive(three)).as("refused: nothing forwarded").isNull();
        send(one, listener, "again");
        assertThat(receive(one)[0]).isEqualTo("a:again");
        assertThat(relay.counters().clients()).isEqualTo(2);
        assertThat(echo.senders).hasSize(2);
    }

    @Test
    void eachListenerForwardsToItsOwnTarget() throws Exception {
        Echo a = new Echo("a");
        Echo b = new Echo("b");
        UdpRelay relay = relay(UdpRelay.builder(LOOPBACK, List.of(a.address(), b.address())));
        DatagramSocket client = client();
        send(client, relay.listenAddresses().get(1), "x");
        String[] r = receive(client);
        assertThat(r[0]).isEqualTo("b:x");
        assertThat(r[1]).isEqualTo(relay.listenAddresses().get(1).toString());
        send(client, relay.listenAddresses().get(0), "y");
        assertThat(receive(client)[0]).isEqualTo("a:y");
        assertThat(relay.counters().clients()).as("one mapping per client and listener").isEqualTo(2);
    }

    @Test
    void anOutageAtRuntimeDropsBothWaysAndEnds() throws Exception {
        Echo echo = new Echo("a");
        UdpRelay relay = relay(UdpRelay.builder(LOOPBACK, List.of(echo.address())));
        InetSocketAddress listener = relay.listenAddresses().get(0);
        DatagramSocket client = client();
        send(client, listener, "before");
        assertThat(receive(client)[0]).isEqualTo("a:before");
        relay.setOutage(true);
        for (int i = 0; i < 5; i++) {
            send(client, listener, "during" + i);
        }
        await("five outage drops", () -> relay.counters().toServer().dropped(DropReason.OUTAGE) == 5);
        relay.setOutage(false);
        send(client, listener, "after");
        assertThat(receive(client)[0]).as("nothing from the outage arrives late").isEqualTo("a:after");
        RelayCounters c = relay.counters();
        assertThat(c.toServer().delivered()).isEqualTo(2);
        assertThat(c.toClient().delivered()).isEqualTo(2);
    }

    @Test
    void aProfileChangedAtRuntimeAppliesToLaterPackets() throws Exception {
        Echo echo = new Echo("a");
        UdpRelay relay = relay(UdpRelay.builder(LOOPBACK, List.of(echo.address())).seed(5));
        InetSocketAddress listener = relay.listenAddresses().get(0);
        DatagramSocket client = client();
        send(client, listener, "kept");
        assertThat(receive(client)[0]).isEqualTo("a:kept");
        relay.setProfile(UdpRelay.Direction.TO_CLIENT,
                LinkProfile.PERFECT.withLoss(new LossModel.Bernoulli(1.0)));
        assertThat(relay.profile(UdpRelay.Direction.TO_CLIENT).loss()).isEqualTo(new LossModel.Bernoulli(1.0));
        client.setSoTimeout(300);
        for (int i = 0; i < 10; i++) {
            send(client, listener, "lost" + i);
        }
        await("ten replies lost", () -> relay.counters().toClient().dropped(DropReason.LOSS) == 10);
        assertThat(receive(client)).isNull();
        RelayCounters c = relay.counters();
        assertThat(c.toServer().delivered()).as("the uplink was untouched").isEqualTo(11);
        assertThat(c.toClient().delivered()).isEqualTo(1);
    }

    @Test
    void closingStopsTheRelayAndKeepsItsLastFigures() throws Exception {
        Echo echo = new Echo("a");
        UdpRelay relay = UdpRelay.builder(LOOPBACK, List.of(echo.address())).start();
        DatagramSocket client = client();
        send(client, relay.listenAddresses().get(0), "x");
        assertThat(receive(client)[0]).isEqualTo("a:x");
        relay.close();
        relay.close();
        assertThat(relay.counters().toServer().delivered()).isEqualTo(1);
        client.setSoTimeout(300);
        send(client, relay.listenAddresses().get(0), "y");
        assertThat(receive(client)).isNull();
    }
}
