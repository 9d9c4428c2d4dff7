package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One publisher and one subscriber for two seconds against a real Prism process: the whole load generator works end
 * to end (signaling, ICE, DTLS, SRTP both ways, probes, server metrics). Checks that numbers exist and that every
 * packet the subscriber got is accounted for, never what the timings are: those belong in benchmark reports.
 */
class LoadRunSmokeTest {
    @Test
    @Timeout(60)
    void oneByOneForwardsAndAccountsForEveryPacket(@TempDir Path dir) throws Exception {
        // --server-args repeats an option Prism already gets: proves the pass-through without changing the server.
        // Two client threads: the publisher and the subscriber live on different loops, as in a spread-out run.
        LoadOptions options = LoadOptions.parse(new String[] {"--scenario", "1x1", "--seconds", "2", "--warmup", "0",
                "--no-floor", "--server-jvm", "-Xmx256m -XX:TieredStopAtLevel=1", "--server-args",
                "--advertise 127.0.0.1", "--client-threads", "2", "--out", dir.toString()});
        List<String> log = new ArrayList<>();
        LoadResult r = new LoadRun(options, new PrismTarget(options.serverJvm(), options.serverArgs(), dir), log::add)
                .run();

        assertThat(r.forwarded()).as("media packets the subscriber received").isPositive();
        JsonObject j = r.toJson();
        assertThat(j.getJsonObject("clients").getLong("srtpFailures")).isZero();

        // Every packet is sorted, and nothing is unknown: Prism's probe padding and RTX arrive on the RTX SSRC its
        // offer announced in the FID group.
        JsonObject down = j.getJsonObject("downlink");
        assertThat(r.unknown()).as("unknown packets: " + down.encode()).isZero();
        assertThat(r.sortedPackets()).as("every decrypted RTP packet sorted").isEqualTo(r.subscriberRtpPackets())
                .isEqualTo(r.forwarded() + r.retransmissions() + r.probePadding());
        // Every media packet Prism sent in the window arrived (or was repaired by a retransmission), and was timed.
        assertThat(r.sequenceGaps()).as("media sequence numbers missing: " + down.encode()).isZero();
        assertThat(r.latencySamples()).as("latency samples").isEqualTo(r.forwarded());
        assertThat(r.latencyOutOfRange()).isZero();
        assertThat(r.repaired()).isLessThanOrEqualTo(r.retransmissions());
        // Padding and retransmissions are allowed, and reported.
        assertThat(down.getLong("probePaddingPackets")).isEqualTo(r.probePadding()).isNotNegative();
        assertThat(down.getLong("retransmissions")).isEqualTo(r.retransmissions()).isNotNegative();
        assertThat(r.serverDatagrams()).as("datagrams from the server")
                .isGreaterThanOrEqualTo(r.forwarded() + r.retransmissions() + r.probePadding());
        assertThat(j.getJsonObject("cpu").getDouble("serverMicrosPerDatagramSent"))
                .isLessThanOrEqualTo(j.getJsonObject("cpu").getDouble("serverMicrosPerForwarded"));

        assertThat(j.getJsonObject("server").getJsonArray("extraArgs"))
                .isEqualTo(new JsonArray().add("--advertise").add("127.0.0.1"));
        assertThat(j.getJsonObject("server").getString("command"))
                .endsWith("--advertise 127.0.0.1 --api-secret <random>");
        assertThat(j.getInteger("clientThreads")).isEqualTo(2);
        assertThat(j.getJsonObject("memory").getDouble("heapBaselineMiB")).isPositive();
        assertThat(j.getJsonObject("allocation").getLong("bytesInWindow")).isPositive();
        assertThat(j.getJsonObject("cpu").getValue("floorMicrosPerForwarded")).isNull(); // no floor asked for
        assertThat(r.table()).contains("forwarded packets/s (media)", "probe/padding packets/s",
                "retransmissions (repaired)", "unknown packets", "server CPU us/datagram sent");
        assertThat(log).contains("media flowing; warming up 0 s...");
        System.out.println("load smoke: " + down.encode()); // the figures, for whoever reads the test output
    }

    @Test
    @Timeout(60)
    void twoRoomsOnTwoMediaThreadsAreCountedRoomByRoom(@TempDir Path dir) throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {"--rooms", "2", "--scenario", "1x1", "--seconds", "2",
                "--warmup", "0", "--no-floor", "--server-jvm", "-Xmx256m -XX:TieredStopAtLevel=1", "--server-args",
                "--media-threads 2", "--out", dir.toString()});
        LoadResult r = new LoadRun(options, new PrismTarget(options.serverJvm(), options.serverArgs(), dir), s -> { })
                .run();

        JsonObject j = r.toJson();
        assertThat(j.getInteger("rooms")).isEqualTo(2);
        assertThat(r.unknown()).as("a subscriber only gets its own room's streams").isZero();
        assertThat(r.sequenceGaps()).isZero();
        JsonObject fwd = j.getJsonObject("forwarded");
        assertThat(fwd.getLong("perSubscriberMin")).as("both rooms forward").isPositive();
        // Each subscriber expects its own room's publisher only: what arrived is what was sent, give or take the
        // packets in flight when the window opened and closed (a formula counting every publisher for every
        // subscriber would expect twice as many).
        assertThat((double) fwd.getLong("packets")).isCloseTo(fwd.getLong("expected"),
                org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    @Timeout(90)
    void udpAndIceTcpLegsOnOneServerAreComparedAndTcpAccountsForEveryPacket(@TempDir Path dir) throws Exception {
        // One round: a UDP leg, then an ICE-TCP leg (its own participants, 1x1, 2 s each) against the same server.
        LoadOptions options = LoadOptions.parse(new String[] {"--scenario", "1x1", "--seconds", "2", "--warmup", "0",
                "--no-floor", "--server-jvm", "-Xmx256m -XX:TieredStopAtLevel=1", "--transport", "both",
                "--rounds", "1", "--out", dir.toString()});
        List<String> log = new ArrayList<>();
        PrismTarget target = new PrismTarget(options.serverJvm(), options.serverArgs(), dir);
        List<LoadResult> legs = new LoadRun(options, target, log::add).runLegs();

        assertThat(legs).extracting(LoadResult::transport).containsExactly(PeerTransport.UDP, PeerTransport.TCP);
        assertThat(legs).extracting(LoadResult::leg).containsExactly(1, 2);
        assertThat(log).contains("starting prism...", "leg 2/2 tcp: media flowing; warming up 0 s...")
                .filteredOn(m -> m.contains("starting")).hasSize(1); // one server for both legs
        LoadResult tcp = legs.get(1);
        assertThat(tcp.forwarded()).as("media over ICE-TCP").isPositive();
        JsonObject j = tcp.toJson();
        assertThat(j.getString("transport")).isEqualTo("tcp");
        assertThat(j.getJsonObject("clients").getLong("srtpFailures")).isZero();
        assertThat(tcp.unknown()).isZero();
        assertThat(tcp.sortedPackets()).isEqualTo(tcp.subscriberRtpPackets())
                .isEqualTo(tcp.forwarded() + tcp.retransmissions() + tcp.probePadding());
        assertThat(tcp.sequenceGaps()).as("TCP loses nothing on loopback").isZero();
        assertThat(tcp.latencySamples()).isEqualTo(tcp.forwarded());

        TransportComparison c = new TransportComparison(legs);
        assertThat(c.cpuMicrosPerForward(PeerTransport.UDP)).isPositive();
        assertThat(c.cpuMicrosPerForward(PeerTransport.TCP)).isPositive();
        JsonObject cj = c.toJson();
        assertThat(cj.getDouble("tcpToUdpCpu")).isPositive();
        assertThat(cj.getJsonArray("legs")).hasSize(2);
        assertThat(cj.getJsonObject("tcp").getDouble("loadGeneratorCpuMicrosPerForwarded")).isPositive();
        assertThat(cj.getJsonObject("tcpAddedLatencyMillis").fieldNames()).containsExactly("p50", "p90", "p99",
                "p99.9");
        assertThat(c.table()).contains("server CPU us/forwarded (mean of legs)", "latency p99.9 ms (all legs)",
                "load generator CPU us/forwarded (mean)");
        System.out.println("transport smoke:\n" + c.table());
    }
}
