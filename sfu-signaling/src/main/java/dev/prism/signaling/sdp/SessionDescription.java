package dev.prism.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed SDP (RFC 8866) kept line by line: the session-level lines ({@code v=}, {@code o=}, {@code s=}, {@code t=},
 * session attributes...) and the media sections, each in the order written, so {@code parse(x).write()} gives back
 * {@code x} (with CRLF line ends). Interpretation of attributes belongs to the negotiators, not to this class.
 *
 * <p>Parsing accepts LF or CRLF line ends and skips blank lines. It checks the structure only: the first line is
 * {@code v=0}, every line is {@code <lower-case letter>=<value>} without control characters, {@code o=} and
 * {@code s=} are present, session-only types do not appear inside media sections, and m= lines are well formed.
 * Immutable and thread-safe.
 */
public final class SessionDescription {
    /** Upper bound on accepted SDP text, in chars: about 200 bundled Chrome video sections. */
    public static final int MAX_LENGTH = 1 << 20;

    private final List<SdpLine> lines;
    private final List<MediaSection> media;

    private SessionDescription(List<SdpLine> lines, List<MediaSection> media) {
        this.lines = List.copyOf(lines);
        this.media = List.copyOf(media);
    }

    /** The fields of the {@code o=} line. */
    public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                         String address) {
    }

    /**
     * Parses SDP text. Never throws anything but {@link SdpParseException} (null and empty input included).
     */
    public static SessionDescription parse(String sdp) throws SdpParseException {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpParseException(0, "empty SDP");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpParseException(0, "SDP longer than " + MAX_LENGTH + " chars");
        }
        List<SdpLine> session = new ArrayList<>();
        List<MediaSection> media = new ArrayList<>();
        SdpLine currentM = null;
        List<SdpLine> currentBody = new ArrayList<>();
        boolean first = true;
        int number = 0;
        int pos = 0;
        int len = sdp.length();
        while (pos < len) {
            int nl = sdp.indexOf('\n', pos);
            int end = nl < 0 ? len : nl;
            String raw = sdp.substring(pos, end);
            pos = end + 1;
            number++;
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            if (raw.isEmpty()) {
                continue;
            }
            SdpLine line = readLine(raw, number);
            if (first) {
                if (line.type() != 'v' || !line.value().equals("0")) {
                    throw new SdpParseException(number, "SDP must start with v=0, got '" + Tokens.snippet(raw) + "'");
                }
                first = false;
            } else if (line.type() == 'v') {
                throw new SdpParseException(number, "second v= line");
            }
            if (line.type() == 'm') {
                if (currentM != null) {
                    media.add(MediaSection.parse(currentM, currentBody));
                }
                currentM = line;
                currentBody = new ArrayList<>();
            } else if (currentM != null) {
                if ("osturzep".indexOf(line.type()) >= 0) {
                    throw new SdpParseException(number, "'" + line.type() + "=' is not allowed inside a media section");
                }
                currentBody.add(line);
            } else {
                session.add(line);
            }
        }
        if (currentM != null) {
            media.add(MediaSection.parse(currentM, currentBody));
        }
        SdpLine o = Lines.first(session, 'o');
        if (o == null) {
            throw new SdpParseException(0, "no o= line");
        }
        if (Tokens.split(o.value()).size() != 6) {
            throw new SdpParseException(o.number(), "o= line needs 6 fields: '" + Tokens.snippet(o.value()) + "'");
        }
        if (Lines.first(session, 's') == null) {
            throw new SdpParseException(0, "no s= line");
        }
        return new SessionDescription(session, media);
    }

    private static SdpLine readLine(String raw, int number) throws SdpParseException {
        char type = raw.charAt(0);
        if (raw.length() < 2 || raw.charAt(1) != '=' || type < 'a' || type > 'z') {
            throw new SdpParseException(number, "expected <type>=<value>, got '" + Tokens.snippet(raw) + "'");
        }
        for (int i = 2; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new SdpParseException(number, "control character 0x" + Integer.toHexString(c) + " in line");
            }
        }
        if (type == 'a' && (raw.length() == 2 || raw.charAt(2) == ':')) {
            throw new SdpParseException(number, "attribute without a name");
        }
        return SdpLine.parsed(type, raw.substring(2), number);
    }

    /** The SDP text: every line followed by CRLF. */
    public String write() {
        StringBuilder b = new StringBuilder(4096);
        for (SdpLine l : lines) {
            b.append(l).append("\r\n");
        }
        for (MediaSection m : media) {
            b.append(m.mLine()).append("\r\n");
            for (SdpLine l : m.lines()) {
                b.append(l).append("\r\n");
            }
        }
        return b.toString();
    }

    /** Session-level lines, in order (v=, o=, s=, t=, session attributes...). */
    public List<SdpLine> lines() {
        return lines;
    }

    /** Media sections in m= line order. */
    public List<MediaSection> media() {
        return media;
    }

    /** The o= line's fields. Present in every parsed description. */
    public Origin origin() {
        SdpLine o = Lines.first(lines, 'o');
        if (o == null) {
            return null;
        }
        List<String> f = Tokens.split(o.value());
        if (f.size() != 6) {
            return null;
        }
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    /** Session-level {@code a=} lines, in order. */
    public List<SdpLine> attributes() {
        return Lines.attributes(lines);
    }

    /** Session-level {@code a=<name>} lines, in order. */
    public List<SdpLine> attributes(String name) {
        return Lines.attributes(lines, name);
    }

    /** The first session-level {@code a=<name>} line, or null. */
    public SdpLine attributeLine(String name) {
        return Lines.firstAttribute(lines, name);
    }

    /** Value of the first session-level {@code a=<name>}, or null when absent or valueless. */
    public String attribute(String name) {
        SdpLine l = attributeLine(name);
        return l == null ? null : l.attributeValue();
    }

    public boolean hasAttribute(String name) {
        return attributeLine(name) != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return write();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDescription other && other.lines.equals(lines) && other.media.equals(media);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lines, media);
    }

    /**
     * Collects session-level lines and media sections in the order added. The first line must be {@code v=}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final List<SdpLine> lines = new ArrayList<>();
        private final List<MediaSection> media = new ArrayList<>();

        private Builder() {
        }

        public Builder line(SdpLine line) {
            if (!media.isEmpty()) {
                throw new IllegalStateException("session-level lines must come before the first media section");
            }
            if (line.type() == 'm') {
                throw new IllegalArgumentException("add media sections with media()");
            }
            if (lines.isEmpty() != (line.type() == 'v')) {
                throw new IllegalArgumentException("v= must be the first line and only the first");
            }
            lines.add(line);
            return this;
        }

        public Builder line(char type, String value) {
            return line(SdpLine.of(type, value));
        }

        /** Adds {@code a=name:value}, or {@code a=name} when {@code value} is null. */
        public Builder attribute(String name, String value) {
            return line(SdpLine.attribute(name, value));
        }

        public Builder media(MediaSection section) {
            media.add(Objects.requireNonNull(section));
            return this;
        }

        public SessionDescription build() {
            if (lines.isEmpty()) {
                throw new IllegalStateException("no v= line");
            }
            return new SessionDescription(lines, media);
        }
    }
}
