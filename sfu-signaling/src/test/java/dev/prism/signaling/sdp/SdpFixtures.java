package dev.prism.signaling.sdp;

import dev.prism.core.rtp.DtlsFingerprint;
import dev.prism.core.rtp.IceCandidate;
import dev.prism.core.rtp.IceParameters;
import dev.prism.core.rtp.MediaKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Captured SDP (see test resources sdp/CAPTURED.md), Prism's transport, and text edits for negative cases. */
final class SdpFixtures {
    private SdpFixtures() {
    }

    static final String CHROME_OFFER = "chrome-offer.sdp";
    static final String CHROME_OFFER_SIMULCAST = "chrome-offer-simulcast.sdp";
    static final String CHROME_OFFER_DATACHANNEL = "chrome-offer-datachannel-gathered.sdp";
    static final String PRISM_OFFER = "prism-offer-for-chrome.sdp";
    static final String PRISM_REOFFER = "prism-reoffer-for-chrome.sdp";
    static final String CHROME_ANSWER = "chrome-answer-to-prism-offer.sdp";
    static final String CHROME_REANSWER = "chrome-answer-to-prism-reoffer.sdp";
    static final String FIREFOX_ANSWER = "firefox-answer-to-prism-offer.sdp";
    static final String FIREFOX_REANSWER = "firefox-answer-to-prism-reoffer.sdp";

    static final List<String> ALL = List.of(CHROME_OFFER, CHROME_OFFER_SIMULCAST, CHROME_OFFER_DATACHANNEL,
            PRISM_OFFER, PRISM_REOFFER, CHROME_ANSWER, CHROME_REANSWER, FIREFOX_ANSWER, FIREFOX_REANSWER,
            "firefox-publish-offer-plain.sdp", "firefox-publish-offer-simulcast.sdp",
            "firefox-publish-offer-datachannel.sdp", "firefox-publish-offer-sdk-live.sdp",
            "firefox-answer-to-prism-live-subscriber-offer.sdp", "prism-live-subscriber-offer-as-firefox-holds-it.sdp");

    /** The transport used to write the prism-*-for-chrome.sdp files. */
    static final LocalTransportInfo LOCAL = new LocalTransportInfo(
            new IceParameters("prsm", "prismIceLitePassword0123"),
            new DtlsFingerprint("sha-256",
                    "3C:4F:8E:2A:91:D0:55:67:AB:CD:EF:01:23:45:67:89:9A:BC:DE:F0:11:22:33:44:55:66:77:88:99:AA:BB:CC"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host")));

    /** The lines of prism-offer-for-chrome.sdp (version 1). */
    static final List<SubscriberTrackLine> OFFER_LINES = List.of(
            SubscriberTrackLine.active("0", MediaKind.AUDIO, 11111111L, 0, "alice-1", "alice-1:0"),
            SubscriberTrackLine.active("1", MediaKind.VIDEO, 22222222L, 33333333L, "alice-1", "alice-1:1"),
            SubscriberTrackLine.inactive("2", MediaKind.VIDEO));

    /** The lines of prism-reoffer-for-chrome.sdp (version 2). */
    static final List<SubscriberTrackLine> REOFFER_LINES = List.of(
            SubscriberTrackLine.active("0", MediaKind.AUDIO, 11111111L, 0, "alice-1", "alice-1:0"),
            SubscriberTrackLine.inactive("1", MediaKind.VIDEO),
            SubscriberTrackLine.active("2", MediaKind.VIDEO, 44444444L, 55555555L, "bob-2", "bob-2:1"),
            SubscriberTrackLine.active("3", MediaKind.AUDIO, 66666666L, 0, "bob-2", "bob-2:0"));

    static String resource(String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of an SDP text without terminators. */
    static List<String> lines(String sdp) {
        List<String> out = new ArrayList<>();
        for (String l : sdp.split("\r?\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    /** Joins lines with CRLF, each terminated. */
    static String sdp(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append("\r\n");
        }
        return b.toString();
    }

    static String sdp(String... lines) {
        return sdp(List.of(lines));
    }

    /** {@code sdp} without every line that starts with {@code prefix}. */
    static String drop(String sdp, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : lines(sdp)) {
            if (!l.startsWith(prefix)) {
                out.add(l);
            }
        }
        return sdp(out);
    }

    /** Replaces every line equal to {@code line} by {@code replacement} lines (none to delete). */
    static String replaceLine(String sdp, String line, String... replacement) {
        List<String> out = new ArrayList<>();
        for (String l : lines(sdp)) {
            if (l.equals(line)) {
                out.addAll(List.of(replacement));
            } else {
                out.add(l);
            }
        }
        return sdp(out);
    }

    /** Lines of {@code sdp} starting with {@code prefix}. */
    static List<String> linesStarting(String sdp, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : lines(sdp)) {
            if (l.startsWith(prefix)) {
                out.add(l);
            }
        }
        return out;
    }

    /** The lines of the media section with {@code a=mid:<mid>}, m= line first. */
    static List<String> section(String sdp, String mid) {
        List<String> current = null;
        for (String l : lines(sdp)) {
            if (l.startsWith("m=")) {
                if (current != null && current.contains("a=mid:" + mid)) {
                    return current;
                }
                current = new ArrayList<>();
            }
            if (current != null) {
                current.add(l);
            }
        }
        if (current != null && current.contains("a=mid:" + mid)) {
            return current;
        }
        throw new AssertionError("no section with mid " + mid);
    }
}
