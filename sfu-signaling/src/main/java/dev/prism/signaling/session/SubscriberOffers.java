package dev.prism.signaling.session;

import dev.prism.conference.ConferenceParticipant;
import dev.prism.conference.LocalTransport;
import dev.prism.conference.RemoteTransport;
import dev.prism.conference.SubscriberLine;
import dev.prism.conference.SubscriberOffer;
import dev.prism.signaling.sdp.LocalTransportInfo;
import dev.prism.signaling.sdp.NegotiationException;
import dev.prism.signaling.sdp.SdpParseException;
import dev.prism.signaling.sdp.SubscriberAnswer;
import dev.prism.signaling.sdp.SubscriberAnswerReader;
import dev.prism.signaling.sdp.SubscriberOfferWriter;
import dev.prism.signaling.sdp.SubscriberTrackLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The offer/answer bookkeeping of one participant's subscriber connection, where the server always offers: one offer
 * out at a time (numbered by {@code version}), changes made meanwhile marked dirty and offered once the answer
 * arrives, and the unanswered offer kept to send again (after a resume, or when a repair suspects it was lost).
 *
 * <p>Room loop only.
 */
final class SubscriberOffers {
    private final Consumer<JsonObject> send;
    private final BooleanSupplier joined;
    private ConferenceParticipant participant;
    private int version;
    private boolean outstanding;
    private boolean dirty;
    private List<SubscriberTrackLine> offeredLines = List.of();
    /** The subscriberOffer message still unanswered, re-sent on resume (the client may never have seen it). */
    private JsonObject outstandingOffer;

    /**
     * @param send   sends on the session's current socket
     * @param joined whether the session is joined with a live socket (offers wait while it is detached)
     */
    SubscriberOffers(Consumer<JsonObject> send, BooleanSupplier joined) {
        this.send = send;
        this.joined = joined;
    }

    void attach(ConferenceParticipant participant) {
        this.participant = participant;
    }

    /** The subscriptions changed: offer now, or once the outstanding offer is answered. */
    void changed() {
        dirty = true;
        offerIfNeeded();
    }

    /** The subscriber connection was replaced by a fresh one: the outstanding offer is void. */
    void renewed() {
        outstanding = false;
        outstandingOffer = null;
        offeredLines = List.of();
        changed();
    }

    /** After a resume: the unanswered offer again (the client may never have seen it), else any change pending. */
    void resumed() {
        if (outstandingOffer != null) {
            send.accept(outstandingOffer);
        } else {
            offerIfNeeded();
        }
    }

    /** A repair suspects the offer was lost: send it again, or a new one when none is out. */
    void resendOrOffer() {
        if (outstandingOffer != null) {
            send.accept(outstandingOffer);
        } else {
            changed();
        }
    }

    void offerIfNeeded() {
        if (!dirty || participant == null || !joined.getAsBoolean()) {
            return; // while detached the offer waits for the resume
        }
        if (outstanding) {
            return; // sent once the outstanding offer is answered
        }
        SubscriberOffer offer = OnLoop.value(participant.nextSubscriberOffer());
        if (offer == null) {
            return; // no subscriber connection yet
        }
        if (offer.lines().isEmpty()) {
            dirty = false;
            return;
        }
        List<SubscriberTrackLine> lines = new ArrayList<>(offer.lines().size());
        JsonArray tracks = new JsonArray();
        for (SubscriberLine s : offer.lines()) {
            lines.add(new SubscriberTrackLine(s.mid(), s.kind(), s.active(), s.ssrc(), s.rtxSsrc(),
                    s.active() ? s.publisherId() : "-", s.active() ? s.trackId() : "-"));
            if (s.active()) {
                tracks.add(new JsonObject().put("mid", s.mid()).put("trackId", s.trackId())
                        .put("participantId", s.publisherId()).put("kind", s.kind().sdpName()));
            }
        }
        version++;
        offeredLines = lines;
        outstanding = true;
        dirty = false;
        String sdp = SubscriberOfferWriter.offer(lines, localInfo(offer.local()), version,
                participant.room().videoCodec());
        outstandingOffer = new JsonObject().put("type", "subscriberOffer").put("version", version).put("sdp", sdp)
                .put("tracks", tracks);
        send.accept(outstandingOffer);
    }

    /** The client's {@code subscriberAnswer}: checked against the outstanding offer, then applied. */
    void onAnswer(JsonObject msg) throws SignalingError {
        String sdp = InboundMessage.requiredString(msg, "sdp");
        Integer answered = msg.getValue("version") instanceof Number v ? v.intValue() : null;
        SdpLimits.checkAnswer(sdp, outstanding && offeredLines != null ? offeredLines.size() : 0);
        if (!outstanding) {
            throw new SignalingError("out_of_order", "no subscriber offer is outstanding");
        }
        if (answered == null || answered != version) {
            throw new SignalingError("out_of_order", "answer for version " + answered + " but the outstanding offer is "
                    + version);
        }
        SubscriberAnswer answer;
        try {
            answer = SubscriberAnswerReader.read(sdp, offeredLines, participant.room().videoCodec());
        } catch (SdpParseException e) {
            throw new SignalingError("bad_sdp", "cannot parse the answer: " + e.getMessage());
        } catch (NegotiationException e) {
            throw new SignalingError(e.code(), e.getMessage());
        }
        outstanding = false;
        outstandingOffer = null;
        OnLoop.now(participant.applySubscriberAnswer(new RemoteTransport(answer.remoteIce(),
                answer.remoteFingerprint(), answer.remoteSetup()), answer.acceptedByMid()));
        if (dirty) {
            offerIfNeeded();
        }
    }

    static LocalTransportInfo localInfo(LocalTransport t) {
        return new LocalTransportInfo(t.ice(), t.fingerprint(), t.candidates());
    }
}
