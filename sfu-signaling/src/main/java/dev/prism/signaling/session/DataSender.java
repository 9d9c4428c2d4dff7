package dev.prism.signaling.session;

import dev.prism.conference.ConferenceParticipant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A participant's {@code sendData} (docs/PROTOCOL.md, "Data messages"): checks the data grant, the size and the rate
 * ({@link DataLimits}), then relays ({@link DataMessages}); answers {@code dataAck} with how many received it and which
 * named identities are not in the room. Refusals are {@link SignalingError}s: one {@code error} to the sender, counted
 * and logged by the session like every refused request; the others see nothing.
 *
 * <p>Room loop only (the session's protocol runs there).
 */
final class DataSender {
    private final Supplier<ConferenceParticipant> participant;
    private final Consumer<JsonObject> send;
    private final SfuContext sfu;
    private final DataLimits limits;

    DataSender(Supplier<ConferenceParticipant> participant, Consumer<JsonObject> send, SfuContext sfu) {
        this.participant = participant;
        this.send = send;
        this.sfu = sfu;
        this.limits = new DataLimits(sfu.media().clock());
    }

    void onSendData(JsonObject msg, String requestId) throws SignalingError {
        ConferenceParticipant p = participant.get();
        if (!p.canData()) {
            sfu.dataCounters().refuse(DataCounters.Refusal.NOT_ALLOWED);
            throw new SignalingError("not_allowed", "this token does not grant sending data messages");
        }
        Set<String> to;
        try {
            to = DataMessages.check(msg.getValue("payload"), msg.getValue("to"));
        } catch (SignalingError e) {
            sfu.dataCounters().refuse(e.code().equals("data_too_large") ? DataCounters.Refusal.TOO_LARGE
                    : DataCounters.Refusal.BAD_REQUEST);
            throw e;
        }
        if (!limits.admit()) {
            sfu.dataCounters().refuse(DataCounters.Refusal.RATE_LIMITED);
            throw new SignalingError("data_rate_limited", "more than " + DataLimits.PER_SECOND
                    + " data messages a second (bursts of " + DataLimits.BURST + "): this one was not sent");
        }
        DataMessages.Relayed r = DataMessages.relay(sfu.roomSessions(), p.room(), p.id(), msg.getValue("payload"), to);
        sfu.dataCounters().relayed(r.delivered());
        if (requestId != null) {
            send.accept(new JsonObject().put("type", "dataAck").put("delivered", r.delivered())
                    .put("unknown", new JsonArray(r.unknown())).put("requestId", requestId));
        }
    }
}
