package dev.prism.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A live change of a participant's permissions and/or metadata for {@link PrismApi#updateParticipant}:
 * {@code ParticipantUpdate.change().canPublish(false).metadata("{\"role\":\"listener\"}")}. What is not set stays as
 * it is (docs/API.md, "Permissions and metadata, live"). Immutable.
 */
public final class ParticipantUpdate {
    private final Map<String, Object> permissions;
    private final boolean metadataSet;
    private final String metadata;

    private ParticipantUpdate(Map<String, Object> permissions, boolean metadataSet, String metadata) {
        this.permissions = permissions;
        this.metadataSet = metadataSet;
        this.metadata = metadata;
    }

    /** An update that changes nothing yet. */
    public static ParticipantUpdate change() {
        return new ParticipantUpdate(Map.of(), false, null);
    }

    /** Grant or revoke publishing (revoking unpublishes its tracks). */
    public ParticipantUpdate canPublish(boolean allowed) {
        return permission("canPublish", allowed);
    }

    /** Grant or revoke receiving the others' tracks. */
    public ParticipantUpdate canSubscribe(boolean allowed) {
        return permission("canSubscribe", allowed);
    }

    /** Grant or revoke sending data messages. */
    public ParticipantUpdate canData(boolean allowed) {
        return permission("canData", allowed);
    }

    /** Set the participant's metadata (null clears it). */
    public ParticipantUpdate metadata(String text) {
        return new ParticipantUpdate(permissions, true, text);
    }

    private ParticipantUpdate permission(String grant, boolean allowed) {
        Map<String, Object> next = new LinkedHashMap<>(permissions);
        next.put(grant, allowed);
        return new ParticipantUpdate(Map.copyOf(next), metadataSet, metadata);
    }

    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!permissions.isEmpty()) {
            body.put("permissions", new java.util.TreeMap<>(permissions));
        }
        if (metadataSet) {
            body.put("metadata", metadata);
        }
        return body;
    }
}
