package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.inspect.ParticipantSnapshot;
import dev.prism.core.inspect.RoomSnapshot;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.inspect.ConnectionPath;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import dev.prism.srtp.SrtpProfile;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stats sample's figures read without a snapshot ({@link RoomReader#sampleLinks}) equal the figures of the room's
 * snapshot ({@link RoomReader#snapshot}), participant by participant: a publisher (alice, audio), a subscriber of it
 * (bob), one who only joined (carol), with rates not yet measured, measured, and partly measured.
 */
class RoomLinkSamplerTest {
    private static final RemoteTransport BROWSER = new RemoteTransport(new IceParameters("brws", "browserpassword123456"),
            new DtlsFingerprint("sha-256", "AA:BB"), DtlsRole.ACTPASS);

    private final FakeClock clock = new FakeClock();
    private EmbeddedMedia embedded;
    private Conference conference;
    private final List<ConferenceParticipant> joined = new ArrayList<>();

    @BeforeEach
    void start() {
        embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT, clock,
                new ManualTimers(clock));
        MediaPlane media = embedded.plane();
        conference = new Conference(media, new InMemoryRoomRegistry(id -> media.placeRoom().eventLoop(), List.of()),
                new SubscriberCodecPlan(111, 96, 97, 1, 2));
    }

    @AfterEach
    void stop() {
        for (ConferenceParticipant p : joined) {
            p.leave(LeaveReason.LEFT);
        }
        embedded.runPendingTasks();
        embedded.close();
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
        ConferenceParticipant alice = join("alice");
        ConferenceParticipant bob = join("bob");
        join("carol");
        publishTwoAudioTracks(alice);
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
        ConferenceParticipant alice = join("alice");
        ConferenceParticipant bob = join("bob");
        publishTwoAudioTracks(alice);
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
        ConferenceParticipant alice = join("alice");
        join("bob");
        publishTwoAudioTracks(alice);
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

    private void publishTwoAudioTracks(ConferenceParticipant p) throws Exception {
        CompletableFuture<String> f = p.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("answer-sdp",
                BROWSER, List.of(audio("0", 1234), audio("1", 5678))));
        embedded.runPendingTasks();
        f.get(0, TimeUnit.SECONDS);
    }

    private ConferenceParticipant join(String identity) throws Exception {
        CompletableFuture<ConferenceParticipant> f = conference.join(new JoinRequest("r", identity, identity, true,
                true), new Quiet());
        embedded.runPendingTasks();
        ConferenceParticipant p = f.get(0, TimeUnit.SECONDS);
        joined.add(p);
        return p;
    }

    private static MediaDescription audio(String mid, long ssrc) {
        return new MediaDescription(mid, MediaKind.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(),
                List.of())), List.of(), List.of(new RtpEncoding(ssrc, 0, null)), "stream", "track-" + mid);
    }

    /** A session that ignores what the conference tells it. */
    private static final class Quiet implements ConferenceListener {
        @Override
        public void onJoined(ConferenceParticipant participant) {
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
        }

        @Override
        public void onSubscriberOfferNeeded() {
        }

        @Override
        public void onSubscriberRenewed() {
        }

        @Override
        public void onMediaClosed(String code, String message) {
        }

        @Override
        public void onReplaced() {
        }

        @Override
        public void onRemoved(LeaveReason reason) {
        }
    }
}
