package dev.prism.cluster.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target (docs/FUZZING.md): bytes from a link connection through {@link FrameReader} (the Vert.x
 * {@code RecordParser} framing and {@link FrameCodec}'s header and body checks), as a peer would send them before or
 * after authentication. The first input byte picks the chunk size the rest is fed in (1-16 bytes, or all at once), so
 * the header/body state machine is split everywhere. Expected: frames, then at most one {@link LinkProtocolException}
 * with a reason, after which nothing more is read; every frame re-encodes to bytes that decode back equal; nothing
 * else is thrown. Seeds: LinkFrameFuzzTestInputs/ (one of each frame type, a stream of them, bad headers).
 */
class LinkFrameFuzzTest {
    private static final int MAX_BODY = LinkFrameCodecTest.MAX;

    @FuzzTest
    void read(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int chunk = (input[0] & 0x1f) >= 16 ? Integer.MAX_VALUE : (input[0] & 0x0f) + 1;
        List<LinkFrame> frames = new ArrayList<>();
        List<LinkProtocolException> errors = new ArrayList<>();
        FrameReader reader = new FrameReader(MAX_BODY, frames::add, errors::add);
        for (int i = 1; i < input.length; i += Math.min(chunk, input.length)) {
            int end = (int) Math.min(input.length, (long) i + chunk);
            reader.handle(Buffer.buffer(Arrays.copyOfRange(input, i, end)));
        }
        assertThat(errors.size()).isLessThanOrEqualTo(1);
        if (!errors.isEmpty()) {
            assertThat(errors.get(0).reason()).isNotNull();
            assertThat(reader.stopped()).isTrue();
        }
        for (LinkFrame frame : frames) {
            Buffer bytes = FrameCodec.encode(frame);
            assertThat(bytes.length() - FrameCodec.HEADER_BYTES).isLessThanOrEqualTo(MAX_BODY);
            List<LinkFrame> again = LinkFrameCodecTest.readAll(bytes.getBytes(), bytes.length());
            assertThat(again).containsExactly(frame);
        }
    }
}
