package dev.prism.cluster.link;

import static dev.prism.cluster.link.OpenedChannel.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.cluster.testkit.Deadline;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes' link endpoints on real loopback TCP: ordering, close, auth, limits, backpressure, loss. */
class LinkTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final LinkNodes NODES = new LinkNodes();

    @Test
    void messagesKeepTheirOrderBothWaysAcross200ChannelsOnOneConnectionEachWay() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        int channels = 200;
        int messages = 30;
        List<Future<OpenedChannel>> opening = new ArrayList<>();
        for (LinkTestNode[] pair : new LinkTestNode[][] {{a, b}, {b, a}}) {
            LinkConnection c = pair[0].client.open(pair[1].url());
            for (int i = 0; i < channels; i++) {
                opening.add(c.openChannel(OpenRequest.session("tok", null, "client", "room-" + i))
                        .map(OpenedChannel::new));
            }
        }
        List<OpenedChannel> opened = new ArrayList<>();
        for (Future<OpenedChannel> f : opening) {
            opened.add(f.await(10, TimeUnit.SECONDS));
        }
        for (int m = 0; m < messages; m++) {
            for (OpenedChannel o : opened) {
                o.channel.write(o.channel.request().header(OpenRequest.ROOM) + "/" + m);
            }
        }
        // 12,000 echoes through two event loops: on a loaded 2-core machine (load 16 seen in CI-like runs) this takes
        // longer than the other waits, so it has a deadline of its own; the message says how far it got.
        try {
            Deadline.await(WAIT.multipliedBy(4), "every echo back",
                    () -> opened.stream().allMatch(o -> o.received.size() == messages));
        } catch (AssertionError e) {
            long done = opened.stream().filter(o -> o.received.size() == messages).count();
            long echoes = opened.stream().mapToLong(o -> o.received.size()).sum();
            throw new AssertionError(e.getMessage() + ": " + done + " of " + opened.size() + " channels complete, "
                    + echoes + " of " + (long) opened.size() * messages + " echoes", e);
        }

        for (OpenedChannel o : opened) {
            String room = o.channel.request().header(OpenRequest.ROOM);
            List<String> sent = new ArrayList<>();
            for (int m = 0; m < messages; m++) {
                sent.add(room + "/" + m);
            }
            LinkTestNode server = o.channel.peerNodeId().equals("b") ? b : a;
            assertThat(server.received.get(o.channel.id())).as("owner side of " + room).isEqualTo(sent);
            assertThat(o.received).as("edge side of " + room).isEqualTo(sent.stream().map(s -> "echo:" + s).toList());
        }
        assertThat(a.server.connectionCount()).isEqualTo(1);
        assertThat(b.server.connectionCount()).isEqualTo(1);
        assertThat(a.client.connections()).hasSize(1);
        assertThat(a.metrics.connectionsOpen()).isEqualTo(2); // its client's and its server's
        assertThat(a.metrics.channelsOpen()).isEqualTo(2L * channels);
        assertThat(a.metrics.messagesOut()).isEqualTo(2L * channels * messages);
    }

    @Test
    void closeTravelsBothWaysWithItsCodeAfterTheMessagesSentBeforeIt() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        LinkConnection c = a.client.open(b.url());
        OpenedChannel first = open(c, "r1");
        OpenedChannel second = open(c, "r2");

        // edge closes: the owner sees the message, then the close with the edge's code
        first.channel.write("last words");
        first.channel.close(4321, "client went away");
        Deadline.await(WAIT, "owner sees the edge's close", () -> b.closes.containsKey(first.channel.id()));
        assertThat(b.received.get(first.channel.id())).containsExactly("last words");
        assertThat(b.closes.get(first.channel.id())).isEqualTo(new LinkClose(4321, "client went away", true));
        assertThat(first.closed.get()).isEqualTo(new LinkClose(4321, "client went away", false));
        assertThat(first.channel.write("too late")).isFalse();

        // owner closes: the edge gets the owner's message, then its close code (a session close code, passed through)
        LinkChannel ownerSide = b.accepted.get(second.channel.id());
        ownerSide.write("resume_failed");
        ownerSide.close(4002, "resume failed");
        Deadline.await(WAIT, "edge sees the owner's close", () -> second.closed.get() != null);
        assertThat(second.received).containsExactly("resume_failed");
        assertThat(second.closed.get()).isEqualTo(new LinkClose(4002, "resume failed", true));
        Deadline.await(WAIT, "channels forgotten", () -> a.metrics.channelsOpen() == 0 && b.metrics.channelsOpen() == 0);
        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void aRefusedChannelFailsWithTheOwnersReason() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = new LinkTestNode(NODES.vertx(), "b", LinkTestNode.SECRET, LinkSettings.DEFAULTS,
                in -> in.refuse("not_owner", "room " + in.request().header(OpenRequest.ROOM) + " is on c"));
        NODES.closeAfter(b);
        LinkConnection c = a.client.open(b.url());
        ExecutionException e = failure(c.openChannel(OpenRequest.session("tok", null, "x", "r9")));
        assertThat(e.getCause()).isInstanceOf(ChannelRefusedException.class);
        ChannelRefusedException refused = (ChannelRefusedException) e.getCause();
        assertThat(refused.reason()).isEqualTo("not_owner");
        assertThat(refused.detail()).isEqualTo("room r9 is on c");
        assertThat(b.metrics.channelsRefused()).isEqualTo(1);
        assertThat(c.isConnected()).isTrue();
    }

    @Test
    void aWrongSecretIsRefusedAndCountedWhileTheRightSecretStillConnects() throws Exception {
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkMetrics intruderMetrics = new LinkMetrics();
        // one attempt only: with the default backoff (100 ms first) it would reconnect and could be refused again
        // before the counts are read
        LinkSettings d = LinkSettings.DEFAULTS;
        LinkSettings noRetry = new LinkSettings(d.maxFrameBytes(), d.channelWindowBytes(),
                d.maxQueuedBytesPerChannel(), d.socketWriteQueueBytes(), d.handshakeTimeoutMillis(),
                d.pingIntervalMillis(), d.deadAfterMillis(), d.openTimeoutMillis(), 3_600_000, 3_600_000,
                d.maxChannelsPerConnection(), d.logIntervalMillis(), d.maxMessageBytes());
        LinkClient intruder = new LinkClient(NODES.vertx(), "x", "not-the-cluster-secret-at-all", noRetry,
                intruderMetrics, dev.prism.core.clock.MonoClock.SYSTEM);
        NODES.closeAfter(() -> intruder.close().await(5, TimeUnit.SECONDS));

        ExecutionException e = failure(intruder.open(b.url()).openChannel(OpenRequest.session("t", null, "c", "r")));
        assertThat(e.getCause()).isInstanceOf(LinkUnavailableException.class);
        assertThat(((LinkUnavailableException) e.getCause()).reason()).isEqualTo("auth_failed");
        // open() starts a connect and openChannel() asks for one too: when the first attempt is refused before the
        // open reaches the connection's loop (a loaded machine), the open makes a second attempt, refused the same way.
        // Either way every attempt was refused, counted once on each side, and none stays connected.
        long attempts = intruderMetrics.reconnectAttempts() + 1;
        assertThat(attempts).isBetween(1L, 2L);
        assertThat(b.metrics.authRefused()).isEqualTo(attempts);
        assertThat(intruderMetrics.authRefused()).isEqualTo(attempts);
        Deadline.await(WAIT, "refused connections closed", () -> b.server.connectionCount() == 0);

        OpenedChannel ok = open(a.client.open(b.url()), "r");
        ok.channel.write("hello");
        Deadline.await(WAIT, "echo", () -> ok.received.contains("echo:hello"));
        assertThat(b.server.connectionCount()).isEqualTo(1);
        assertThat(a.metrics.authRefused()).isZero();
    }

    @Test
    void aRecordedProofDoesNotAuthenticateAnotherConnection() throws Exception {
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        try (LinkRawPeer first = new LinkRawPeer(NODES.vertx(), b.port);
                LinkRawPeer replay = new LinkRawPeer(NODES.vertx(), b.port)) {
            byte[] nonce = LinkAuth.nonce();
            first.send(new LinkFrame.Hello(1, "a", nonce));
            LinkFrame.Challenge c1 = (LinkFrame.Challenge) first.next();
            LinkFrame.Auth proof = new LinkFrame.Auth(
                    new LinkAuth(LinkTestNode.SECRET).clientProof(nonce, c1.nonce(), "a", c1.nodeId()));
            first.send(proof);
            assertThat(first.next()).isInstanceOf(LinkFrame.AuthOk.class);

            replay.send(new LinkFrame.Hello(1, "a", nonce)); // same hello, same proof: a new server nonce
            assertThat(replay.next()).isInstanceOf(LinkFrame.Challenge.class);
            replay.send(proof);
            assertThat(replay.next()).isEqualTo(new LinkFrame.Close(0, LinkCloseCodes.AUTH_FAILED, "auth_failed"));
            assertThat(replay.awaitClosed(5_000)).isTrue();
            assertThat(b.metrics.authRefused()).isEqualTo(1);
        }
    }

    @Test
    void aSilentOrSlowSocketIsClosedAtTheHandshakeDeadline() throws Exception {
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS.withTimings(300, 1_000, 3_000));
        try (LinkRawPeer silent = new LinkRawPeer(NODES.vertx(), b.port);
                LinkRawPeer slow = new LinkRawPeer(NODES.vertx(), b.port)) {
            slow.sendRaw(Buffer.buffer(new byte[] {0, 0, 0})); // a third of a header, then nothing
            assertThat(silent.awaitClosed(5_000)).as("silent socket closed").isTrue();
            assertThat(slow.awaitClosed(5_000)).as("slow socket closed").isTrue();
        }
        Deadline.await(WAIT, "counted", () -> b.metrics.handshakeTimeouts() == 2);
        assertThat(b.metrics.connectionsOpened()).isZero();
    }

    @Test
    void anOversizeFrameClosesTheConnectionBeforeItsBodyIsRead() throws Exception {
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        try (LinkRawPeer before = new LinkRawPeer(NODES.vertx(), b.port);
                LinkRawPeer after = new LinkRawPeer(NODES.vertx(), b.port)) {
            // unauthenticated: a header announcing max + 1 bytes
            before.sendRaw(Buffer.buffer().appendInt(LinkSettings.DEFAULTS.maxFrameBytes() + 1).appendByte((byte) 8)
                    .appendInt(1));
            assertThat(before.awaitClosed(5_000)).isTrue();

            // authenticated, with an open channel: data of max + 1 bytes
            assertThat(after.authenticate("a", LinkTestNode.SECRET)).isEqualTo("b");
            after.send(new LinkFrame.Open(1, 1000, OpenRequest.session("t", null, "c", "r")));
            assertThat(after.next()).isInstanceOf(LinkFrame.OpenOk.class);
            after.send(new LinkFrame.Data(1, "x".repeat(LinkSettings.DEFAULTS.maxFrameBytes() + 1)));
            assertThat(after.awaitClosed(5_000)).isTrue();
        }
        assertThat(b.metrics.oversizeFrames()).isEqualTo(2);
        Deadline.await(WAIT, "the owner's channel closed with the link", () ->
                b.closes.values().stream().anyMatch(c -> c.code() == LinkCloseCodes.LINK_LOST));
    }

    @Test
    void aPausedReceiverFillsOnlyItsOwnChannelWhileAnotherKeepsFlowing() throws Exception {
        LinkSettings small = LinkSettings.DEFAULTS.withWindow(4096, 64 * 1024);
        LinkTestNode a = NODES.node("a", small);
        LinkTestNode b = NODES.node("b", small);
        LinkConnection c = a.client.open(b.url());
        OpenedChannel slow = open(c, "slow");
        OpenedChannel fast = open(c, "fast");
        LinkChannel slowOwnerSide = b.accepted.get(slow.channel.id());
        slowOwnerSide.pause();

        String message = "m".repeat(200);
        AtomicInteger drains = new AtomicInteger();
        slow.channel.drainHandler(v -> drains.incrementAndGet());
        int written = fillUntilFull(slow.channel, message);
        assertThat(slow.channel.writeQueueFull()).isTrue();
        assertThat(written).isGreaterThan(4096 / 200);

        for (int i = 0; i < 100; i++) {
            fast.channel.write("f" + i);
        }
        Deadline.await(WAIT, "the other channel's echoes", () -> fast.received.size() == 100);
        assertThat(fast.channel.writeQueueFull()).isFalse();
        assertThat(slow.channel.writeQueueFull()).as("still held back").isTrue();
        assertThat(b.received.get(slow.channel.id())).isEmpty();
        assertThat(drains).hasValue(0);
        assertThat(a.metrics.sendBlocked()).isEqualTo(1);
        assertThat(b.metrics.receivePauses()).isEqualTo(1);

        slowOwnerSide.resume();
        Deadline.await(WAIT, "every held message delivered", () -> b.received.get(slow.channel.id()).size() == written);
        assertThat(b.received.get(slow.channel.id())).allMatch(message::equals);
        Deadline.await(WAIT, "drained", () -> drains.get() == 1 && !slow.channel.writeQueueFull());
    }

    @Test
    void aWriterThatIgnoresWriteQueueFullIsCutOffAtTheQueueLimit() throws Exception {
        LinkSettings small = LinkSettings.DEFAULTS.withWindow(4096, 16 * 1024);
        LinkTestNode a = NODES.node("a", small);
        LinkTestNode b = NODES.node("b", small);
        OpenedChannel ch = open(a.client.open(b.url()), "r");
        b.accepted.get(ch.channel.id()).pause();
        CompletableFuture<Integer> writes = new CompletableFuture<>();
        ch.channel.context().runOnContext(v -> {
            int n = 0;
            while (ch.channel.write("x".repeat(1000))) {
                n++;
            }
            writes.complete(n);
        });
        // 5 go out on the 4096-byte credit (the last one while credit is still above 0), 16 fill the 16 KiB queue, the
        // 17th is accepted and overflows it (the channel closes), the next write answers false
        assertThat(writes.get(10, TimeUnit.SECONDS)).isEqualTo(5 + 17);
        assertThat(ch.closed.get().code()).isEqualTo(LinkCloseCodes.OVERFLOW);
        assertThat(a.metrics.channelsOverflowed()).isEqualTo(1);
        // the owner's side holds the close behind the messages that arrived before it, until it reads again
        b.accepted.get(ch.channel.id()).resume();
        Deadline.await(WAIT, "owner side told", () -> b.closes.containsKey(ch.channel.id()));
        assertThat(b.received.get(ch.channel.id())).hasSize(5);
        assertThat(b.closes.get(ch.channel.id()).code()).isEqualTo(LinkCloseCodes.OVERFLOW);
    }

    @Test
    void aCutConnectionClosesEveryChannelWithLinkLostAndTheClientReconnects() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = NODES.node("b", LinkSettings.DEFAULTS);
        LinkTestProxy proxy = NODES.closeAfter(new LinkTestProxy(NODES.vertx(), b.port));
        LinkConnection c = a.client.open("127.0.0.1:" + proxy.port);
        List<OpenedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            channels.add(open(c, "r" + i));
        }
        proxy.cut();
        Deadline.await(WAIT, "every edge channel closed", () -> channels.stream().allMatch(o -> o.closed.get() != null));
        for (OpenedChannel o : channels) {
            assertThat(o.closed.get().code()).isEqualTo(LinkCloseCodes.LINK_LOST);
            assertThat(o.closed.get().remote()).isTrue();
            assertThat(LinkCloseCodes.isLinkFailure(o.closed.get().code())).isTrue();
        }
        Deadline.await(WAIT, "every owner channel closed", () -> b.closes.size() == 3
                && b.closes.values().stream().allMatch(x -> x.code() == LinkCloseCodes.LINK_LOST));

        Deadline.await(WAIT, "reconnected", c::isConnected);
        OpenedChannel again = open(c, "r0");
        again.channel.write("back");
        Deadline.await(WAIT, "echo after the reconnect", () -> again.received.contains("echo:back"));
        assertThat(a.metrics.connectionsLost()).isEqualTo(1);
        assertThat(a.metrics.reconnectAttempts()).isGreaterThanOrEqualTo(1);
        assertThat(a.client.connections()).containsExactly(c);
    }

    @Test
    void aSilentConnectionIsDeclaredDeadByPingsAndItsChannelsCloseWithLinkLost() throws Exception {
        LinkSettings fast = LinkSettings.DEFAULTS.withTimings(1_000, 100, 400);
        LinkTestNode a = NODES.node("a", fast);
        LinkTestNode b = NODES.node("b", fast);
        LinkTestProxy proxy = NODES.closeAfter(new LinkTestProxy(NODES.vertx(), b.port));
        LinkConnection c = a.client.open("127.0.0.1:" + proxy.port);
        OpenedChannel o = open(c, "r");
        proxy.freeze(true);
        Deadline.await(WAIT, "edge side dead", () -> o.closed.get() != null);
        Deadline.await(WAIT, "owner side dead", () -> b.closes.containsKey(o.channel.id()));
        // Both sides ping with the same deadline: each side's channel closes on its own deadline or on the other
        // side's close of the dead socket relayed by the proxy, whichever comes first (on a loaded machine the owner's
        // deadline can fire first). Either way it is a lost link, and at least one side found it by its pings.
        LinkClose edge = o.closed.get();
        LinkClose owner = b.closes.get(o.channel.id());
        assertThat(edge.code()).isEqualTo(LinkCloseCodes.LINK_LOST);
        assertThat(owner.code()).isEqualTo(LinkCloseCodes.LINK_LOST);
        assertThat(edge.reason()).isIn("ping_timeout", "connection_closed");
        assertThat(List.of(edge.reason(), owner.reason())).contains("ping_timeout");
        proxy.freeze(false);
        Deadline.await(WAIT, "reconnected", c::isConnected);
        assertThat(open(c, "r2").channel.isClosed()).isFalse();
    }

    @Test
    void anOrderlyServerShutdownClosesChannelsWithLinkShutdown() throws Exception {
        LinkTestNode a = NODES.node("a", LinkSettings.DEFAULTS);
        LinkTestNode b = new LinkTestNode(NODES.vertx(), "b", LinkSettings.DEFAULTS);
        OpenedChannel o = open(a.client.open(b.url()), "r");
        b.server.close().await(5, TimeUnit.SECONDS);
        Deadline.await(WAIT, "edge channel closed", () -> o.closed.get() != null);
        assertThat(o.closed.get().code()).isEqualTo(LinkCloseCodes.LINK_SHUTDOWN);
        assertThat(b.closes.get(o.channel.id()).code()).isEqualTo(LinkCloseCodes.LINK_SHUTDOWN);
        b.client.close().await(5, TimeUnit.SECONDS);
    }

    /** Writes on the channel's own loop until writeQueueFull (so credit and flush are settled); answers how many. */
    private static int fillUntilFull(LinkChannel ch, String message) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        ch.context().runOnContext(v -> {
            int n = 0;
            while (!ch.writeQueueFull() && n < 10_000) {
                ch.write(message);
                n++;
            }
            done.complete(n);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static ExecutionException failure(Future<?> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
