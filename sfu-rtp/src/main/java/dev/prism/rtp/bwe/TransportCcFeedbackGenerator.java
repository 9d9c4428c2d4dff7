package dev.prism.rtp.bwe;

import dev.prism.core.clock.MonoClock;
import dev.prism.rtp.packet.SeqNum;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving side of transport-wide congestion control for a publisher's uplink: records when each packet with a
 * transport-wide sequence number arrived and, when asked every {@link Config#intervalMillis}, describes the new ones in
 * {@link TransportCcFeedback} messages. The publisher's browser runs its send-side estimator on this feedback; without
 * it Chrome stays near its start rate and does not turn on its upper simulcast layers.
 *
 * <h2>What each feedback covers</h2>
 * From the first packet not yet reported up to the newest one received; numbers in between that did not arrive are
 * reported as not received, so the sender sees the loss. A packet arriving after its number was reported lost moves
 * the start back, and the next feedback reports it (and what follows it) again. When the first packet to report is
 * missing, the feedback starts with the previous received packet once more: the message format needs a received packet
 * to anchor its arrival times, and a duplicate report of one packet is harmless to the sender, while leaving the loss
 * out is not. Messages are split at {@link Config#maxPacketsPerFeedback} statuses (to fit a datagram) and where the
 * arrival delta does not fit the format (±8 s).
 *
 * <h2>Memory</h2>
 * Arrivals are kept in a ring of {@link #WINDOW} slots indexed by the extended sequence number; a packet older than
 * the window (or a jump forward beyond it, e.g. a sender restart) is handled without growing anything.
 *
 * <h2>Threads and allocation</h2>
 * One instance per publisher transport, on its event loop; not thread-safe. {@link #onPacket} allocates nothing;
 * neither does {@link #build(Sink)}, which hands each message to a sink as the generator's one reused builder (the
 * server's path, every 50 ms per publisher); {@link #build()} allocates the messages it returns (tests, tools).
 */
public final class TransportCcFeedbackGenerator {
    /** Arrivals remembered, as a power of two: several seconds of a 2-3 Mbit/s uplink. */
    public static final int WINDOW = 1 << 13;
    private static final int MASK = WINDOW - 1;
    private static final long EMPTY = -1;

    /**
     * @param intervalMillis        how often the owner should call {@link #build}. libwebrtc receivers send every
     *                              50 ms at any rate above ~100 kbit/s (the interval stretches to 250 ms only when
     *                              5 % of their bandwidth is less than a report); a packet then waits 25 ms on average
     *                              for its report, and the sender's view of what is in flight stays as short
     * @param maxPacketsPerFeedback statuses per message; 400 keeps a message well under 1 kB even with large deltas
     */
    public record Config(long intervalMillis, int maxPacketsPerFeedback) {
        public static final Config DEFAULT = new Config(50, 400);

        public Config {
            if (intervalMillis <= 0 || maxPacketsPerFeedback < 2 || maxPacketsPerFeedback > 0xFFFF) {
                throw new IllegalArgumentException("intervalMillis " + intervalMillis + " max " + maxPacketsPerFeedback);
            }
        }
    }

    private final MonoClock clock;
    private final long senderSsrc;
    private final Config config;
    private final long[] slotSeq = new long[WINDOW];
    private final long[] arrivalMicros = new long[WINDOW];
    /** The one builder every message is built in, handed to the sink and reset for the next. */
    private final TransportCcFeedback.Builder builder;

    private boolean any;
    private long highest;          // newest extended sequence number received
    private long nextToReport;     // first extended sequence number the next feedback must cover
    private long mediaSsrc;
    private int feedbackCount;

    private long packets;
    private long tooOld;
    private long duplicates;
    private long messages;

    public TransportCcFeedbackGenerator(MonoClock clock, long senderSsrc, Config config) {
        this.clock = clock;
        this.senderSsrc = senderSsrc;
        this.config = config;
        this.builder = new TransportCcFeedback.Builder(senderSsrc, 0, 0);
        java.util.Arrays.fill(slotSeq, EMPTY);
    }

    /** Records a packet arriving now. Hot path. */
    public void onPacket(int transportSeq, long mediaSsrc) {
        onPacket(transportSeq, mediaSsrc, clock.nanos());
    }

    /**
     * Records a packet that arrived at {@code arrivalNanos} (the clock's time base, e.g. read once per datagram).
     * Hot path: no allocation.
     */
    public void onPacket(int transportSeq, long mediaSsrc, long arrivalNanos) {
        int seq = transportSeq & SeqNum.MASK;
        this.mediaSsrc = mediaSsrc & 0xFFFF_FFFFL;
        long ext;
        if (!any) {
            any = true;
            ext = SeqNum.SPACE + seq; // one space up: late packets from before the first stay positive
            highest = ext;
            nextToReport = ext;
        } else {
            ext = SeqNum.unwrap(seq, highest);
            if (ext > highest) {
                if (ext - highest >= WINDOW) {
                    // A jump beyond the window (sender restart, long outage): start afresh from here.
                    nextToReport = ext;
                } else if (nextToReport < ext - MASK) {
                    nextToReport = ext - MASK; // unreported packets are about to be overwritten: give them up
                }
                highest = ext;
            } else if (highest - ext > MASK) {
                tooOld++;
                return;
            }
        }
        int slot = (int) (ext & MASK);
        if (slotSeq[slot] == ext) {
            duplicates++;
            return;
        }
        slotSeq[slot] = ext;
        arrivalMicros[slot] = arrivalNanos / 1000;
        packets++;
        if (ext < nextToReport) {
            nextToReport = ext; // reported lost before: report it again
        }
    }

    /** Receives the messages of one {@link #build(Sink)}. */
    @FunctionalInterface
    public interface Sink {
        /**
         * One feedback message, in order. {@code feedback} is the generator's builder, lent for this call only: read
         * it ({@link TransportCcFeedback.Builder#length}, {@link TransportCcFeedback.Builder#write}) and do not keep it.
         */
        void accept(TransportCcFeedback.Builder feedback);
    }

    /**
     * Feedback for everything received since the previous call, as new instances: usually one message, none when
     * nothing new arrived. Each message gets the next feedback packet count (mod 256). The same messages as
     * {@link #build(Sink)}.
     */
    public List<TransportCcFeedback> build() {
        List<TransportCcFeedback> out = new ArrayList<>(1);
        build(b -> out.add(b.build()));
        return out;
    }

    /**
     * Feedback for everything received since the previous call, each message handed to {@code sink} in order: usually
     * one, none when nothing new arrived. Each message gets the next feedback packet count (mod 256). Allocates
     * nothing once the builder's arrays have grown to the largest message.
     *
     * @return the messages handed to the sink
     */
    public int build(Sink sink) {
        if (!any || nextToReport > highest) {
            return 0;
        }
        long from = nextToReport;
        if (!received(from)) {
            long anchor = previousReceived(from);
            if (anchor >= 0) {
                from = anchor;
            } else {
                while (!received(from)) {
                    from++; // nothing before to anchor on: the leading losses cannot be described
                }
            }
        }
        TransportCcFeedback.Builder b = builder;
        boolean open = false;
        int built = 0;
        long lastAdded = -1;
        for (long ext = from; ext <= highest; ext++) {
            if (!received(ext)) {
                continue;
            }
            int seq = (int) (ext & SeqNum.MASK);
            long at = arrivalOf(ext);
            if (open && b.packetStatusCount() + (ext - lastAdded) <= config.maxPacketsPerFeedback()
                    && b.add(seq, at)) {
                lastAdded = ext;
                continue;
            }
            if (open) {
                sink.accept(b);
                built++;
            }
            int count = feedbackCount++;
            b.reset(mediaSsrc, count);
            open = true;
            // A split after a gap: repeat the previous packet so the gap is still reported as lost.
            if (lastAdded >= 0 && ext - lastAdded > 1) {
                b.add((int) (lastAdded & SeqNum.MASK), arrivalOf(lastAdded));
                if (!b.add(seq, at)) {
                    b.reset(count);
                    b.add(seq, at);
                }
            } else {
                b.add(seq, at);
            }
            lastAdded = ext;
        }
        if (open) {
            sink.accept(b);
            built++;
        }
        nextToReport = highest + 1;
        messages += built;
        return built;
    }

    private long arrivalOf(long ext) {
        return arrivalMicros[(int) (ext & MASK)];
    }

    private boolean received(long ext) {
        return ext >= 0 && slotSeq[(int) (ext & MASK)] == ext;
    }

    /** The newest received packet before {@code ext} still in the window, or -1. */
    private long previousReceived(long ext) {
        for (long e = ext - 1; e > highest - WINDOW && e >= 0; e--) {
            if (received(e)) {
                return e;
            }
        }
        return -1;
    }

    public Config config() {
        return config;
    }

    /** Packets recorded (duplicates and too-old ones excluded). */
    public long packets() {
        return packets;
    }

    /** Packets older than the window, not reported. */
    public long tooOld() {
        return tooOld;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Feedback messages built. */
    public long messages() {
        return messages;
    }
}
