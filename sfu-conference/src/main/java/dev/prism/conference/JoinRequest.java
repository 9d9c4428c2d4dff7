package dev.prism.conference;

import java.util.Objects;

/**
 * Who joins which room, with which grants. Signaling builds it from a verified access token.
 *
 * @param displayName the name others see, already made display-safe by the caller
 */
public record JoinRequest(String roomId, String identity, String displayName, boolean canPublish,
                          boolean canSubscribe) {
    public JoinRequest {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(displayName, "displayName");
    }
}
