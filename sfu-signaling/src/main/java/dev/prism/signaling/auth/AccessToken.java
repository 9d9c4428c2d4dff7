package dev.prism.signaling.auth;

import dev.prism.core.rtp.VideoCodec;
import dev.prism.core.text.ClientText;

/**
 * The claims of a Prism access token: who may join which room with which grants, and until when.
 * See docs/PROTOCOL.md ("Connecting") for the JWT form.
 *
 * @param room                  the room the holder may join; never blank
 * @param identity              the participant identity ({@code sub}); unique in the room, never blank
 * @param name                  display name, made display-safe with {@link ClientText#forDisplay} (bidi overrides,
 *                              controls and other format characters removed, so a name cannot reorder or hide the
 *                              text shown around it); {@code null}, or a name with nothing displayable left, is
 *                              replaced by the display-safe {@code identity}
 * @param canPublish            may publish tracks
 * @param canSubscribe          may receive other participants' tracks
 * @param issuedAtEpochSeconds  {@code iat}; 0 when a token read by {@link TokenService#verify} carries none
 * @param expiresAtEpochSeconds {@code exp}
 * @param videoCodec            the optional {@code codec} claim: the video codec the room gets if this join creates it
 *                              (null: the node's default; a room that exists keeps its own, see
 *                              {@link VideoCodec})
 * @param canData               may send in-room data messages ({@code canData} claim, default true)
 * @param audioTopN             the optional {@code audioTopN} claim: top-N audio for the room if this join creates it
 *                              (null: the node's setting; 0: off)
 * @param grants                sources, hidden, quality cap, room publisher limit ({@link TokenGrants});
 *                              {@link TokenGrants#DEFAULT} when the token carries none of those claims
 */
public record AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                          long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec,
                          boolean canData, Integer audioTopN, TokenGrants grants) {

    /** A token with the data grant (the default), no {@code audioTopN} claim and the default {@link TokenGrants}. */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, videoCodec,
                true, null);
    }

    /** A token with the default {@link TokenGrants}. */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec,
                       boolean canData, Integer audioTopN) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, videoCodec,
                canData, audioTopN, TokenGrants.DEFAULT);
    }

    /** A token with the data grant (the default) and no {@code audioTopN} claim. */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec,
                       TokenGrants grants) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, videoCodec,
                true, null, grants);
    }

    /** A token without an {@code audioTopN} claim. */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec, boolean canData) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, videoCodec,
                canData, null);
    }

    /** A token with the data grant (the default). */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds, VideoCodec videoCodec,
                       Integer audioTopN) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, videoCodec,
                true, audioTopN);
    }

    /** A token without a {@code codec} claim. */
    public AccessToken(String room, String identity, String name, boolean canPublish, boolean canSubscribe,
                       long issuedAtEpochSeconds, long expiresAtEpochSeconds) {
        this(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds, expiresAtEpochSeconds, null, true,
                null);
    }

    /** @throws IllegalArgumentException if room or identity is null or blank */
    public AccessToken {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("identity must not be blank");
        }
        name = displayName(name, identity);
        grants = grants == null ? TokenGrants.DEFAULT : grants;
    }

    /** The {@code hidden} grant: the others do not see the holder (default false). */
    public boolean hidden() {
        return grants.hidden();
    }

    /** This token with {@code g} as its grants (null: the defaults). */
    public AccessToken withGrants(TokenGrants g) {
        return new AccessToken(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds,
                expiresAtEpochSeconds, videoCodec, canData, audioTopN, g);
    }

    /** A token with both grants, issued at {@code nowEpochSeconds} and valid for {@code ttlSeconds}. */
    public static AccessToken grant(String room, String identity, String name, long nowEpochSeconds, long ttlSeconds) {
        return new AccessToken(room, identity, name, true, true, nowEpochSeconds, nowEpochSeconds + ttlSeconds);
    }

    /** This token with the {@code codec} claim set to {@code codec} (null removes it). */
    public AccessToken withVideoCodec(VideoCodec codec) {
        return new AccessToken(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds,
                expiresAtEpochSeconds, codec, canData, audioTopN, grants);
    }

    /** This token with the {@code canData} grant set. */
    public AccessToken withCanData(boolean data) {
        return new AccessToken(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds,
                expiresAtEpochSeconds, videoCodec, data, audioTopN, grants);
    }

    /** This token with the {@code audioTopN} claim set to {@code n} (null removes it). */
    public AccessToken withAudioTopN(Integer n) {
        return new AccessToken(room, identity, name, canPublish, canSubscribe, issuedAtEpochSeconds,
                expiresAtEpochSeconds, videoCodec, canData, n, grants);
    }

    private static String displayName(String name, String identity) {
        String shown = name == null ? "" : ClientText.forDisplay(name);
        if (shown.isEmpty()) {
            shown = ClientText.forDisplay(identity);
        }
        // An identity made only of format characters still needs a visible, unspoofable name: its escaped form.
        return shown.isEmpty() ? ClientText.forLog(identity) : shown;
    }
}
