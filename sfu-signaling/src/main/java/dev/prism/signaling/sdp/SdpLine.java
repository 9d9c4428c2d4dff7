package dev.prism.signaling.sdp;

import java.util.Objects;

/**
 * One {@code <type>=<value>} line of an SDP, kept as written so that a parsed description writes back unchanged.
 * For attribute lines ({@code a=}) {@link #attributeName()} and {@link #attributeValue()} split the value at the first
 * colon: {@code a=rtcp-mux} has no value (null), {@code a=msid-semantic: WMS x} has value {@code "WMS x"} (leading
 * blanks trimmed; the raw text keeps them). Immutable. Equality ignores the source line number.
 */
public final class SdpLine {
    private final char type;
    private final String value;
    private final int number;
    private final String attributeName;
    private final String attributeValue;

    private SdpLine(char type, String value, int number) {
        this.type = type;
        this.value = value;
        this.number = number;
        if (type == 'a') {
            int colon = value.indexOf(':');
            this.attributeName = colon < 0 ? value : value.substring(0, colon);
            this.attributeValue = colon < 0 ? null : value.substring(colon + 1).stripLeading();
        } else {
            this.attributeName = null;
            this.attributeValue = null;
        }
    }

    /** A line read from text at 1-based line {@code number}. */
    static SdpLine parsed(char type, String value, int number) {
        return new SdpLine(type, value, number);
    }

    /** A line built in code (line number 0). {@code type} is a lower-case letter; {@code value} has no line break. */
    public static SdpLine of(char type, String value) {
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("SDP line type must be a lower-case letter: " + type);
        }
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("SDP line value contains a line break: " + value);
        }
        return new SdpLine(type, value, 0);
    }

    /** {@code a=name} when {@code value} is null, else {@code a=name:value}. */
    public static SdpLine attribute(String name, String value) {
        if (name.isEmpty() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad attribute name: " + name);
        }
        return of('a', value == null ? name : name + ":" + value);
    }

    public char type() {
        return type;
    }

    /** Everything after {@code <type>=}, exactly as read or built. */
    public String value() {
        return value;
    }

    /** 1-based line number in the parsed text, 0 for lines built in code. */
    public int number() {
        return number;
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** For {@code a=} lines the name before the first colon; null for other types. */
    public String attributeName() {
        return attributeName;
    }

    /** For {@code a=} lines the value after the first colon (leading blanks trimmed), null when there is none. */
    public String attributeValue() {
        return attributeValue;
    }

    /** The line without terminator, e.g. {@code a=mid:0}. */
    @Override
    public String toString() {
        return type + "=" + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdpLine other && other.type == type && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return type * 31 + value.hashCode();
    }
}
