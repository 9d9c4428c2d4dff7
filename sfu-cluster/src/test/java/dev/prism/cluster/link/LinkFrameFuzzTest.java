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
 *
 * <p>{@link #splitAndJoin}: any text (the input as UTF-8, malformed bytes replaced) split by
 * {@link FrameCodec#encodeMessage} with a body limit the first two bytes pick (1024-1279): every frame is within the
 * limit, reads back as data-part frames then one data frame, and the parts join to the text.
 */
class LinkFrameFuzzTest {
    private static final int MAX_BODY = LinkFrameCodecTest.MAX;

    @FuzzTest
    void splitAndJoin(byte[] input) throws Exception {
        if (input.length < 2) {
            return;
        }
        int maxBody = 1024 + (input[0] & 0xff);
        String text = new String(input, 2, input.length - 2, java.nio.charset.StandardCharsets.UTF_8).repeat(1 + (input[1] & 7));
        Buffer stream = Buffer.buffer();
        for (Buffer frame : FrameCodec.encodeMessage(3, text, maxBody)) {
            assertThat(frame.length() - FrameCodec.HEADER_BYTES).isLessThanOrEqualTo(maxBody);
            stream.appendBuffer(frame);
        }
        List<LinkFrame> frames = new ArrayList<>();
        List<LinkProtocolException> errors = new ArrayList<>();
        new FrameReader(maxBody, frames::add, errors::add).handle(stream);
        assertThat(errors).isEmpty();
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < frames.size(); i++) {
            LinkFrame.Data d = (LinkFrame.Data) frames.get(i);
            assertThat(d.more()).isEqualTo(i < frames.size() - 1);
            joined.append(d.text());
        }
        assertThat(joined.toString()).isEqualTo(text);
    }

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
