package dev.prism.signaling.session;

import dev.prism.conference.ActiveSpeakers;
import dev.prism.conference.SpeakerDetector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code speakers} message (docs/PROTOCOL.md, "Active speakers"): who speaks now, loudest first, with a level in
 * 0..1, and the dominant speaker (null before anyone spoke). Sent by the server only, at most every ~300 ms and only
 * when who speaks or the dominant speaker changed. Pure; any thread.
 */
final class SpeakersMessage {
    private SpeakersMessage() {
    }

    static JsonObject of(ActiveSpeakers s) {
        JsonArray speakers = new JsonArray();
        for (SpeakerDetector.Speaker sp : s.speakers()) {
            speakers.add(new JsonObject().put("participantId", sp.participantId()).put("level", sp.level()));
        }
        return new JsonObject().put("type", "speakers").put("speakers", speakers).put("dominant", s.dominant());
    }
}
