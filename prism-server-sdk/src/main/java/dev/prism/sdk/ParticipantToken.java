package dev.prism.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A participant's access token being built; {@link #mint()} signs it. Claims (docs/PROTOCOL.md, "Connecting"):
 * {@code room}, {@code sub} (identity), {@code name}, {@code canPublish}, {@code canSubscribe}, {@code iat},
 * {@code exp}, {@code codec}, {@code canData}, written in that order (the order Prism's own TokenService writes, so
 * the same grants give the same bytes). Grants the node knows later are set with {@link #claim}.
 *
 * <p>Not thread-safe: build and mint on one thread. Obtained from {@link PrismTokens#participant}.
 */
public final class ParticipantToken {
    private static final Set<String> RESERVED = Set.of("room", "sub", "name", "canPublish", "canSubscribe", "iat",
            "exp", "nbf", "codec", "canData", "roomAdmin");

    private final PrismTokens tokens;
    private final String room;
    private final String identity;
    private String name;
    private boolean canPublish = true;
    private boolean canSubscribe = true;
    private boolean canData = true;
    private String codec;
    private Duration ttl = PrismTokens.DEFAULT_PARTICIPANT_TTL;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    ParticipantToken(PrismTokens tokens, String room, String identity) {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("a token needs a room");
        }
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a token needs an identity");
        }
        this.tokens = tokens;
        this.room = room;
        this.identity = identity;
    }

    /** The display name others see (default: the identity). */
    public ParticipantToken name(String displayName) {
        this.name = displayName;
        return this;
    }

    /** May publish tracks (default true). */
    public ParticipantToken canPublish(boolean allowed) {
        this.canPublish = allowed;
        return this;
    }

    /** May receive the others' tracks (default true). */
    public ParticipantToken canSubscribe(boolean allowed) {
        this.canSubscribe = allowed;
        return this;
    }

    /** May send in-room data messages (default true). */
    public ParticipantToken canData(boolean allowed) {
        this.canData = allowed;
        return this;
    }

    /** The video codec of the room if this join creates it: {@code "vp8"} or {@code "h264"}; null for the node's. */
    public ParticipantToken codec(String videoCodec) {
        if (videoCodec != null && !videoCodec.equals("vp8") && !videoCodec.equals("h264")) {
            throw new IllegalArgumentException("codec must be vp8 or h264");
        }
        this.codec = videoCodec;
        return this;
    }

    /** How long the token is valid from now (default {@link PrismTokens#DEFAULT_PARTICIPANT_TTL}). */
    public ParticipantToken ttl(Duration lifetime) {
        PrismTokens.positiveSeconds(lifetime);
        this.ttl = lifetime;
        return this;
    }

    /**
     * Another claim, for grants this SDK has no method for (written after the known ones; JSON-able values only).
     *
     * @throws IllegalArgumentException for a claim this builder writes itself
     */
    public ParticipantToken claim(String claimName, Object value) {
        if (claimName == null || RESERVED.contains(claimName)) {
            throw new IllegalArgumentException("claim '" + claimName + "' is set by its own method");
        }
        Json.write(value); // refuses a value JSON cannot hold now, not at mint
        extra.put(claimName, value);
        return this;
    }

    /** The signed JWT. */
    public String mint() {
        long now = tokens.nowEpochSeconds();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("room", room);
        claims.put("sub", identity);
        if (name != null) {
            claims.put("name", name);
        }
        claims.put("canPublish", canPublish);
        claims.put("canSubscribe", canSubscribe);
        claims.put("iat", now);
        claims.put("exp", now + PrismTokens.positiveSeconds(ttl));
        if (codec != null) {
            claims.put("codec", codec);
        }
        if (!canData) {
            claims.put("canData", false); // absent means granted, as the node writes it
        }
        claims.putAll(extra);
        return tokens.sign(claims);
    }
}
