package dev.prism.conference.testkit;

import dev.prism.conference.Conference;
import dev.prism.conference.ConferenceListener;
import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.JoinRequest;
import dev.prism.conference.PublishNegotiation;
import dev.prism.conference.RemoteTransport;
import dev.prism.conference.SubscriberCodecPlan;
import dev.prism.core.clock.FakeClock;
import dev.prism.core.clock.ManualTimers;
import dev.prism.core.room.InMemoryRoomRegistry;
import dev.prism.core.room.LeaveReason;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.DtlsRole;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.rtp.transport.EmbeddedMedia;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.srtp.SrtpImplementation;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Conference} over sfu-rtp's {@link EmbeddedMedia} with a {@link FakeClock}: its timers run only when the
 * test advances the clock ({@link ManualTimers}), and its rooms' loop is the embedded channel's, which
 * {@code embedded.runPendingTasks()} runs on the test's thread. Participants join room "r" and ignore what the
 * conference tells them ({@link QuietListener}); whoever is still in when the test ends leaves in {@link #close}.
 *
 * <p>Part of sfu-conference's test kit, published as its test-jar (sfu-ops' tests depend on it with
 * {@code <type>test-jar</type>}). One thread; one instance per test.
 */
public final class TestConference implements AutoCloseable {
    /** The ICE and DTLS parameters of a publisher's answer (never connected). */
    public static final RemoteTransport BROWSER = new RemoteTransport(
            new IceParameters("brws", "browserpassword123456"), new DtlsFingerprint("sha-256", "AA:BB"),
            DtlsRole.ACTPASS);

    public final FakeClock clock = new FakeClock();
    public final EmbeddedMedia embedded = new EmbeddedMedia(PooledByteBufAllocator.DEFAULT, SrtpImplementation.DEFAULT,
            clock, new ManualTimers(clock));
    public final Conference conference;
    private final List<ConferenceParticipant> joined = new ArrayList<>();

    public TestConference() {
        MediaPlane plane = embedded.plane();
        conference = new Conference(plane, new InMemoryRoomRegistry(id -> plane.placeRoom().eventLoop(), List.of()),
                new SubscriberCodecPlan(111, 96, 97, 1, 2));
    }

    /** Joins room "r" as {@code identity} (may publish and subscribe); it leaves in {@link #close} unless it left. */
    public ConferenceParticipant join(String identity) throws Exception {
        CompletableFuture<ConferenceParticipant> f = conference.join(new JoinRequest("r", identity, identity, true,
                true), new QuietListener());
        embedded.runPendingTasks();
        ConferenceParticipant p = f.get(0, TimeUnit.SECONDS);
        joined.add(p);
        return p;
    }

    /** {@code p} leaves the room now (and not again in {@link #close}). */
    public void leave(ConferenceParticipant p) {
        joined.remove(p);
        p.leave(LeaveReason.LEFT);
    }

    /** {@code p} publishes two Opus tracks, mids "0" and "1" (SSRCs 1234 and 5678), answered as {@link #BROWSER}. */
    public void publishTwoAudioTracks(ConferenceParticipant p) throws Exception {
        CompletableFuture<String> f = p.publish(Map.of(), l -> new PublishNegotiation.Negotiated<>("answer-sdp",
                BROWSER, List.of(audio("0", 1234), audio("1", 5678))));
        embedded.runPendingTasks();
        f.get(0, TimeUnit.SECONDS);
    }

    /** An Opus track (payload type 111) of one stream with {@code ssrc}. */
    public static MediaDescription audio(String mid, long ssrc) {
        return new MediaDescription(mid, MediaKind.AUDIO, List.of(new RtpCodec(111, "opus", 48000, 2, Map.of(),
                List.of())), List.of(), List.of(new RtpEncoding(ssrc, 0, null)), "stream", "track-" + mid);
    }

    /** Whoever is still in leaves; then the engine closes. */
    @Override
    public void close() {
        for (ConferenceParticipant p : joined) {
            p.leave(LeaveReason.LEFT);
        }
        embedded.runPendingTasks();
        embedded.close();
    }

    /** A session that ignores what the conference tells it. */
    public static final class QuietListener implements ConferenceListener {
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
