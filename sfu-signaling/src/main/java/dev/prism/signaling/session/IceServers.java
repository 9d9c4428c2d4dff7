package dev.prism.signaling.session;

import dev.prism.signaling.auth.TurnCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The ICE servers a participant is told to use ({@code welcome.iceServers} and the {@code iceServers} message,
 * docs/PROTOCOL.md): the node's TURN URLs in one RTCIceServer entry, with credentials minted for that participant by
 * {@link TurnCredentials} (so each participant's credential names its own identity and expires). Empty when no TURN
 * server is configured. Immutable and thread-safe.
 */
public final class IceServers {
    /** No TURN server: every participant gets an empty list. */
    public static final IceServers NONE = new IceServers(List.of(), null);

    private final List<String> urls;
    private final TurnCredentials credentials;

    /**
     * @param urls        the TURN URLs ({@code PrismConfig.turnUrls()}, already checked); not empty
     * @param credentials signs each participant's credential
     */
    public static IceServers turn(List<String> urls, TurnCredentials credentials) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("TURN needs at least one URL");
        }
        return new IceServers(List.copyOf(urls), Objects.requireNonNull(credentials, "credentials"));
    }

    private IceServers(List<String> urls, TurnCredentials credentials) {
        this.urls = urls;
        this.credentials = credentials;
    }

    /** The {@code iceServers} array for {@code identity}, with a credential minted now. */
    JsonArray forParticipant(String identity) {
        JsonArray out = new JsonArray();
        if (credentials == null) {
            return out;
        }
        TurnCredentials.Credential c = credentials.mint(identity);
        return out.add(new JsonObject().put("urls", new JsonArray(urls)).put("username", c.username())
                .put("credential", c.password()));
    }

    /**
     * When to send fresh credentials after handing some out: once three quarters of their lifetime have passed, so the
     * client always holds credentials with a quarter of it left for an ICE restart. Negative when there is nothing to
     * refresh.
     */
    long refreshAfterNanos() {
        return credentials == null ? -1 : TimeUnit.SECONDS.toNanos(credentials.ttlSeconds()) / 4 * 3;
    }
}
