package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.Room;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.conference.testkit.TestConference;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stats sample's figures read without a snapshot ({@link RoomReader#sampleLinks}) equal the figures of the room's
 * snapshot ({@link RoomReader#snapshot}), participant by participant: a publisher (alice, audio), a subscriber of it
 * (bob), one who only joined (carol), with rates not yet measured, measured, and partly measured.
 */
class RoomLinkSamplerTest {
    private final TestConference fixture = new TestConference();
    private final EmbeddedMedia embedded = fixture.embedded;
    private final Conference conference = fixture.conference;

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** One participant's figures as the sampler sees them (NaN as null, as the snapshot has them). */
    record Figures(String id, int tracks, Double uplink, Double downlink, Double estimate, Double loss,
                   boolean subscribes) {
        static Figures of(ParticipantSnapshot p) {
            return new Figures(p.id(), p.tracks().size(), p.link().uplinkBps(), p.link().downlinkBps(),
                    p.link().bandwidthEstimateBps(), p.link().lossFraction(), p.subscriber() != null);
        }
    }

    @Test
    void theSampledFiguresAreTheSnapshotsWhateverWasMeasured() throws Exception {
        ConferenceParticipant alice = fixture.join("alice");
        ConferenceParticipant bob = fixture.join("bob");
        fixture.join("carol");
        fixture.publishTwoAudioTracks(alice);
        bob.nextSubscriberOffer();
        embedded.runPendingTasks();
        Room room = conference.rooms().get("r");

        List<RoomReader.Rates> rateTables = List.of(
                key -> null, // before the second sample: nothing measured
                key -> key instanceof Consumer ? 48_000.0 : 64_000.0,
                key -> key instanceof Consumer ? null : 32_000.0); // consumers new since the last sample
        for (RoomReader.Rates rates : rateTables) {
            List<Figures> sampled = new ArrayList<>();
            List<Figures> snapshot = new ArrayList<>();
            onLoop(room, () -> {
                conference.reader().sampleLinks(room, rates, new RoomReader.LinkSink() {
                    @Override
                    public void participant(String id, int tracks, double up, double down, double estimate,
                                            double loss, boolean subscribes) {
                        sampled.add(new Figures(id, tracks, orNull(up), orNull(down), orNull(estimate), orNull(loss),
                                subscribes));
                    }

                    @Override
                    public void connected(String protocol, String family, String candidate) {
                        sampled.add(new Figures("connected " + protocol + " " + family + " " + candidate, 0, null,
                                null, null, null, false));
                    }
                });
                RoomSnapshot s = conference.reader().snapshot(room, rates, 0);
                s.participants().forEach(p -> snapshot.add(Figures.of(p)));
            });
            assertThat(sampled).hasSize(3).containsExactlyInAnyOrderElementsOf(snapshot);
        }
    }

    @Test
    void ratesAddUpPerParticipantAsInTheSnapshot() throws Exception {
        ConferenceParticipant alice = fixture.join("alice");
        ConferenceParticipant bob = fixture.join("bob");
        fixture.publishTwoAudioTracks(alice);
        bob.nextSubscriberOffer();
        embedded.runPendingTasks();
        Room room = conference.rooms().get("r");
        Map<String, double[]> up = new java.util.HashMap<>();
        onLoop(room, () -> conference.reader().sampleLinks(room, key -> key instanceof Consumer ? 48_000.0 : 64_000.0,
                new RoomReader.LinkSink() {
                    @Override
                    public void participant(String id, int tracks, double uplink, double downlink, double estimate,
                                            double loss, boolean subscribes) {
                        up.put(id, new double[] {tracks, uplink, downlink});
                    }

                    @Override
                    public void connected(String protocol, String family, String candidate) {
                    }
                }));
        assertThat(up.get("alice")).as("two tracks of 64 kbit/s, nothing received").containsExactly(2, 128_000, 0);
        assertThat(up.get("bob")).as("two consumers of 48 kbit/s").containsExactly(0, 0, 96_000);
    }

    /**
     * A connected transport is counted with its snapshot's labels: Prism's protocol, the remote address's family, the
     * candidate the client reported (here a relay over TLS); one not connected is not counted.
     */
    @Test
    void connectedTransportsCarryTheirSnapshotsLabels() throws Exception {
        ConferenceParticipant alice = fixture.join("alice");
        fixture.join("bob");
        fixture.publishTwoAudioTracks(alice);
        CompletableFuture<Void> reported = alice.reportConnectionPath(ConnectionRole.PUBLISHER,
                new ConnectionPath("udp", "relay", "tls", "ipv4"));
        embedded.runPendingTasks();
        reported.get(0, TimeUnit.SECONDS);
        Room room = conference.rooms().get("r");
        embedded.connectPeer(alice.publisherTransport(), new InetSocketAddress("10.0.0.1", 5000),
                SrtpProfile.AEAD_AES_128_GCM, 1);
        List<String> sampled = new ArrayList<>();
        List<String> snapshot = new ArrayList<>();
        onLoop(room, () -> {
            conference.reader().sampleLinks(room, key -> null, new RoomReader.LinkSink() {
                @Override
                public void participant(String id, int tracks, double up, double down, double estimate, double loss,
                                        boolean subscribes) {
                }

                @Override
                public void connected(String protocol, String family, String candidate) {
                    sampled.add(protocol + " " + family + " " + candidate);
                }
            });
            for (ParticipantSnapshot p : conference.reader().snapshot(room, key -> null, 0).participants()) {
                for (ParticipantSnapshot.TransportSnapshot t : java.util.Arrays.asList(p.publisher(),
                        p.subscriber())) {
                    if (t != null && t.state().equals("connected")) {
                        snapshot.add(t.protocol() + " " + t.family() + " " + t.candidate());
                    }
                }
            }
        });
        assertThat(sampled).containsExactly("udp ipv4 relay_tls").isEqualTo(snapshot);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Runs {@code r} on the room's loop (the embedded one: pending tasks run on the test's thread). */
    private void onLoop(Room room, Runnable r) throws Exception {
        CompletableFuture<Void> f = CompletableFuture.runAsync(r, room.executor());
        embedded.runPendingTasks();
        f.get(0, TimeUnit.SECONDS);
    }
}
