package dev.prism.signaling.sdp;

/**
 * SDP text that cannot be read: not {@code <type>=<value>} lines, missing {@code v=0}, a malformed m= line, or an
 * attribute Prism interprets (rtpmap, extmap, ssrc...) with an unreadable value. The message names the 1-based line
 * number and the problem, e.g. {@code "line 8: bad port 'x9' in m= line"}; line 0 means the whole text.
 */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String problem;

    public SdpParseException(int line, String problem) {
        super(line > 0 ? "line " + line + ": " + problem : problem);
        this.line = line;
        this.problem = problem;
    }

    /** 1-based line number of the offending line, or 0 when the problem concerns the whole text. */
    public int line() {
        return line;
    }

    /** The problem without the line prefix. */
    public String problem() {
        return problem;
    }
}
