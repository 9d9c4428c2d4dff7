package dev.prism.rtp.packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: the raw packet dump written by {@code dev.prism.server.capture.PacketCapture}, read back so that
 * the commented fixtures ({@link ChromiumRtp}, {@code ChromiumRtcp}) can be checked byte for byte against it.
 */
public final class CaptureFile {
    /** The Chromium 156 capture under src/test/resources. */
    public static final String CHROMIUM_156 = "/captures/chromium-156-packets.txt";

    /** "### pub RTP opus #2 (108 bytes)" followed by lines of hex. */
    private static final Pattern PACKET = Pattern.compile(
            "^### (.+?) \\((\\d+) bytes\\)\\n((?:[0-9a-f]{2}(?: [0-9a-f]{2})*\\n)+)", Pattern.MULTILINE);

    private CaptureFile() {
    }

    /** Every packet of the dump by its label, e.g. {@code "pub RTP opus #2"}, in file order. */
    public static Map<String, byte[]> packets(String resource) {
        String text;
        try (InputStream in = CaptureFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> packets = new LinkedHashMap<>();
        Matcher m = PACKET.matcher(text);
        while (m.find()) {
            byte[] bytes = HexFormat.of().parseHex(m.group(3).replaceAll("\\s+", ""));
            if (bytes.length != Integer.parseInt(m.group(2))) {
                throw new IllegalStateException(m.group(1) + ": header says " + m.group(2) + " bytes, hex has "
                        + bytes.length);
            }
            packets.put(m.group(1), bytes);
        }
        return packets;
    }
}
