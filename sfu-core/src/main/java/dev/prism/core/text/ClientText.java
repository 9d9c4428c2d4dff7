package dev.prism.core.text;

/**
 * Text a client sent, made safe for the two places Prism shows it: a log line and a human's screen.
 *
 * <p>{@link #forLog} keeps a log line one line and bounded: control characters (newlines included), bidi controls and
 * anything past a length cap are escaped or cut, so a client cannot forge a well-formed line or flood the log.
 * {@link #forDisplay} keeps a name readable as the sender typed it, minus what could spoof its direction or layout.
 * Pure functions; any thread.
 */
public final class ClientText {
    /** Characters of client text a log line shows; the rest is cut with a marker saying how much. */
    public static final int LOG_LIMIT = 120;

    private ClientText() {
    }

    /**
     * A log-safe rendering of client text: at most {@link #LOG_LIMIT} characters of it, every control, format or bidi
     * character written as {@code \\uXXXX} ({@code \\n}, {@code \\r}, {@code \\t} by name), backslashes doubled. {@code null}
     * reads {@code null}.
     */
    public static String forLog(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = Math.min(text.length(), LOG_LIMIT);
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > LOG_LIMIT) {
            out.append("...(+").append(text.length() - LOG_LIMIT).append(" chars)");
        }
        return out.toString();
    }

    /**
     * A display-safe rendering of a name: control and bidi/format characters (right-to-left override and friends,
     * zero-width joiners excepted as emoji need them) removed, surrounding whitespace trimmed. HTML escaping stays
     * the renderer's job.
     */
    public static String forDisplay(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u200d' || !isUnsafe(c)) {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    /** ISO controls, Unicode format characters (bidi embeddings, overrides, isolates, marks), line/paragraph separators. */
    static boolean isUnsafe(char c) {
        if (Character.isISOControl(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
