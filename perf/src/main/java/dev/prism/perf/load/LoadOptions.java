package dev.prism.perf.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The options of {@code perf/run load}.
 *
 * @param publishers     participants that publish one audio and one video track (and subscribe to nothing)
 * @param subscribers    participants that subscribe to every track (and publish nothing)
 * @param seconds        length of the measurement window
 * @param warmupSeconds  media flows this long before the window opens
 * @param target         "prism", "janus" or "both" (one run each, compared)
 * @param media          what each publisher sends
 * @param serverJvm      JVM options of the Prism server process
 * @param serverArgs     extra arguments appended to Prism's command line (after the load run's own), passed through
 *                       unchecked
 * @param rooms          how many rooms, each with {@code publishers} x {@code subscribers} of its own (Prism only)
 * @param clientThreads  event loop threads the participants are spread over, round-robin
 * @param floor          also run the floor loop after the server has stopped
 * @param out            where the JSON and text results go
 * @param transport      how the participants reach the server: "udp", "tcp" (ICE-TCP, Prism only) or "both" (UDP and
 *                       TCP legs alternating on one server, compared)
 * @param rounds         with "both": how many UDP legs and as many TCP legs (ABBA order: udp tcp, tcp udp, ...)
 */
record LoadOptions(int publishers, int subscribers, int rooms, int seconds, int warmupSeconds, String target,
                   MediaProfile media, List<String> serverJvm, List<String> serverArgs, int clientThreads, boolean floor,
                   Path out, String transport, int rounds, int speakers) {
    /** Most rounds of a "both" run. */
    static final int MAX_ROUNDS = 10;

    /** Most participant threads: more than the machine has cores only adds switching. */
    static final int MAX_CLIENT_THREADS = 64;

    static final String HELP = """
            perf/run load [options]: simulated participants against a Prism (or Janus) server started as its own process.
              --scenario PxS         P publishers (audio+video each) x S subscribers (all tracks); default 4x10
              --rooms N              N rooms, each PxS (Prism only: rooms spread over its media threads); default 1
              --seconds N            measurement window; default 30
              --warmup N             media flows this long before measuring (the server's JIT is still compiling
                                     after 5 s: 12-13 us per packet then, ~9.5 after 40 s); default 30
              --target prism|janus|both  server under test; both = Prism, then Janus, side by side; default prism
              --video-kbps N         video bitrate per publisher; default 1500
              --fps N                video frame rate; default 30
              --pacing F             video pacer at F x bitrate in 5 ms steps, like Chrome (2.5); 0 = frame bursts
              --server-jvm "OPTS"    JVM options of the Prism server; default "-XX:+UseZGC
                                     --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED
                                     --enable-native-access=ALL-UNNAMED", exactly what ./prism runs (the add-opens lets
                                     SRTP's AES-GCM use the JDK's GHASH intrinsic, the native access is for epoll and
                                     jitsi-srtp's OpenSSL without warnings on JDK 22+). No pre-touched heap: on a host
                                     that reclaims cold memory (DAMON), 512 MB of touched, idle heap kept its reclaim
                                     thread busy in 50 ms bursts and tripled Prism's latency tail (perf/README.md)
              --server-args "ARGS"   appended to Prism's command line, e.g. "--media-threads 2" (Prism only)
              --client-threads N     event loop threads of the simulated participants, round-robin; default 1
              --transport udp|tcp|both  how participants reach Prism: UDP, ICE-TCP (RFC 6544/4571 to its passive TCP
                                     candidate), or both: UDP and TCP legs alternating on one server (each leg its own
                                     participants, warm-up and window), CPU per forwarded packet and latency
                                     compared, TCP/UDP ratio printed; default udp
              --rounds N             with --transport both: N legs of each, in ABBA order; default 2
              --speakers K           a large room for top-N audio (--server-args "--audio-top-n 3"): publishers send
                                     audio only, the first K of a room speak (level -30 dBov), the others send
                                     silence (-127 dBov); up to 60 publishers; default: audio and video, all speak
              --no-floor             skip the floor loop
              --out DIR              results directory; default perf/results
            """;

    static LoadOptions parse(String[] args) {
        int pubs = 4;
        int subs = 10;
        int seconds = 30;
        int rooms = 1;
        int warmup = 30;
        String target = "prism";
        int kbps = MediaProfile.DEFAULT.videoKbps();
        int fps = MediaProfile.DEFAULT.fps();
        double pacing = MediaProfile.DEFAULT.pacingFactor();
        List<String> jvm = List.of("-XX:+UseZGC", "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED");
        List<String> serverArgs = List.of();
        int clientThreads = 1;
        boolean floor = true;
        Path out = Path.of("perf/results");
        String transport = "udp";
        int rounds = 0;
        int speakers = -1;
        List<String> a = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < a.size(); i++) {
            String opt = a.get(i);
            if (opt.equals("--no-floor")) {
                floor = false;
                continue;
            }
            if (opt.equals("--help") || opt.equals("-h")) {
                throw new IllegalArgumentException(HELP);
            }
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException(opt + " needs a value\n" + HELP);
            }
            String v = a.get(++i);
            switch (opt) {
                case "--scenario" -> {
                    String[] ps = v.toLowerCase().split("x");
                    if (ps.length != 2) {
                        throw new IllegalArgumentException("--scenario is PxS, e.g. 4x10");
                    }
                    pubs = positive(opt, ps[0]);
                    subs = positive(opt, ps[1]);
                }
                case "--rooms" -> rooms = positive(opt, v);
                case "--seconds" -> seconds = positive(opt, v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--target" -> {
                    if (!v.equals("prism") && !v.equals("janus") && !v.equals("both")) {
                        throw new IllegalArgumentException("--target is prism, janus or both");
                    }
                    target = v;
                }
                case "--video-kbps" -> kbps = positive(opt, v);
                case "--fps" -> fps = positive(opt, v);
                case "--pacing" -> {
                    try {
                        pacing = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--pacing needs a number, got " + v);
                    }
                }
                case "--server-jvm" -> jvm = words(v);
                case "--server-args" -> serverArgs = words(v);
                case "--client-threads" -> clientThreads = positive(opt, v);
                case "--out" -> out = Path.of(v);
                case "--transport" -> {
                    if (!v.equals("udp") && !v.equals("tcp") && !v.equals("both")) {
                        throw new IllegalArgumentException("--transport is udp, tcp or both");
                    }
                    transport = v;
                }
                case "--rounds" -> rounds = positive(opt, v);
                case "--speakers" -> speakers = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + HELP);
            }
        }
        if (pubs > (speakers >= 0 ? 60 : 15)) {
            throw new IllegalArgumentException("at most 15 publishers (receiver reports list at most 31 streams), 60 "
                    + "in a large-room run (--speakers K: its figure is the audio forwarded, not the reports)");
        }
        if (speakers > pubs) {
            throw new IllegalArgumentException("--speakers is at most the publishers of a room");
        }
        if (rooms * (pubs + subs) > 500 || seconds > 3600 || warmup < 0 || warmup > 600) {
            throw new IllegalArgumentException("a load run is bounded: at most 500 participants, 3600 s, 600 s warm-up");
        }
        if (clientThreads > MAX_CLIENT_THREADS) {
            throw new IllegalArgumentException("--client-threads is at most " + MAX_CLIENT_THREADS);
        }
        if (rooms > 1 && !target.equals("prism")) {
            throw new IllegalArgumentException("--rooms is for Prism only (the Janus target creates one room)");
        }
        if (!serverArgs.isEmpty() && target.equals("janus")) {
            throw new IllegalArgumentException("--server-args are Prism's; Janus is configured by the run");
        }
        if (!transport.equals("udp") && !target.equals("prism")) {
            throw new IllegalArgumentException(
                    "--transport tcp and both are for Prism only (Janus runs without ICE-TCP)");
        }
        if (rounds > 0 && !transport.equals("both")) {
            throw new IllegalArgumentException("--rounds goes with --transport both");
        }
        if (rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds is at most " + MAX_ROUNDS);
        }
        if (transport.equals("both") && 2L * Math.max(rounds, 2) * (seconds + warmup) > 3600) {
            throw new IllegalArgumentException("a load run is bounded: --transport both legs add up to at most 3600 s");
        }
        MediaProfile d = MediaProfile.DEFAULT;
        return new LoadOptions(pubs, subs, rooms, seconds, warmup, target,
                new MediaProfile(kbps, fps, d.keyframeSeconds(), d.keyframeFactor(), d.maxPayload(),
                        d.audioPayload(), pacing), jvm, serverArgs, clientThreads, floor, out, transport,
                transport.equals("both") ? (rounds == 0 ? 2 : rounds) : 1, speakers);
    }

    /** The same options for one server. */
    LoadOptions withTarget(String t, boolean withFloor) {
        return new LoadOptions(publishers, subscribers, rooms, seconds, warmupSeconds, t, media, serverJvm,
                serverArgs, clientThreads, withFloor, out, transport, rounds, speakers);
    }

    /**
     * The transports of the legs, in order: one leg for "udp" or "tcp"; for "both" {@code rounds} of each, ABBA
     * (udp tcp, tcp udp, udp tcp, ...) so that a drift over the run (the server's JIT, other work on the machine)
     * falls on both alike.
     */
    List<PeerTransport> legs() {
        if (!transport.equals("both")) {
            return List.of(PeerTransport.valueOf(transport.toUpperCase(java.util.Locale.ROOT)));
        }
        List<PeerTransport> legs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean udpFirst = r % 2 == 0;
            legs.add(udpFirst ? PeerTransport.UDP : PeerTransport.TCP);
            legs.add(udpFirst ? PeerTransport.TCP : PeerTransport.UDP);
        }
        return legs;
    }

    /** A quoted option value as separate arguments (split at white space; no quoting inside). */
    private static List<String> words(String v) {
        return v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
    }

    String scenario() {
        return rooms == 1 ? publishers + "x" + subscribers : rooms + "rooms-" + publishers + "x" + subscribers;
    }

    private static int positive(String opt, String v) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got " + v);
        }
        if (n < 1) {
            throw new IllegalArgumentException(opt + " must be at least 1");
        }
        return n;
    }
}
