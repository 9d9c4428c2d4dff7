package dev.prism.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing of the stats script's JSON, without a browser. */
class InboundMediaTest {

    private static final String TWO_STREAMS = """
            {"at": 1234.5, "connectionState": "connected", "streams": [
              {"kind": "audio", "mid": "0", "ssrc": 4000000000, "trackIdentifier": "t-a", "participantId": "bob-1",
               "participantName": "bob", "trackId": "bob-1:0", "packetsReceived": 50, "bytesReceived": 3000,
               "packetsLost": 1, "framesDecoded": 0, "frameWidth": 0, "frameHeight": 0,
               "totalSamplesReceived": 48000, "audioLevel": 0.25},
              {"kind": "video", "mid": "1", "ssrc": 7, "trackIdentifier": "t-v", "participantId": "bob-1",
               "participantName": "bob", "trackId": "bob-1:1", "packetsReceived": 90, "bytesReceived": 90000,
               "packetsLost": 0, "framesDecoded": 30, "frameWidth": 640, "frameHeight": 480,
               "totalSamplesReceived": 0, "audioLevel": 0}]}
            """;

    @Test
    void parsesStreamsAndAttribution() {
        InboundMedia.Sample s = InboundMedia.parse("alice", TWO_STREAMS);

        assertThat(s.browser()).isEqualTo("alice");
        assertThat(s.atMillis()).isEqualTo(1234.5);
        assertThat(s.connectionState()).isEqualTo("connected");
        assertThat(s.error()).isNull();
        assertThat(s.streams()).hasSize(2);
        InboundMedia.Stream audio = s.from("bob", "audio").orElseThrow();
        assertThat(audio.ssrc()).isEqualTo(4_000_000_000L); // above Integer.MAX_VALUE
        assertThat(audio.totalSamplesReceived()).isEqualTo(48_000);
        assertThat(audio.audioLevel()).isEqualTo(0.25);
        assertThat(audio.isAudio()).isTrue();
        InboundMedia.Stream video = s.byTrackIdentifier("t-v").orElseThrow();
        assertThat(video.isVideo()).isTrue();
        assertThat(video.frameWidth()).isEqualTo(640);
        assertThat(video.trackId()).isEqualTo("bob-1:1");
        assertThat(s.framesDecodedFrom("bob")).isEqualTo(30);
        assertThat(s.audioPacketsFrom("bob")).isEqualTo(50);
        assertThat(s.anyVideoDecoded()).isTrue();
        assertThat(s.toString()).contains("alice").contains("\"t-v\"");
    }

    @Test
    void unknownSenderReadsAsNothingReceived() {
        InboundMedia.Sample s = InboundMedia.parse("alice", TWO_STREAMS);

        assertThat(s.from("carol", "video")).isEmpty();
        assertThat(s.framesDecodedFrom("carol")).isZero();
        assertThat(s.audioPacketsFrom("carol")).isZero();
    }

    @Test
    void unattributedStreamAndMissingCountersDefaultToZero() {
        InboundMedia.Sample s = InboundMedia.parse("alice", """
                {"at": 1, "connectionState": "connecting", "streams": [
                  {"kind": "video", "mid": null, "trackIdentifier": null, "participantId": null}]}
                """);

        InboundMedia.Stream v = s.streams().get(0);
        assertThat(v.participantName()).isNull();
        assertThat(v.framesDecoded()).isZero();
        assertThat(v.frameWidth()).isZero();
        assertThat(s.anyVideoDecoded()).isFalse();
    }

    @Test
    void pageSideErrorIsKept() {
        InboundMedia.Sample s = InboundMedia.parse("alice",
                "{\"at\": 2, \"error\": \"no RTCPeerConnection at window.x\", \"streams\": []}");

        assertThat(s.error()).contains("no RTCPeerConnection");
        assertThat(s.streams()).isEmpty();
        assertThat(s.connectionState()).isNull();
    }

    @Test
    void malformedAnswersBecomeEmptySamplesWithAnError() {
        for (String bad : new String[] {"", "null", "not json", "[1,2]", "{\"streams\": 5}", "{\"streams\": [1]}"}) {
            InboundMedia.Sample s = InboundMedia.parse("alice", bad);
            assertThat(s.error()).as("error for %s", bad).isNotNull();
            assertThat(s.streams()).as("streams for %s", bad).isEmpty();
            assertThat(s.json()).isEqualTo(bad);
        }
    }

    @Test
    void threadNamesFoldIntoPools() {
        assertThat(CpuWindow.group("vert.x-eventloop-thread-12")).isEqualTo("vert.x-eventloop-thread-N");
        assertThat(CpuWindow.group("HttpClient-3-Worker-0")).isEqualTo("HttpClient-N-Worker-N");
        assertThat(CpuWindow.group("main")).isEqualTo("main");
    }
}
