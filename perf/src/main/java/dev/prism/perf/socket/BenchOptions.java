package dev.prism.perf.socket;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code perf/run sockets}.
 *
 * @param rounds        times every case runs; rounds alternate forward and reverse order, so drift shows
 * @param seconds       measured window per case and round
 * @param warmupSeconds traffic before each window opens
 * @param warmupPass    run every case once, briefly and unreported, before the first round (JIT)
 * @param receivers     K, receivers of the fan-out
 * @param sendRate      datagrams per second of the send and GSO cases
 * @param recvRates     total datagrams per second of the receive cases' clients; 0 = unpaced
 * @param senders       S, client sockets of the receive cases
 * @param flushBatches  incoming packets per flush of the larger-batch send cases
 * @param gsoSegments   segments per send of the GSO cases
 * @param recvmmsgBatch datagrams per recvmmsg call
 * @param maxDatagrams  datagrams per window at most (a bound for unpaced runs)
 * @param only          run only cases whose name contains this (case-insensitive), or null
 * @param out           results directory
 */
record BenchOptions(int rounds, double seconds, double warmupSeconds, boolean warmupPass, int receivers,
                    double sendRate, List<Double> recvRates, int senders, List<Integer> flushBatches,
                    List<Integer> gsoSegments, int recvmmsgBatch, long maxDatagrams, String only, Path out) {
    /** Every datagram of the benchmark: an RTP packet of a video frame, as Prism forwards them. */
    static final int DATAGRAM_BYTES = 1200;
    /** Seconds a warm-up pass run lasts. */
    static final double PASS_SECONDS = 0.3;
    /** Seconds of set-up, catch-up and tear-down per case run, for the time estimate. */
    static final double OVERHEAD_SECONDS = 0.3;

    static final String HELP = """
            perf/run sockets [options]: loopback benchmark of the UDP socket paths of Prism's media loop (Netty epoll):
            fan-out flushes (sendto vs sendmmsg batches), UDP GSO vs sendmmsg, and receive with one socket,
            SO_REUSEPORT x2 loops or recvmmsg. Prints one table; writes perf/results/sockets-<time>.json and .txt.
              --rounds N           times every case runs (alternating order); default 2
              --seconds S          measured window per case and round; default 2
              --warmup S           traffic before each window; default 0.5
              --no-warmup-pass     skip the unreported first pass over every case
              --receivers K        fan-out receivers; default 10
              --send-rate N        datagrams/s of the send and GSO cases; default 30000
              --recv-rates LIST    client datagrams/s of the receive cases, "max" = unpaced; default 10000,30000,max
              --senders S          client sockets of the receive cases; default 8
              --batches LIST       incoming packets per flush for the larger sendmmsg batches; default 4,16
              --gso LIST           segments per GSO send; default 2,4,8
              --recvmmsg N         datagrams per recvmmsg; default 16
              --max-datagrams N    datagrams per window at most; default 2000000
              --only TEXT          only the cases whose name contains TEXT, e.g. "recv", "gso 4x", "flush"
              --out DIR            results directory; default perf/results
            """;

    static BenchOptions defaults() {
        return parse(new String[0]);
    }

    static BenchOptions parse(String[] args) {
        int rounds = 2;
        double seconds = 2;
        double warmup = 0.5;
        boolean pass = true;
        int receivers = 10;
        double sendRate = 30_000;
        List<Double> recvRates = List.of(10_000.0, 30_000.0, 0.0);
        int senders = 8;
        List<Integer> batches = List.of(4, 16);
        List<Integer> gso = List.of(2, 4, 8);
        int recvmmsg = 16;
        long maxDatagrams = 2_000_000;
        String only = null;
        Path out = Path.of("perf/results");
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (opt.equals("--help") || opt.equals("-h")) {
                throw new IllegalArgumentException(HELP);
            }
            if (opt.equals("--no-warmup-pass")) {
                pass = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(opt + " needs a value\n" + HELP);
            }
            String v = args[++i];
            switch (opt) {
                case "--rounds" -> rounds = (int) integer(opt, v, 1, 10);
                case "--seconds" -> seconds = range(opt, v, 0.1, 60);
                case "--warmup" -> warmup = range(opt, v, 0, 30);
                case "--receivers" -> receivers = (int) integer(opt, v, 1, 100);
                case "--send-rate" -> sendRate = range(opt, v, 100, 1_000_000);
                case "--recv-rates" -> {
                    List<Double> l = new ArrayList<>();
                    for (String s : list(opt, v)) {
                        l.add(s.equalsIgnoreCase("max") ? 0.0 : range(opt, s, 100, 1_000_000));
                    }
                    recvRates = List.copyOf(l);
                }
                case "--senders" -> senders = (int) integer(opt, v, 1, 256);
                case "--batches" -> batches = ints(opt, v, 1, 64);
                case "--gso" -> gso = ints(opt, v, 2, 32);
                case "--recvmmsg" -> recvmmsg = (int) integer(opt, v, 2, 64);
                case "--max-datagrams" -> maxDatagrams = integer(opt, v, 100, 100_000_000);
                case "--only" -> only = v;
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + HELP);
            }
        }
        return new BenchOptions(rounds, seconds, warmup, pass, receivers, sendRate, recvRates, senders, batches, gso,
                recvmmsg, maxDatagrams, only, out);
    }

    /** The cases these options select, in the table's order: send, GSO, receive. */
    List<BenchCase> cases() {
        List<BenchCase> all = new ArrayList<>();
        all.add(FanOutCase.flushEach(receivers, sendRate, DATAGRAM_BYTES));
        all.add(FanOutCase.flushPer(1, receivers, sendRate, DATAGRAM_BYTES));
        for (int b : flushBatches) {
            if (b > 1) {
                all.add(FanOutCase.flushPer(b, receivers, sendRate, DATAGRAM_BYTES));
            }
        }
        for (int m : gsoSegments) {
            all.add(new GsoCase(m, false, sendRate, DATAGRAM_BYTES));
            all.add(new GsoCase(m, true, sendRate, DATAGRAM_BYTES));
        }
        for (double r : recvRates) {
            for (ReceiveCase.Mode mode : ReceiveCase.Mode.values()) {
                all.add(new ReceiveCase(mode, r, senders, recvmmsgBatch, DATAGRAM_BYTES));
            }
        }
        if (only == null) {
            return all;
        }
        String needle = only.toLowerCase(Locale.ROOT);
        List<BenchCase> selected = new ArrayList<>();
        for (BenchCase c : all) {
            if (c.name().toLowerCase(Locale.ROOT).contains(needle)) {
                selected.add(c);
            }
        }
        // A comparison needs its baseline: keep the baseline of every selected case.
        List<BenchCase> withBaselines = new ArrayList<>();
        for (BenchCase c : all) {
            if (selected.contains(c) || selected.stream().anyMatch(s -> s.baseline().equals(c.name()))) {
                withBaselines.add(c);
            }
        }
        return withBaselines;
    }

    /** About how long a run with these options takes, in seconds. */
    double estimatedSeconds(int caseCount) {
        double perRun = warmupSeconds + seconds + OVERHEAD_SECONDS;
        return caseCount * (rounds * perRun + (warmupPass ? PASS_SECONDS + OVERHEAD_SECONDS : 0));
    }

    private static double range(String opt, String v, double min, double max) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + ": not a number: " + v);
        }
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException(opt + " must be in [" + min + ", " + max + "], got " + v);
        }
        return d;
    }

    private static long integer(String opt, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + ": not a whole number: " + v);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(opt + " must be in [" + min + ", " + max + "], got " + v);
        }
        return n;
    }

    private static List<String> list(String opt, String v) {
        List<String> l = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                l.add(s.trim());
            }
        }
        if (l.isEmpty()) {
            throw new IllegalArgumentException(opt + " needs a comma-separated list");
        }
        return l;
    }

    private static List<Integer> ints(String opt, String v, int min, int max) {
        List<Integer> l = new ArrayList<>();
        for (String s : list(opt, v)) {
            l.add((int) integer(opt, s, min, max));
        }
        return List.copyOf(l);
    }
}
