package dev.prism.signaling.session;

import java.util.List;
import java.util.Set;

/**
 * The message types a client may send (docs/PROTOCOL.md, "Client -> server"), and the bounded metric label each
 * counts under: a known type under its own name, anything else under {@link #UNKNOWN}. A client sending 20,000
 * distinct types therefore adds no counter key. Pure; any thread.
 */
public final class MessageTypes {
    /** The label every type not in {@link #KNOWN} is counted under. */
    public static final String UNKNOWN = "unknown";

    /** Every type of docs/PROTOCOL.md a client sends, in the order the document lists them. */
    public static final List<String> KNOWN = List.of("publishOffer", "subscriberAnswer", "mute", "getState",
            "iceRestart", "repairTrack", "trackPreferences", "connectionInfo", "leave", "ping", "sendData");

    private static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

    private MessageTypes() {
    }

    /** The metric label of {@code type}: itself when known, {@link #UNKNOWN} otherwise. */
    public static String label(String type) {
        return type != null && KNOWN_SET.contains(type) ? type : UNKNOWN;
    }
}
