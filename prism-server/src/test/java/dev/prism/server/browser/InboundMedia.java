package dev.prism.server.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a browser receives: one {@link Stream} per {@code inbound-rtp} entry of an RTCPeerConnection's
 * {@code getStats()}, attributed to the remote participant that sent it.
 *
 * <p>Attribution: the stats entry names its receiving {@code MediaStreamTrack} ({@code trackIdentifier}, or through
 * its {@code mid} the transceiver's receiver track); the demo client's {@code participants} map (id -> {id, name,
 * tracks: trackId -> {mediaStreamTrack}}) says whose track that is. Maps and plain objects are both accepted there.
 *
 * <p>The script returns JSON text rather than a JavaScript object so that Selenium's number conversion cannot lose
 * fields, and so that the raw text can go verbatim into failure messages.
 */
public final class InboundMedia {

    /** Where the Prism demo page keeps its subscriber connection and its view of the room. */
    public static final String PRISM_SUBSCRIBER_PC = "window.prism && window.prism.client && window.prism.client.subscriberPc";
    /** Where the Prism demo page keeps its participants map (id -> {id, name, tracks}). */
    public static final String PRISM_PARTICIPANTS = "window.prism && window.prism.client && window.prism.client.participants";

    /**
     * Asynchronous script; {@code %PC%} and {@code %PARTICIPANTS%} are replaced by JavaScript expressions (constants
     * chosen by the test code, never external input).
     */
    private static final String SCRIPT = """
            const done = arguments[arguments.length - 1];
            const entries = (x) => !x ? [] : (x instanceof Map ? [...x.entries()] : Object.entries(x));
            (async () => {
              const pc = (%PC%);
              if (!pc || typeof pc.getStats !== 'function') {
                return { at: performance.now(), error: 'no RTCPeerConnection at %PC%', streams: [] };
              }
              const owners = new Map();
              for (const [pid, p] of entries(%PARTICIPANTS%)) {
                for (const [tid, t] of entries(p && p.tracks)) {
                  const mst = t && (t.mediaStreamTrack || t.track);
                  if (mst) owners.set(mst.id, { participantId: (p.id != null ? p.id : pid), participantName: p.name, trackId: (t.id != null ? t.id : tid) });
                }
              }
              const midToTrack = new Map();
              for (const tr of pc.getTransceivers()) {
                if (tr.mid != null && tr.receiver && tr.receiver.track) midToTrack.set(tr.mid, tr.receiver.track.id);
              }
              const report = await pc.getStats();
              const streams = [];
              report.forEach((s) => {
                if (s.type !== 'inbound-rtp') return;
                const mst = s.trackIdentifier || midToTrack.get(s.mid) || null;
                const owner = (mst && owners.get(mst)) || {};
                streams.push({
                  kind: s.kind || s.mediaType, mid: s.mid != null ? s.mid : null, ssrc: s.ssrc,
                  trackIdentifier: mst, participantId: owner.participantId != null ? owner.participantId : null,
                  participantName: owner.participantName != null ? owner.participantName : null,
                  trackId: owner.trackId != null ? owner.trackId : null,
                  packetsReceived: s.packetsReceived || 0, bytesReceived: s.bytesReceived || 0,
                  packetsLost: s.packetsLost || 0, framesDecoded: s.framesDecoded || 0,
                  frameWidth: s.frameWidth || 0, frameHeight: s.frameHeight || 0,
                  totalSamplesReceived: s.totalSamplesReceived || 0, audioLevel: s.audioLevel || 0
                });
              });
              return { at: performance.now(), connectionState: pc.connectionState, streams };
            })().then((r) => done(JSON.stringify(r)),
                      (e) => done(JSON.stringify({ at: performance.now(), error: String((e && e.stack) || e), streams: [] })));
            """;

    private InboundMedia() {
    }

    /** Samples the Prism demo client's subscriber connection. */
    public static Sample sample(ChromeBrowser browser) {
        return sample(browser, PRISM_SUBSCRIBER_PC, PRISM_PARTICIPANTS);
    }

    /**
     * Samples any RTCPeerConnection of the page.
     *
     * @param pcExpression JavaScript expression evaluating to the connection
     * @param participantsExpression JavaScript expression evaluating to the participants map, or {@code "null"}
     */
    public static Sample sample(ChromeBrowser browser, String pcExpression, String participantsExpression) {
        String script = SCRIPT.replace("%PC%", pcExpression).replace("%PARTICIPANTS%", participantsExpression);
        Object result = browser.asyncJs(script);
        return parse(browser.name(), String.valueOf(result));
    }

    /** Parses the script's JSON; a malformed answer becomes a sample with an error and no streams. Never throws. */
    static Sample parse(String browserName, String json) {
        try {
            JsonObject root = new JsonObject(json);
            List<Stream> streams = new ArrayList<>();
            JsonArray array = root.getJsonArray("streams", new JsonArray());
            for (int i = 0; i < array.size(); i++) {
                streams.add(stream(array.getJsonObject(i)));
            }
            return new Sample(browserName, root.getDouble("at", 0.0), root.getString("connectionState"),
                    root.getString("error"), List.copyOf(streams), json);
        } catch (RuntimeException e) { // DecodeException, ClassCastException on a wrong shape, NPE on null entries
            return new Sample(browserName, 0, null, "unparseable stats: " + e, List.of(), json);
        }
    }

    private static Stream stream(JsonObject s) {
        return new Stream(
                s.getString("kind"), s.getString("mid"), s.getLong("ssrc", 0L), s.getString("trackIdentifier"),
                s.getString("participantId"), s.getString("participantName"), s.getString("trackId"),
                s.getLong("packetsReceived", 0L), s.getLong("bytesReceived", 0L),
                s.getLong("packetsLost", 0L), s.getLong("framesDecoded", 0L),
                s.getInteger("frameWidth", 0), s.getInteger("frameHeight", 0),
                s.getLong("totalSamplesReceived", 0L), s.getDouble("audioLevel", 0.0));
    }

    /**
     * One {@code inbound-rtp} entry.
     *
     * @param kind "audio" or "video"
     * @param trackIdentifier id of the receiving MediaStreamTrack
     * @param participantId sender's participant id per the client's map, or null if unknown (e.g. after it left)
     * @param participantName sender's display name per the client's map, or null
     * @param trackId Prism track id per the client's map, or null
     * @param totalSamplesReceived audio only: samples decoded and played out
     * @param audioLevel audio only: 0..1
     */
    public record Stream(String kind, String mid, long ssrc, String trackIdentifier, String participantId,
            String participantName, String trackId, long packetsReceived, long bytesReceived, long packetsLost,
            long framesDecoded, int frameWidth, int frameHeight, long totalSamplesReceived, double audioLevel) {

        public boolean isVideo() {
            return "video".equals(kind);
        }

        public boolean isAudio() {
            return "audio".equals(kind);
        }
    }

    /**
     * One call of {@code getStats()}.
     *
     * @param browser name of the sampled browser
     * @param atMillis the page's {@code performance.now()} when sampled
     * @param connectionState the connection's state, or null if there was no connection
     * @param error why the sample is empty, or null
     * @param json the raw text returned by the page, for failure messages
     */
    public record Sample(String browser, double atMillis, String connectionState, String error, List<Stream> streams,
            String json) {

        /** The stream of {@code kind} sent by the participant named {@code participantName}, if any. */
        public Optional<Stream> from(String participantName, String kind) {
            return streams.stream()
                    .filter(s -> participantName.equals(s.participantName()) && kind.equals(s.kind()))
                    .findFirst();
        }

        /** The stream received on the MediaStreamTrack {@code trackIdentifier}, if any. */
        public Optional<Stream> byTrackIdentifier(String trackIdentifier) {
            return streams.stream().filter(s -> trackIdentifier.equals(s.trackIdentifier())).findFirst();
        }

        /** Video frames decoded from {@code participantName}; 0 when nothing was received yet. */
        public long framesDecodedFrom(String participantName) {
            return from(participantName, "video").map(Stream::framesDecoded).orElse(0L);
        }

        /** Audio packets received from {@code participantName}; 0 when nothing was received yet. */
        public long audioPacketsFrom(String participantName) {
            return from(participantName, "audio").map(Stream::packetsReceived).orElse(0L);
        }

        /** Whether any video stream has decoded at least one frame. */
        public boolean anyVideoDecoded() {
            return streams.stream().anyMatch(s -> s.isVideo() && s.framesDecoded() > 0);
        }

        @Override
        public String toString() {
            return "inbound stats of " + browser + ": " + json;
        }
    }
}
