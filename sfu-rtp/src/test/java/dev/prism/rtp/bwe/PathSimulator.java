package dev.prism.rtp.bwe;

import dev.prism.core.clock.FakeClock;
import dev.prism.rtp.rtcp.TransportCcFeedback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * A deterministic network for estimator tests, stepped in 1 ms ticks of a {@link FakeClock}: a sender pacing packets
 * at a chosen rate, a bottleneck FIFO of a given capacity with a drop-tail queue limit and optional random loss, a
 * propagation delay each way, and a receiver running the real {@link TransportCcFeedbackGenerator} whose messages go
 * through the wire format ({@code write} then {@code parse}) before they reach the {@link SendSideEstimator}.
 */
final class PathSimulator {
    final FakeClock clock = new FakeClock();
    final SendSideEstimator estimator;
    final TransportCcFeedbackGenerator receiver;
    private final SplittableRandom random = new SplittableRandom(7);

    long capacityBps = 2_000_000;
    long oneWayDelayMs = 30;
    long maxQueueMs = 400;
    /**
     * A token bucket's burst in front of the FIFO (tc tbf, the netem relay's rate limit), 0 for none: while the queue
     * is empty, packets pass at once as long as the bucket (filled at the capacity, up to this many bytes) holds them.
     */
    long burstBytes;
    private double tokens;
    private long tokensAtNanos;
    double randomLoss;
    /**
     * A receiver that stalls (a loaded machine descheduling the browser's network thread): every
     * {@link #stallPeriodMs}, for {@link #stallMs}, packets are taken in only when the stall ends, all stamped with
     * that moment, then back to back. 0 for none. Nothing queues in the network meanwhile.
     */
    long stallMs;
    long stallPeriodMs = 300;
    /** Where in each period the stall starts. */
    long stallOffsetMs;
    int packetBytes = 1200;
    /** The application's send rate each tick; by default the estimate (a sender that follows it). */
    LongSupplier sendRateBps;
    /** Drops feedback message number n when true. */
    IntPredicate feedbackLost = n -> false;
    /** Extra bytes to send now as probe padding, and the cluster id to stamp on all packets; see {@link #probe}. */
    private int probeCluster = -1;
    private long probeBps;
    private long probeEndNanos;

    /**
     * When true, every dropped packet is sent again one round trip later as a retransmission
     * ({@link SendSideEstimator#markRepair}), and again if that one is dropped: a subscriber that NACKs.
     */
    boolean repairLosses;
    private final ArrayDeque<Long> repairsDue = new ArrayDeque<>();
    long repairsSent;

    /** When set, drives probing instead of {@link #probe}: asked every 500 ms with {@link #desiredBps}. */
    Prober prober;
    long desiredBps;
    private long nextProbeCheckNanos;

    private int nextSeq;
    private double sendBudgetBits;
    private double probeBudgetBits;
    private long queueFreeAtNanos;
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {arrivalNanos, seq}
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>(); // {deliverAtNanos, fb}
    private long nextFeedbackNanos;
    private long nextTickNanos;
    private int feedbackNumber;
    long sentPackets;
    long droppedPackets;
    long maxQueueDelayMs;

    PathSimulator(SendSideEstimator.Config config, int firstSeq) {
        this.estimator = new SendSideEstimator(clock, config);
        this.receiver = new TransportCcFeedbackGenerator(clock, 1, TransportCcFeedbackGenerator.Config.DEFAULT);
        this.sendRateBps = estimator::estimateBps;
        this.nextSeq = firstSeq;
        this.nextFeedbackNanos = clock.nanos() + 100_000_000L;
        this.nextTickNanos = clock.nanos() + 100_000_000L;
    }

    /** Sends padding at {@code bps} on top of the media for {@code millis}, all packets stamped with {@code cluster}. */
    void probe(int cluster, long bps, long millis) {
        probeCluster = cluster;
        probeBps = bps;
        probeEndNanos = clock.nanos() + millis * 1_000_000L;
        probeBudgetBits = 0;
    }

    void run(long millis) {
        for (long i = 0; i < millis; i++) {
            step();
        }
    }

    private void step() {
        long now = clock.nanos();
        if (probeCluster >= 0 && now >= probeEndNanos) {
            probeCluster = -1;
        }
        sendBudgetBits += sendRateBps.getAsLong() / 1000.0;
        while (sendBudgetBits >= packetBytes * 8) {
            sendBudgetBits -= packetBytes * 8;
            send(now);
        }
        if (prober != null) {
            if (now >= nextProbeCheckNanos) {
                nextProbeCheckNanos = now + 500_000_000L;
                prober.maybeStart(estimator.estimateBps(), sendRateBps.getAsLong(), desiredBps,
                        estimator.isCongested());
            }
            probeCluster = prober.activeClusterId();
            int due = prober.paddingBytesDue();
            while (due >= packetBytes) {
                send(now);
                due -= packetBytes;
            }
        } else if (probeCluster >= 0) {
            probeBudgetBits += probeBps / 1000.0;
            while (probeBudgetBits >= packetBytes * 8) {
                probeBudgetBits -= packetBytes * 8;
                send(now);
            }
        }
        while (!repairsDue.isEmpty() && repairsDue.peekFirst() <= now) {
            repairsDue.pollFirst();
            repairsSent++;
            send(now, true);
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= now) {
            long[] p = inFlight.pollFirst();
            receiver.onPacket((int) p[1], 0x1234, p[0]);
        }
        if (now >= nextFeedbackNanos) {
            nextFeedbackNanos += 100_000_000L;
            List<TransportCcFeedback> fbs = receiver.build();
            for (TransportCcFeedback fb : fbs) {
                if (!feedbackLost.test(feedbackNumber++)) {
                    feedbackInFlight.add(new Object[] {now + oneWayDelayMs * 1_000_000L, wire(fb)});
                }
            }
        }
        while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peekFirst()[0] <= now) {
            estimator.onFeedback((TransportCcFeedback) feedbackInFlight.pollFirst()[1]);
        }
        if (now >= nextTickNanos) {
            nextTickNanos += 100_000_000L;
            estimator.onTick();
        }
        clock.advanceMillis(1);
    }

    private void send(long now) {
        send(now, false);
    }

    private void send(long now, boolean repair) {
        int seq = nextSeq & 0xFFFF;
        nextSeq++;
        if (prober != null) {
            probeCluster = prober.activeClusterId();
            prober.onSent(packetBytes);
        }
        estimator.onPacketSent(seq, packetBytes, probeCluster);
        if (repair) {
            estimator.markRepair(seq);
        }
        sentPackets++;
        long serviceNanos = packetBytes * 8L * 1_000_000_000L / capacityBps;
        if (burstBytes > 0 && queueFreeAtNanos <= now) {
            long since = Math.max(tokensAtNanos, queueFreeAtNanos);
            tokens = Math.min(burstBytes, tokens + (now - since) * capacityBps / 8e9);
            tokensAtNanos = now;
            if (tokens >= packetBytes && random.nextDouble() >= randomLoss) {
                tokens -= packetBytes; // through on the bucket's burst, no queue
                inFlight.add(new long[] {stalled(now + oneWayDelayMs * 1_000_000L), seq});
                return;
            }
            tokens = 0; // a queue starts: the bucket is spent
        }
        long start = Math.max(now, queueFreeAtNanos);
        long queueDelay = start - now;
        if (queueDelay > maxQueueMs * 1_000_000L || random.nextDouble() < randomLoss) {
            droppedPackets++;
            if (repairLosses) {
                repairsDue.addLast(now + 2 * oneWayDelayMs * 1_000_000L);
            }
            return;
        }
        maxQueueDelayMs = Math.max(maxQueueDelayMs, queueDelay / 1_000_000L);
        queueFreeAtNanos = start + serviceNanos;
        inFlight.add(new long[] {stalled(queueFreeAtNanos + oneWayDelayMs * 1_000_000L), seq});
    }

    /** When the receiver takes in a packet that reaches it at {@code arrivalNanos} ({@link #stallMs}). */
    private long stalled(long arrivalNanos) {
        if (stallMs <= 0) {
            return arrivalNanos;
        }
        long period = stallPeriodMs * 1_000_000L;
        long into = Math.floorMod(arrivalNanos - stallOffsetMs * 1_000_000L, period);
        return into < stallMs * 1_000_000L ? arrivalNanos - into + stallMs * 1_000_000L : arrivalNanos;
    }

    /** Current queueing delay at the bottleneck in ms. */
    long queueDelayMs() {
        return Math.max(0, queueFreeAtNanos - clock.nanos()) / 1_000_000L;
    }

    private static TransportCcFeedback wire(TransportCcFeedback fb) {
        ByteBuf buf = Unpooled.buffer(fb.length());
        try {
            fb.write(buf);
            return TransportCcFeedback.parse(buf);
        } finally {
            buf.release();
        }
    }
}
