package dev.prism.conference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.clock.FakeClock;
import dev.prism.core.inspect.ParticipantSnapshot.TransportSnapshot;
import dev.prism.core.rtp.RtpCodec;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.rtcp.RtcpSender;
import dev.prism.rtp.transport.MediaCounters;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoomReaderTest {
    private static TransportSnapshot t(String state) {
        return state.equals("-") ? null : new TransportSnapshot(state, null, null);
    }

    @ParameterizedTest(name = "publisher {0}, subscriber {1} -> {2}")
    @CsvSource({
            "-, -, new",
            "connected, -, connected",
            "-, connected, connected",
            "connected, connected, connected",
            "connected, checking, checking",
            "connecting, checking, checking",
            "new, connecting, new",
            "connected, connecting, connecting",
            "closed, connected, closed",
            "connected, closed, closed",
    })
    void connectionStateSummarisesBothConnections(String publisher, String subscriber, String expected) {
        assertThat(RoomReader.connectionState(t(publisher), t(subscriber))).isEqualTo(expected);
    }

    /** The admin snapshot says where a subscriber's downlink estimate comes from, fallbacks included. */
    @Test
    void estimateSourceNamesTheFallbackForMalformedTransportCc() {
        FakeClock clock = new FakeClock();
        MediaCounters counters = new MediaCounters();
        SubscriberEndpoint subscriber = new SubscriberEndpoint((t, r) -> { }, counters,
                new RtcpSender(UnpooledByteBufAllocator.DEFAULT, clock));
        assertThat(RoomReader.estimateSource(subscriber)).as("nothing negotiated: no estimate").isNull();
        subscriber.configureFeedback(3, true, true);
        assertThat(RoomReader.estimateSource(subscriber)).isEqualTo("transport-cc");

        subscriber.downlink().onRemb(500_000);
        for (int i = 0; i < 3; i++) {
            subscriber.downlink().onMalformedFeedback();
        }
        assertThat(RoomReader.estimateSource(subscriber)).isEqualTo("transport-cc malformed: using REMB");
        clock.advanceMillis(10_000); // the REMB goes stale
        assertThat(RoomReader.estimateSource(subscriber))
                .isEqualTo("transport-cc malformed: using receiver-report loss");
    }

    @Test
    void codecNames() {
        assertThat(RoomReader.codecName(new RtpCodec(111, "opus", 48000, 2, Map.of(), List.of())))
                .isEqualTo("opus/48000/2");
        assertThat(RoomReader.codecName(new RtpCodec(96, "VP8", 90000, 1, Map.of(), List.of())))
                .isEqualTo("VP8/90000");
        assertThat(RoomReader.codecName(null)).isNull();
    }
}
