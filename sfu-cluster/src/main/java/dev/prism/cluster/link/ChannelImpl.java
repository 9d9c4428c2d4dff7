package dev.prism.cluster.link;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One channel's state on one end: its send queue and credit, its receive queue and the credit it owes the peer.
 * Confined to the connection's context ({@link LinkMux}); the public methods hop onto it when called elsewhere.
 *
 * <p>Credit: the sender may send a message while its credit is above 0 and subtracts the message's UTF-8 length (so
 * credit may go negative by less than one frame). The receiver mirrors it ({@link #peerCredit}); a peer that sends
 * with credit at or below 0 broke the rule and the channel closes with {@link LinkCloseCodes#OVERFLOW}.
 *
 * <p>Long messages: a message longer than {@link LinkSettings#maxFrameBytes()} is queued as several frames
 * ({@link FrameCodec#encodeMessage}) that go out one by one as credit allows (credit is per frame, so a message larger
 * than the window still passes: the receiver grants back each part as its delivery loop takes it into the message being
 * reassembled). Other channels' frames interleave with the parts on the connection. The receiver holds the parts of one
 * message (at most {@link LinkSettings#maxMessageBytes()}) beside its window; a message over that bound, written here or
 * arriving, closes this channel alone with {@link LinkCloseCodes#MESSAGE_TOO_LARGE}, counted and logged.
 */
final class ChannelImpl implements LinkChannel, IncomingChannel {
    enum State { OPENING, ACCEPTING, OPEN, CLOSING, CLOSED }

    private final LinkMux mux;
    private final int id;
    private final OpenRequest request;
    private final int window;
    State state;
    Promise<LinkChannel> opened;
    long decisionTimer = -1;

    // send side
    private long sendCredit;
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    /** Data bytes accepted by write() and not yet on the socket, hops included: the writer's backpressure signal. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private boolean wasFull;
    /**
     * The part of {@link #queuedBytes} that belongs to split messages (more than one frame), hops included: bounded by
     * maxMessageBytes, not by the queue bound.
     */
    private final AtomicLong longQueued = new AtomicLong();
    /** {@link #flush} is in the middle of a split message (sent a part, not yet its last frame). */
    private boolean sendingLong;
    boolean waitingForSocket;
    private int closeCode;
    private String closeReason;

    // receive side
    private final ArrayDeque<LinkFrame.Data> received = new ArrayDeque<>();
    /** The parts of the message being delivered (taken from {@link #received}), until its last frame. */
    private StringBuilder reassembly; // null between long messages: its capacity is not kept
    /** UTF-8 bytes of the message now arriving (its parts so far), checked against the message bound on arrival. */
    private long arrivingMessageBytes;
    private long peerCredit;
    private long consumedUngranted;
    private boolean paused;
    private boolean delivering;
    private LinkClose remoteClose;

    private volatile Handler<String> handler;
    private volatile Handler<LinkClose> closeHandler;
    private volatile Handler<Void> drainHandler;
    private volatile boolean closed;
    private LinkClose terminal;
    private boolean closeDelivered;

    ChannelImpl(LinkMux mux, int id, OpenRequest request, State state, int window) {
        this.mux = mux;
        this.id = id;
        this.request = request;
        this.state = state;
        this.window = window;
        this.peerCredit = window;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String peerNodeId() {
        return mux.peerNodeId();
    }

    @Override
    public OpenRequest request() {
        return request;
    }

    @Override
    public Context context() {
        return mux.context();
    }

    // ---- IncomingChannel

    @Override
    public LinkChannel accept() {
        if (mux.onContext()) {
            doAccept();
        } else if (state != State.ACCEPTING) {
            throw new IllegalStateException("channel " + id + " already decided: " + state);
        } else {
            mux.context().runOnContext(v -> doAccept());
        }
        return this;
    }

    private void doAccept() {
        if (state != State.ACCEPTING) {
            if (state == State.CLOSED && terminal != null) {
                return; // the link died before the decision: the close handler tells the caller
            }
            throw new IllegalStateException("channel " + id + " already decided: " + state);
        }
        mux.cancelTimer(decisionTimer);
        state = State.OPEN;
        mux.accepted(this);
    }

    @Override
    public void refuse(String reason, String detail) {
        mux.onContext(() -> {
            if (state == State.ACCEPTING) {
                mux.cancelTimer(decisionTimer);
                mux.refused(this, reason, detail);
            }
        });
    }

    // ---- handlers

    @Override
    public LinkChannel handler(Handler<String> messages) {
        this.handler = messages;
        mux.onContext(this::deliver);
        return this;
    }

    @Override
    public LinkChannel closeHandler(Handler<LinkClose> h) {
        this.closeHandler = h;
        mux.onContext(this::deliverClose);
        return this;
    }

    @Override
    public LinkChannel drainHandler(Handler<Void> h) {
        this.drainHandler = h;
        return this;
    }

    // ---- sending

    @Override
    public boolean write(String text) {
        if (closed) {
            return false;
        }
        int length = FrameCodec.utf8Length(text);
        if (length > mux.settings().maxMessageBytes()) {
            // refused before any byte is encoded or queued: the peer could not take it, and this channel alone ends
            mux.onContext(() -> tooLarge("an outgoing", length));
            return false;
        }
        Buffer[] frames = FrameCodec.encodeMessage(id, text, mux.settings().maxFrameBytes());
        int bytes = 0;
        for (Buffer frame : frames) {
            bytes += frame.length() - FrameCodec.HEADER_BYTES;
        }
        int total = bytes;
        if (frames.length > 1) {
            longQueued.addAndGet(total); // first, so that queuedBytes - longQueued never counts it as short
        }
        long queued = queuedBytes.addAndGet(total);
        boolean full = queued >= window;
        if (mux.onContext()) {
            enqueue(frames, total, full);
        } else {
            mux.context().runOnContext(v -> enqueue(frames, total, full));
        }
        return true;
    }

    @Override
    public boolean writeQueueFull() {
        return queuedBytes.get() >= window;
    }

    private void enqueue(Buffer[] frames, int bytes, boolean fullAtWrite) {
        if (state != State.OPEN) {
            queuedBytes.addAndGet(-bytes);
            if (frames.length > 1) {
                longQueued.addAndGet(-bytes);
            }
            return;
        }
        if (fullAtWrite && !wasFull) {
            wasFull = true;
            mux.metrics().sendBlocked.increment();
        }
        for (Buffer frame : frames) {
            pending.add(frame);
        }
        if (frames.length > 1) {
            mux.metrics().messagesSplit.increment();
        }
        // split messages count against maxMessageBytes, the rest against the queue bound: a long message (and the
        // short ones written right after it) passes a writer that respects writeQueueFull; ignoring it is still cut off
        long queued = queuedBytes.get(); // read before longQueued: a write racing in is under-counted, never over
        long splitBytes = longQueued.get();
        if (queued - splitBytes > mux.settings().maxQueuedBytesPerChannel()
                || splitBytes > mux.settings().maxMessageBytes()) {
            mux.metrics().channelsOverflowed.increment();
            localClose(LinkCloseCodes.OVERFLOW, "send_queue_overflow", true);
            return;
        }
        flush();
    }

    /** Sends what credit and the socket allow. On the context. */
    void flush() {
        while (!pending.isEmpty() && sendCredit > 0) {
            if (mux.socketFull()) {
                mux.waitForSocket(this);
                break;
            }
            Buffer frame = pending.poll();
            int bytes = frame.length() - FrameCodec.HEADER_BYTES;
            sendCredit -= bytes;
            queuedBytes.addAndGet(-bytes);
            if (frame.getUnsignedByte(4) == FrameCodec.DATA_PART) {
                sendingLong = true;
                longQueued.addAndGet(-bytes);
            } else {
                if (sendingLong) {
                    sendingLong = false; // the last frame of a split message
                    longQueued.addAndGet(-bytes);
                }
                mux.metrics().messagesOut.increment();
            }
            mux.write(frame);
        }
        if (state == State.CLOSING && pending.isEmpty()) {
            finishLocalClose();
            return;
        }
        if (wasFull && queuedBytes.get() < window / 2) {
            wasFull = false;
            Handler<Void> h = drainHandler;
            if (h != null) {
                mux.call(h, null);
            }
        }
    }

    void opened(int credit) {
        sendCredit = credit;
        state = State.OPEN;
    }

    void creditGranted(int credit) {
        sendCredit += credit;
        flush();
    }

    // ---- receiving

    void received(LinkFrame.Data data) {
        if (state != State.OPEN && state != State.CLOSING) {
            return; // closed here while the data was in flight
        }
        if (peerCredit <= 0) {
            mux.metrics().channelsOverflowed.increment();
            localClose(LinkCloseCodes.OVERFLOW, "credit_exceeded", true);
            return;
        }
        peerCredit -= data.bytes();
        arrivingMessageBytes += data.bytes();
        if (arrivingMessageBytes > mux.settings().maxMessageBytes()) {
            tooLarge("an incoming", arrivingMessageBytes);
            return;
        }
        if (!data.more()) {
            arrivingMessageBytes = 0;
            mux.metrics().messagesIn.increment();
        }
        received.add(data);
        deliver();
    }

    /** Closes this channel alone for a message over the bound; the connection and its other channels go on. */
    private void tooLarge(String direction, long bytes) {
        if (state != State.OPEN) {
            return;
        }
        mux.metrics().messagesTooLarge.increment();
        mux.log().messageTooLarge(direction, mux.peerNodeId(), id, bytes, mux.settings().maxMessageBytes());
        received.clear();
        reassembly = null;
        localClose(LinkCloseCodes.MESSAGE_TOO_LARGE, "message_too_large", true);
    }

    private void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (!paused && !received.isEmpty() && terminal == null) {
                Handler<String> h = handler;
                if (h == null) {
                    break;
                }
                LinkFrame.Data data = received.poll();
                consumedUngranted += data.bytes();
                if (data.more()) {
                    if (reassembly == null) {
                        reassembly = new StringBuilder(data.text().length() * 2);
                    }
                    reassembly.append(data.text()); // granted back like a whole message: the sender may go on
                    continue;
                }
                String text = data.text();
                if (reassembly != null) {
                    text = reassembly.append(text).toString();
                    reassembly = null;
                }
                mux.call(h, text);
            }
        } finally {
            delivering = false;
        }
        if (terminal != null) {
            return;
        }
        if (remoteClose != null && received.isEmpty()) {
            terminate(remoteClose);
            return;
        }
        if (remoteClose == null && consumedUngranted > 0 && peerCredit <= window / 2) {
            int grant = (int) consumedUngranted;
            peerCredit += grant;
            consumedUngranted = 0;
            mux.send(new LinkFrame.Window(id, grant));
        }
    }

    @Override
    public void pause() {
        mux.onContext(() -> {
            if (!paused) {
                paused = true;
                mux.metrics().receivePauses.increment();
            }
        });
    }

    @Override
    public void resume() {
        mux.onContext(() -> {
            paused = false;
            deliver();
        });
    }

    // ---- closing

    @Override
    public void close(int code, String reason) {
        mux.onContext(() -> localClose(code, reason, false));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void localClose(int code, String reason, boolean dropQueued) {
        if (state == State.ACCEPTING) {
            refuse("closed", reason);
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        closeCode = code;
        closeReason = reason == null ? "" : reason;
        closed = true;
        if (dropQueued) {
            pending.clear();
            queuedBytes.set(0);
            longQueued.set(0);
            sendingLong = false;
        }
        if (pending.isEmpty()) {
            finishLocalClose();
        } else {
            state = State.CLOSING;
            decisionTimer = mux.setTimer(mux.settings().openTimeoutMillis(), v -> {
                if (state == State.CLOSING) {
                    pending.clear();
                    finishLocalClose();
                }
            });
        }
    }

    private void finishLocalClose() {
        mux.cancelTimer(decisionTimer);
        mux.send(new LinkFrame.Close(id, closeCode, closeReason));
        terminate(new LinkClose(closeCode, closeReason, false));
    }

    /** The peer closed the channel: deliver what arrived before, then the close. */
    void remoteClosed(LinkFrame.Close close) {
        if (terminal != null) {
            return;
        }
        closed = true;
        pending.clear();
        queuedBytes.set(0);
        longQueued.set(0);
        sendingLong = false;
        if (state == State.CLOSING) {
            mux.cancelTimer(decisionTimer);
        }
        state = State.OPEN; // delivery continues until the queue is empty
        remoteClose = new LinkClose(close.code(), close.reason(), true);
        mux.forget(this);
        deliver();
    }

    /** The connection ended under the channel: closes at once, dropping whatever waits. */
    void linkDown(int code, String reason) {
        if (terminal != null) {
            return;
        }
        received.clear();
        pending.clear();
        queuedBytes.set(0);
        longQueued.set(0);
        sendingLong = false;
        terminate(new LinkClose(code, reason, true));
    }

    private void terminate(LinkClose close) {
        boolean wasOpen = state == State.OPEN || state == State.CLOSING;
        state = State.CLOSED;
        closed = true;
        terminal = close;
        mux.cancelTimer(decisionTimer);
        mux.forget(this);
        if (wasOpen) {
            mux.metrics().channelsClosed.increment();
        }
        deliverClose();
    }

    private void deliverClose() {
        Handler<LinkClose> h = closeHandler;
        if (terminal != null && !closeDelivered && h != null) {
            closeDelivered = true;
            mux.call(h, terminal);
        }
    }

    /** An ACCEPTING or OPENING channel that ended before it opened (refused, timed out, link down). */
    void abandoned(LinkClose close) {
        state = State.CLOSED;
        closed = true;
        terminal = close;
        closeDelivered = true;
        mux.cancelTimer(decisionTimer);
        mux.forget(this);
    }

    boolean terminal() {
        return terminal != null;
    }
}
