package dev.prism.core.rtp;

/**
 * One {@code a=rtcp-fb} entry: {@code type} such as "nack", "ccm", "goog-remb", "transport-cc"; {@code parameter}
 * such as "pli" or "fir", or empty.
 */
public record RtcpFeedback(String type, String parameter) {
    public RtcpFeedback {
        parameter = parameter == null ? "" : parameter;
    }

    @Override
    public String toString() {
        return parameter.isEmpty() ? type : type + " " + parameter;
    }
}
