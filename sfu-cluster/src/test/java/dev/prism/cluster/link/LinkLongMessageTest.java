package dev.prism.cluster.link;

import static dev.prism.cluster.link.OpenedChannel.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Messages longer than one frame on real loopback links: split into data-part frames, reassembled in order on their
 * channel while other channels flow, and refused on their channel alone beyond {@link LinkSettings#maxMessageBytes()}.
 * Before the split existed, a message over {@code maxFrameBytes} closed the whole connection (every channel: 4700).
 */
class LinkLongMessageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final LinkNodes NODES = new LinkNodes();

    /** At least {@code bytes} UTF-8 bytes of 1-, 2-, 3- and 4-byte characters, so frame cuts fall inside characters. */
    static String mixedText(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        int n = 0;
        for (int i = 0; n < bytes; i++) {
            String piece = "a" + i + "é€😀";
            sb.append(piece);
            n += piece.getBytes(StandardCharsets.UTF_8).length;
        }
        return sb.toString();
    }

    @Test
    void aMessageOfOneAndAHalfMibPassesIntactAndInOrderWhileAnotherChannelKeepsFlowing() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        LinkConnection c = a.client.open(b.url());
        OpenedChannel big = open(c, "big");
        OpenedChannel other = open(c, "other");
        LinkChannel bigOwnerSide = b.accepted.get(big.channel.id());
        String message = mixedText(3 * 512 * 1024);
        assertThat(message.getBytes(StandardCharsets.UTF_8).length)
                .isGreaterThan(3 * LinkSettings.DEFAULTS.maxFrameBytes() - 1)
                .isGreaterThan(LinkSettings.DEFAULTS.maxQueuedBytesPerChannel());

        // the owner side reads nothing yet: the long message stops half way, on its credit
        bigOwnerSide.pause();
        assertThat(big.channel.write("before")).isTrue();
        assertThat(big.channel.write(message)).isTrue();
        assertThat(big.channel.write("after")).isTrue();
        for (int i = 0; i < 100; i++) {
            other.channel.write("o" + i);
        }
        Deadline.await(WAIT, "the other channel's 100 echoes", () -> other.received.size() == 100);
        for (int i = 0; i < 100; i++) {
            assertThat(other.received.get(i)).isEqualTo("echo:o" + i);
        }
        assertThat(b.received.get(big.channel.id())).as("paused: nothing delivered").isEmpty();

        bigOwnerSide.resume();
        Deadline.await(WAIT, "the three messages at the owner", () -> b.received.get(big.channel.id()).size() == 3);
        List<String> got = b.received.get(big.channel.id());
        assertThat(got.get(0)).isEqualTo("before");
        assertThat(got.get(1)).isEqualTo(message); // intact: not assertThat(..).hasSize, the whole text compared
        assertThat(got.get(2)).isEqualTo("after");
        // and the owner's 1.5 MiB echo comes back split the same way
        Deadline.await(WAIT, "the three echoes", () -> big.received.size() == 3);
        assertThat(big.received.get(0)).isEqualTo("echo:before");
        assertThat(big.received.get(1)).isEqualTo("echo:" + message);
        assertThat(big.received.get(2)).isEqualTo("echo:after");

        assertThat(a.metrics.messagesSplit()).isEqualTo(1);
        assertThat(b.metrics.messagesSplit()).isEqualTo(1);
        for (LinkTestNode n : List.of(a, b)) {
            assertThat(n.metrics.connectionsLost()).isZero();
            assertThat(n.metrics.oversizeFrames()).isZero();
            assertThat(n.metrics.protocolErrors()).isZero();
            assertThat(n.metrics.channelsOverflowed()).isZero();
            assertThat(n.metrics.messagesTooLarge()).isZero();
        }
        assertThat(big.closed.get()).isNull();
        assertThat(other.closed.get()).isNull();
    }

    @Test
    void aLongMessageAndShortOnesWrittenRightAfterItPassTheQueueBoundInOrder() throws Exception {
        // a 4 KiB window, a 16 KiB queue bound, 2 KiB frames: a 40 KiB message is ten windows and 2.5 queue bounds
        LinkSettings small = LinkSettings.DEFAULTS.withWindow(4096, 16 * 1024).withMessageLimits(2048, 64 * 1024);
        LinkTestNode a = NODES.node("a", small);
        LinkTestNode b = NODES.node("b", small);
        OpenedChannel ch = open(a.client.open(b.url()), "r");
        String message = mixedText(40 * 1024);
        CompletableFuture<Boolean> written = new CompletableFuture<>();
        ch.channel.context().runOnContext(v -> {
            // on the context: nothing is flushed between the writes, all of it is queued at once
            boolean ok = ch.channel.write(message);
            for (int i = 0; i < 5; i++) {
                ok &= ch.channel.write("s" + i);
            }
            written.complete(ok);
        });
        assertThat(written.get(10, TimeUnit.SECONDS)).isTrue();
        Deadline.await(WAIT, "all six at the owner", () -> b.received.get(ch.channel.id()).size() == 6);
        assertThat(b.received.get(ch.channel.id())).containsExactly(message, "s0", "s1", "s2", "s3", "s4");
        assertThat(a.metrics.channelsOverflowed()).isZero();
        assertThat(ch.closed.get()).isNull();
    }

    @Test
    void longMessagesWrittenBackToBackFromAnotherThreadPassTheQueueBoundInOrder() throws Exception {
        // as the owner's room thread writes: off the channel's context, every write hops; two 20 KiB messages each
        // over the 16 KiB queue bound, both in flight at once, and short ones between and after them
        LinkSettings small = LinkSettings.DEFAULTS.withWindow(4096, 16 * 1024).withMessageLimits(2048, 64 * 1024);
        LinkTestNode a = NODES.node("a", small);
        LinkTestNode b = NODES.node("b", small);
        OpenedChannel ch = open(a.client.open(b.url()), "r");
        String first = mixedText(20 * 1024);
        String second = "second:" + mixedText(20 * 1024);
        List<String> sent = List.of(first, "s0", second, "s1", "s2");
        for (String m : sent) {
            assertThat(ch.channel.write(m)).isTrue();
        }
        Deadline.await(WAIT, "all five at the owner", () -> b.received.get(ch.channel.id()).size() == 5);
        assertThat(b.received.get(ch.channel.id())).isEqualTo(sent);
        assertThat(a.metrics.channelsOverflowed()).isZero();
        assertThat(a.metrics.messagesSplit()).isEqualTo(2);
    }

    @Test
    void aMessageOverTheReassemblyBoundClosesOnlyItsChannelAndIsCounted() throws Exception {
        // the sender allows 1 MiB messages, the receiver reassembles at most 64 KiB
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS.withMessageLimits(16 * 1024, 1024 * 1024));
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS.withMessageLimits(16 * 1024, 64 * 1024));
        LinkConnection c = a.client.open(b.url());
        OpenedChannel victim = open(c, "victim");
        OpenedChannel other = open(c, "other");
        other.channel.write("first");
        Deadline.await(WAIT, "first echo", () -> other.received.size() == 1);

        assertThat(victim.channel.write("small")).isTrue();
        assertThat(victim.channel.write(mixedText(100 * 1024))).isTrue();
        Deadline.await(WAIT, "the victim channel closed", () -> victim.closed.get() != null);
        assertThat(victim.closed.get().code()).isEqualTo(LinkCloseCodes.MESSAGE_TOO_LARGE);
        assertThat(victim.closed.get().remote()).isTrue();
        assertThat(b.metrics.messagesTooLarge()).isEqualTo(1);
        assertThat(b.closes.get(victim.channel.id()).code()).isEqualTo(LinkCloseCodes.MESSAGE_TOO_LARGE);

        // the connection and the other channel go on
        other.channel.write("second");
        Deadline.await(WAIT, "second echo", () -> other.received.size() == 2);
        assertThat(other.received).containsExactly("echo:first", "echo:second");
        OpenedChannel later = open(c, "later");
        later.channel.write("x");
        Deadline.await(WAIT, "a new channel works", () -> later.received.size() == 1);
        for (LinkTestNode n : List.of(a, b)) {
            assertThat(n.metrics.connectionsLost()).isZero();
            assertThat(n.metrics.protocolErrors()).isZero();
            assertThat(n.metrics.oversizeFrames()).isZero();
        }
        assertThat(other.closed.get()).isNull();
    }

    @Test
    void aWriterAskedToSendMoreThanTheBoundClosesItsChannelAloneWithoutSendingIt() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS.withMessageLimits(16 * 1024, 64 * 1024));
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS.withMessageLimits(16 * 1024, 64 * 1024));
        LinkConnection c = a.client.open(b.url());
        OpenedChannel victim = open(c, "victim");
        OpenedChannel other = open(c, "other");
        long bytesBefore = a.metrics.bytesOut();

        assertThat(victim.channel.write("x".repeat(64 * 1024 + 1))).isFalse();
        Deadline.await(WAIT, "closed here", () -> victim.closed.get() != null);
        assertThat(victim.closed.get().code()).isEqualTo(LinkCloseCodes.MESSAGE_TOO_LARGE);
        assertThat(victim.closed.get().remote()).isFalse();
        Deadline.await(WAIT, "the owner side told", () -> b.closes.containsKey(victim.channel.id()));
        assertThat(b.closes.get(victim.channel.id()).code()).isEqualTo(LinkCloseCodes.MESSAGE_TOO_LARGE);
        assertThat(b.received.get(victim.channel.id())).isEmpty();
        assertThat(a.metrics.messagesTooLarge()).isEqualTo(1);
        assertThat(a.metrics.bytesOut() - bytesBefore).as("no part of it was sent").isLessThan(1024);

        other.channel.write("still here");
        Deadline.await(WAIT, "the other channel's echo", () -> other.received.size() == 1);
        assertThat(a.metrics.connectionsLost()).isZero();
    }
}
