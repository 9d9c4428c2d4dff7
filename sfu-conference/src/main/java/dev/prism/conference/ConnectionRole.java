package dev.prism.conference;

/** A participant's two peer connections: the one it publishes on and the one it receives on. */
public enum ConnectionRole {
    PUBLISHER("publisher"),
    SUBSCRIBER("subscriber");

    private final String wireName;

    ConnectionRole(String wireName) {
        this.wireName = wireName;
    }

    /** The name docs/PROTOCOL.md uses ({@code publisher}, {@code subscriber}). */
    public String wireName() {
        return wireName;
    }

    /** The role named {@code name} on the wire, or null for any other text. */
    public static ConnectionRole fromWire(String name) {
        for (ConnectionRole r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
