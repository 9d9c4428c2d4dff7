package dev.prism.conference;

import dev.prism.core.rtp.MediaDescription;
import java.util.List;
import java.util.Objects;

/**
 * Signaling's answer to a publisher's offer, as a pure function of Prism's local transport. The conference calls it on
 * the room's loop inside {@link ConferenceParticipant#publish}, once, or twice when the offer restarts ICE (the second
 * time with fresh local credentials), so negotiation, ICE restart and publication are one step on that loop.
 *
 * @param <A> whatever signaling wants back (the answer SDP, refusals): the conference passes it through untouched
 */
@FunctionalInterface
public interface PublishNegotiation<A> {
    /**
     * @throws Exception to refuse the offer; the publish future fails with it unchanged (nothing was published)
     */
    Negotiated<A> negotiate(LocalTransport local) throws Exception;

    /**
     * @param remote   the publisher's transport parameters
     * @param accepted one per m-line Prism receives on, in m-line order (payload types, extension ids, encodings)
     */
    record Negotiated<A>(A answer, RemoteTransport remote, List<MediaDescription> accepted) {
        public Negotiated {
            Objects.requireNonNull(remote, "remote");
            accepted = List.copyOf(accepted);
        }
    }
}
