package dev.prism.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One media section: the {@code m=} line (media, port, protocol, formats) and every line after it up to the next
 * {@code m=}, in order. Immutable; build new ones with {@link #builder}. Port 0 marks a rejected (or recycled) section.
 */
public final class MediaSection {
    private final SdpLine mLine;
    private final String media;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    private final List<SdpLine> lines;

    MediaSection(SdpLine mLine, String media, int port, String protocol, List<String> formats, List<SdpLine> lines) {
        this.mLine = mLine;
        this.media = media;
        this.port = port;
        this.protocol = protocol;
        this.formats = List.copyOf(formats);
        this.lines = List.copyOf(lines);
    }

    /**
     * Reads the value of an {@code m=} line: {@code <media> <port>[/<count>] <proto> <fmt> ...}.
     * {@code body} holds the section's other lines in order.
     */
    static MediaSection parse(SdpLine mLine, List<SdpLine> body) throws SdpParseException {
        List<String> tokens = Tokens.split(mLine.value());
        if (tokens.size() < 4) {
            throw new SdpParseException(mLine.number(), "m= line needs media, port, protocol and at least one format: '"
                    + Tokens.snippet(mLine.value()) + "'");
        }
        String portToken = tokens.get(1);
        int slash = portToken.indexOf('/');
        int port = Tokens.parsePort(slash < 0 ? portToken : portToken.substring(0, slash));
        if (port < 0 || (slash >= 0 && Tokens.parseUnsigned(portToken.substring(slash + 1), 65535) < 1)) {
            throw new SdpParseException(mLine.number(), "bad port '" + Tokens.snippet(portToken) + "' in m= line");
        }
        return new MediaSection(mLine, tokens.get(0), port, tokens.get(2), tokens.subList(3, tokens.size()), body);
    }

    /** Starts a section {@code m=<media> <port> <protocol> <formats...>}. */
    public static Builder builder(String media, int port, String protocol, List<String> formats) {
        return new Builder(media, port, protocol, formats);
    }

    /** "audio", "video", "application", ... as written. */
    public String media() {
        return media;
    }

    public int port() {
        return port;
    }

    /**
     * True when the port is 0 without {@code a=bundle-only}: the section is rejected or a recycled slot. A port-0
     * section with {@code a=bundle-only} is not rejected: whoever reads it decides whether it is bundled (it must be
     * named by the BUNDLE group) and rejects it otherwise.
     */
    public boolean isRejected() {
        return port == 0 && !isBundleOnly();
    }

    /** True with {@code a=bundle-only}: the section may only be used bundled (RFC 8843 section 6). */
    public boolean isBundleOnly() {
        return hasAttribute("bundle-only");
    }

    /** e.g. "UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP". */
    public String protocol() {
        return protocol;
    }

    /** The m= line's formats (payload types for RTP), in order. */
    public List<String> formats() {
        return formats;
    }

    /** The m= line itself. */
    public SdpLine mLine() {
        return mLine;
    }

    /** Every line after the m= line, in order. */
    public List<SdpLine> lines() {
        return lines;
    }

    /** Every {@code a=} line, in order. */
    public List<SdpLine> attributes() {
        return Lines.attributes(lines);
    }

    /** Every {@code a=<name>} line, in order. */
    public List<SdpLine> attributes(String name) {
        return Lines.attributes(lines, name);
    }

    /** The first {@code a=<name>} line, or null. */
    public SdpLine attributeLine(String name) {
        return Lines.firstAttribute(lines, name);
    }

    /** The value of the first {@code a=<name>}, or null when absent or when it has no value. */
    public String attribute(String name) {
        SdpLine l = attributeLine(name);
        return l == null ? null : l.attributeValue();
    }

    public boolean hasAttribute(String name) {
        return attributeLine(name) != null;
    }

    /** {@code a=mid} value, or null. */
    public String mid() {
        return attribute("mid");
    }

    @Override
    public String toString() {
        return mLine.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaSection other && other.mLine.equals(mLine) && other.lines.equals(lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mLine, lines);
    }

    /** Collects a section's lines in the order added. Not thread-safe. */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String protocol;
        private final List<String> formats;
        private final List<SdpLine> lines = new ArrayList<>();

        private Builder(String media, int port, String protocol, List<String> formats) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (formats.isEmpty()) {
                throw new IllegalArgumentException("an m= line needs at least one format");
            }
            this.media = Tokens.requireToken(media, "media");
            this.port = port;
            this.protocol = Tokens.requireToken(protocol, "protocol");
            this.formats = List.copyOf(formats);
            for (String f : this.formats) {
                Tokens.requireToken(f, "format");
            }
        }

        public Builder line(SdpLine line) {
            if (line.type() == 'm') {
                throw new IllegalArgumentException("m= lines start a new section");
            }
            lines.add(line);
            return this;
        }

        public Builder line(char type, String value) {
            return line(SdpLine.of(type, value));
        }

        /** Adds {@code a=name:value}. */
        public Builder attribute(String name, String value) {
            return line(SdpLine.attribute(name, value));
        }

        /** Adds a property attribute {@code a=name}. */
        public Builder flag(String name) {
            return line(SdpLine.attribute(name, null));
        }

        public MediaSection build() {
            String value = media + " " + port + " " + protocol + " " + String.join(" ", formats);
            return new MediaSection(SdpLine.of('m', value), media, port, protocol, formats, lines);
        }
    }
}
