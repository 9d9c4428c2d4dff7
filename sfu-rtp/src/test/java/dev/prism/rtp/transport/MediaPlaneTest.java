package dev.prism.rtp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Several engines over real UDP on loopback: own ports and loops, rooms spread over them, counters summed. */
class MediaPlaneTest {
    private static final MediaEngineConfig ANY_PORT =
            new MediaEngineConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(30), new FakeClock());

    @Test
    void everyEngineHasItsOwnLoopPortAndCandidatesButTheCertificateIsShared() {
        try (MediaPlane plane = MediaPlane.start(ANY_PORT, 3)) {
            assertThat(plane.engines()).hasSize(3);
            assertThat(new HashSet<>(plane.localPorts())).hasSize(3);
            assertThat(new HashSet<>(plane.eventLoops())).hasSize(3);
            for (MediaEngine e : plane.engines()) {
                assertThat(e.localCandidates()).singleElement()
                        .satisfies(c -> assertThat(c.port()).isEqualTo(e.localPort()));
                assertThat(e.certificate()).isSameAs(plane.certificate());
            }
        }
    }

    @Test
    void aConfiguredPortIsTheFirstOfAConsecutiveRange() throws Exception {
        int base;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            base = probe.getLocalPort(); // free a moment ago; the plane binds it and the next one
        }
        try (MediaPlane plane = MediaPlane.start(ANY_PORT.withPort(base), 2)) {
            assertThat(plane.localPorts()).containsExactly(base, base + 1);
        } catch (IllegalStateException busy) {
            // Another process took base or base + 1 in between: the error must say which port.
            assertThat(busy).hasMessageContaining(":" + base);
        }
    }

    @Test
    void aPortRangeBeyond65535IsRefusedBeforeBinding() {
        assertThatThrownBy(() -> MediaPlane.start(ANY_PORT.withPort(65535), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535..65536");
        assertThatThrownBy(() -> MediaPlane.start(ANY_PORT, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBusyPortFailsTheStartWithThePortNamedAndStartsNothing() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Set<Thread> before = mediaThreads();
            assertThatThrownBy(() -> MediaPlane.start(ANY_PORT.withPort(port), 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("127.0.0.1:" + port);
            for (Thread t : mediaThreads()) {
                if (!before.contains(t)) {
                    t.join(5_000); // its loop has terminated; the thread itself ends right after
                    assertThat(t.isAlive()).as("%s still running after a failed start", t.getName()).isFalse();
                }
            }
        }
    }

    @Test
    void roomsAreSpreadOverTheEnginesAndAReleasedSlotIsReused() {
        try (MediaPlane plane = MediaPlane.start(ANY_PORT, 2)) {
            List<MediaEngine> placed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                placed.add(plane.placeRoom());
            }
            assertThat(placed).containsExactly(plane.engines().get(0), plane.engines().get(1),
                    plane.engines().get(0), plane.engines().get(1));
            assertThat(plane.roomsOn(0)).isEqualTo(2);
            assertThat(plane.roomsOn(1)).isEqualTo(2);

            plane.release(plane.engines().get(1).eventLoop());
            assertThat(plane.placeRoom()).isSameAs(plane.engines().get(1));
            for (MediaEngine e : plane.engines()) {
                assertThat(plane.engineOf(e.eventLoop())).isSameAs(e);
            }
            assertThatThrownBy(() -> plane.engineOf(Runnable::run)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void placementsFromManyThreadsAreAllCountedAndAllGiveBack() throws Exception {
        try (MediaPlane plane = MediaPlane.start(ANY_PORT, 2)) {
            int threads = 4;
            int each = 250;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<List<MediaEngine>>> placed = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    placed.add(pool.submit(() -> {
                        List<MediaEngine> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            mine.add(plane.placeRoom());
                        }
                        return mine;
                    }));
                }
                List<MediaEngine> all = new ArrayList<>();
                for (var f : placed) {
                    all.addAll(f.get(10, TimeUnit.SECONDS));
                }
                assertThat(plane.roomsOn(0) + plane.roomsOn(1)).isEqualTo(threads * each);
                assertThat(plane.roomsOn(0)).as("placements are serialized: an even split").isEqualTo(plane.roomsOn(1));
                for (MediaEngine e : all) {
                    plane.release(e.eventLoop());
                }
                assertThat(plane.roomsOn(0) + plane.roomsOn(1)).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void onEqualRoomCountsTheEngineWithFewerTransportsWins() throws Exception {
        try (MediaPlane plane = MediaPlane.start(ANY_PORT, 2)) {
            MediaEngine first = plane.engines().get(0);
            first.eventLoop().submit(() -> first.createTransport("busy", new TransportListener() { }))
                    .get(5, TimeUnit.SECONDS);
            assertThat(plane.placeRoom()).isSameAs(plane.engines().get(1));
        }
    }

    @Test
    void theSumOfCountersSeesEveryEnginesPacketsAndIsReadOnly() throws Exception {
        try (MediaPlane plane = MediaPlane.start(ANY_PORT, 2);
             DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] unknownProtocol = {0x40, 0, 0, 0};
            for (int port : plane.localPorts()) {
                s.send(new DatagramPacket(unknownProtocol, 4, InetAddress.getLoopbackAddress(), port));
            }
            MediaCounters sum = plane.counters();
            waitFor(() -> sum.packetsIn() == 2);
            assertThat(sum.drops(DropReason.UNKNOWN_PROTOCOL)).isEqualTo(2);
            assertThat(sum.dropsSnapshot()).containsEntry(DropReason.UNKNOWN_PROTOCOL, 2L);
            for (MediaEngine e : plane.engines()) {
                assertThat(e.counters().packetsIn()).isEqualTo(1);
            }
            assertThatThrownBy(sum::forwarded).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    private static Set<Thread> mediaThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("prism-media")) {
                out.add(t);
            }
        }
        return out;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait(); // datagrams on loopback: microseconds
        }
    }
}
