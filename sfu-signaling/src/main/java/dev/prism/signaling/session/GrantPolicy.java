package dev.prism.signaling.session;

import dev.prism.conference.ParticipantGrants;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.room.TrackSource;
import dev.prism.rtp.alloc.QualityCap;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenGrants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Map;

/**
 * What a session's token grants beyond publish and subscribe ({@link TokenGrants}), enforced where signaling decides:
 * which sources a {@code publishOffer} may carry, whether a hidden participant may publish, and what the conference is
 * told at the join (hidden, quality cap, the room's publisher limit). Refusals are {@link SignalingError}s with code
 * {@code not_allowed} (one bounded metric label, counted by the session's rejection path); nothing of a refused offer
 * is applied. Pure functions; any thread.
 */
final class GrantPolicy {
    static final String CODE = "not_allowed";

    private GrantPolicy() {
    }

    /** The conference's view of the token's grants. */
    static ParticipantGrants joinGrants(AccessToken token) {
        TokenGrants g = token.grants();
        return new ParticipantGrants(g.hidden(), new QualityCap(g.maxVideoHeight(), g.maxBitrateBps()),
                g.roomMaxPublishers());
    }

    /**
     * Before an offer is read: a hidden participant publishes nothing (the others could not be told whose tracks
     * they receive).
     */
    static void checkMayPublish(AccessToken token) throws SignalingError {
        if (token.hidden()) {
            throw new SignalingError(CODE, "a hidden participant may not publish");
        }
    }

    /**
     * Each m-line the answer accepts, by its declared source (undeclared: microphone or camera by kind), must be a
     * source the token grants.
     *
     * @throws SignalingError {@code not_allowed} naming the first source not granted
     */
    static void checkSources(AccessToken token, Map<String, TrackSource> declared,
                             Collection<MediaDescription> accepted) throws SignalingError {
        TokenGrants g = token.grants();
        for (MediaDescription d : accepted) {
            TrackSource s = declared.get(d.mid());
            if (s == null) {
                s = d.kind() == dev.prism.core.rtp.MediaKind.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA;
            }
            if (!g.allows(s)) {
                throw new SignalingError(CODE, "this token does not grant publishing source '" + s.wireName()
                        + "' (granted: " + granted(g) + ")");
            }
        }
    }

    /** The {@code grants} of {@code welcome}: what the client may do, so an SDK can hide what it cannot. */
    static JsonObject toJson(AccessToken token) {
        TokenGrants g = token.grants();
        JsonArray sources = new JsonArray();
        for (TrackSource s : TrackSource.values()) {
            if (g.allows(s)) {
                sources.add(s.wireName());
            }
        }
        JsonObject o = new JsonObject().put("canPublish", token.canPublish() && !g.hidden())
                .put("canSubscribe", token.canSubscribe()).put("sources", sources).put("canData", token.canData())
                .put("hidden", g.hidden());
        if (g.maxVideoHeight() > 0) {
            o.put("maxVideo", new JsonObject().put("height", g.maxVideoHeight()));
        }
        if (g.maxBitrateBps() > 0) {
            o.put("maxBitrate", g.maxBitrateBps());
        }
        return o;
    }

    private static String granted(TokenGrants g) {
        StringBuilder b = new StringBuilder();
        for (TrackSource s : TrackSource.values()) {
            if (g.allows(s)) {
                b.append(b.length() == 0 ? "" : ", ").append(s.wireName());
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
