package dev.prism.perf.load;

import dev.prism.srtp.SrtpProfile;
import io.netty.channel.EventLoop;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * One load run: start the server, connect the participants, let media flow, measure a window, stop everything, run
 * the floor loop, and hand back the numbers. Bounded: every wait has a deadline, and nothing is left running.
 *
 * <p>Threads: the caller's thread drives the run; each participant's state is touched only on its own event loop, so
 * every mark, read-out and stop is a task submitted to that loop (one per loop for the window's start and end, so
 * all of a loop's participants and its latency recorder change together).
 */
final class LoadRun {
    /** Name prefix of Prism's media event loop thread(s) (MediaEngine's thread factory). */
    private static final String MEDIA_THREADS = "prism-media";

    private final LoadOptions options;
    private final Target target;
    private final Consumer<String> log;

    LoadRun(LoadOptions options, Target target, Consumer<String> log) {
        this.options = options;
        this.target = target;
        this.log = log;
    }

    /** A run with one leg ({@code --transport udp} or {@code tcp}): its result. */
    LoadResult run() throws Exception {
        List<LoadResult> legs = runLegs();
        if (legs.size() != 1) {
            throw new IllegalStateException("--transport both has " + legs.size() + " legs: call runLegs()");
        }
        return legs.get(0);
    }

    /**
     * Every leg of {@link LoadOptions#legs()} against one server start: each leg connects its own participants over
     * its transport (in rooms of its own), warms up, measures its window and stops them before the next leg begins.
     * The floor loop runs after the server stopped, for a single leg only. Results in leg order.
     */
    List<LoadResult> runLegs() throws Exception {
        List<PeerTransport> legs = options.legs();
        List<LoadResult.Builder> results = new ArrayList<>();
        try (LoadContext ctx = new LoadContext(target.clientBindAddress(), options.clientThreads())) {
            try {
                log.accept("starting " + target.name() + "...");
                target.start();
                String runId = "load-" + Long.toHexString(System.nanoTime());
                for (int leg = 0; leg < legs.size(); leg++) {
                    PeerTransport transport = legs.get(leg);
                    LoadResult.Builder result = new LoadResult.Builder(options, target.name())
                            .transport(transport, legs.size() == 1 ? 0 : leg + 1);
                    results.add(result);
                    result.serverCommand(target.description());
                    String prefix = legs.size() == 1 ? "" : "leg " + (leg + 1) + "/" + legs.size() + " "
                            + transport.label() + ": ";
                    runLeg(ctx, result, transport, legs.size() == 1 ? runId : runId + "-" + leg,
                            m -> log.accept(prefix + m));
                }
            } finally {
                target.close();
            }
        }
        String ownGcLog = System.getProperty("prism.perf.gcLog");
        for (LoadResult.Builder result : results) {
            if (target.gcLog() != null) {
                result.gcPauses(GcLog.pauses(target.gcLog()));
            }
            if (ownGcLog != null) {
                result.loadGcPauses(GcLog.pauses(Path.of(ownGcLog)));
            }
        }
        if (legs.size() == 1 && options.floor()) {
            LoadResult partial = results.get(0).build();
            if (partial.forwarded() > 0) {
                int incoming = (int) Math.max(5_000, Math.min(60_000,
                        partial.forwarded() / ((long) options.rooms() * options.subscribers())));
                log.accept("floor loop: " + incoming + " packets x " + options.subscribers() + " receivers...");
                FloorLoop floor = new FloorLoop(options.media(), options.publishers(), options.subscribers(),
                        SrtpProfile.AEAD_AES_128_GCM, target.clientBindAddress());
                results.get(0).floor(floor.run(incoming));
            }
        }
        return results.stream().map(LoadResult.Builder::build).toList();
    }

    /** One leg on the started server: connect, warm up, measure, stop this leg's participants. */
    private void runLeg(LoadContext ctx, LoadResult.Builder result, PeerTransport transport, String runId,
                        Consumer<String> log) throws Exception {
        List<Publisher> publishers = new ArrayList<>();
        List<Subscriber> subscribers = new ArrayList<>();
        int lanes = options.clientThreads();
        List<LatencyRecorder> latency = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            latency.add(new LatencyRecorder());
        }
        long pid = target.pid();
        JvmProbe jvm = target.jvm();
        if (jvm != null) {
            result.serverJvmArgs(jvm.inputArguments());
            result.heapBaseline(jvm.heapUsedAfterGc());
        }
        result.rssBaseline(ProcStats.read(pid).rssBytes());
        try {
            int rooms = options.rooms();
            log.accept("connecting " + (rooms == 1 ? "" : rooms + " rooms of ") + options.publishers()
                    + " publishers and " + options.subscribers() + " subscribers on " + lanes + " client thread"
                    + (lanes == 1 ? "" : "s") + (transport == PeerTransport.UDP ? "" : " over ICE-TCP") + "...");
            // Participant n (publishers of every room first, then subscribers) lives on loop n % lanes.
            List<CompletableFuture<?>> joins = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                String room = rooms == 1 ? runId : runId + "-" + r;
                for (int i = 0; i < options.publishers(); i++) {
                    int n = r * options.publishers() + i;
                    EventLoop loop = ctx.loop(n);
                    Publisher p = new Publisher(ctx, loop, options.media(), n,
                            target.signaling(room, "pub" + i, true, loop), transport);
                    if (options.speakers() >= 0) {
                        p.audioOnly();
                        if (i >= options.speakers()) {
                            p.silentAudio();
                        }
                    }
                    publishers.add(p);
                    joins.add(p.start());
                    if (options.speakers() >= 0 && joins.size() % 10 == 0) {
                        // A large room: ten DTLS handshakes at a time, or a loaded machine misses their deadlines.
                        await(joins, 30, "publishers to connect");
                    }
                }
            }
            await(joins, 30, "publishers to connect");
            joins.clear();
            for (int r = 0; r < rooms; r++) {
                String room = rooms == 1 ? runId : runId + "-" + r;
                for (int i = 0; i < options.subscribers(); i++) {
                    int n = rooms * options.publishers() + r * options.subscribers() + i;
                    EventLoop loop = ctx.loop(n);
                    Subscriber s = new Subscriber(ctx, loop, r * options.subscribers() + i,
                            target.signaling(room, "sub" + i, false, loop), latency.get(n % lanes), transport);
                    subscribers.add(s);
                    joins.add(s.start());
                }
            }
            await(joins, 30, "subscribers to join");
            // A large room: the speakers' audio is forwarded with or without top-N audio, the rest maybe not at all.
            int streams = options.speakers() >= 0 ? Math.max(1, options.speakers()) : 2 * options.publishers();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + rooms * options.subscribers() / 5);
            while (!onOwnLoops(subscribers, Subscriber::loop, Subscriber::streamsReceiving).stream()
                    .allMatch(n -> n >= streams)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every subscriber receives all " + streams
                            + " streams: " + onOwnLoops(subscribers, Subscriber::loop, Subscriber::toString));
                }
                Thread.sleep(100);
            }
            log.accept("media flowing; warming up " + options.warmupSeconds() + " s...");
            sleepWatching(options.warmupSeconds());

            // ---- the measurement window ----
            onEachLoop(ctx, lane -> {
                publishers.stream().filter(p -> p.loop() == ctx.loops().get(lane)).forEach(Publisher::mark);
                subscribers.stream().filter(s -> s.loop() == ctx.loops().get(lane)).forEach(Subscriber::mark);
                latency.get(lane).start();
                return null;
            });
            ProcStats proc0 = ProcStats.read(pid);
            ProcStats own0 = ProcStats.read(ProcessHandle.current().pid());
            long alloc0 = jvm == null ? 0 : jvm.totalAllocatedBytes();
            long mediaAlloc0 = jvm == null ? 0 : jvm.allocatedBytesOfThreads(MEDIA_THREADS);
            double up0 = jvm == null ? 0 : jvm.uptimeMillis() / 1000.0;
            long wall0 = System.nanoTime();
            double localUp0 = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
            log.accept("measuring " + options.seconds() + " s...");
            sleepWatching(options.seconds());
            long wall = System.nanoTime() - wall0;
            result.loadGcWindow(localUp0, ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
            ProcStats proc1 = ProcStats.read(pid);
            ProcStats own1 = ProcStats.read(ProcessHandle.current().pid());
            long alloc1 = jvm == null ? 0 : jvm.totalAllocatedBytes();
            long mediaAlloc1 = jvm == null ? 0 : jvm.allocatedBytesOfThreads(MEDIA_THREADS);
            double up1 = jvm == null ? 0 : jvm.uptimeMillis() / 1000.0;
            // One task per loop closes the window for its recorder and participants at once: a packet read in
            // between would be counted but not timed.
            List<LaneWindow> lanesEnd = onEachLoop(ctx, lane -> {
                EventLoop loop = ctx.loops().get(lane);
                latency.get(lane).stop();
                return new LaneWindow(latency.get(lane).snapshot(),
                        subscribers.stream().filter(s -> s.loop() == loop).map(Subscriber::window).toList(),
                        publishers.stream().filter(p -> p.loop() == loop).map(Publisher::window).toList(),
                        subscribers.stream().filter(s -> s.loop() == loop).mapToLong(Subscriber::audioSinceMark).sum());
            });
            List<Subscriber.Window> subWindows = new ArrayList<>();
            List<Publisher.Window> pubWindows = new ArrayList<>();
            List<LatencyRecorder.Snapshot> recorded = new ArrayList<>();
            long audio = 0;
            for (LaneWindow w : lanesEnd) {
                audio += w.audio();
                subWindows.addAll(w.subscribers());
                pubWindows.addAll(w.publishers());
                recorded.add(w.latency());
            }
            log.accept("audio packets forwarded in the window: " + audio + " (" + Math.round(audio * 1e9 / wall)
                    + "/s)" + (options.speakers() >= 0 ? ", " + options.speakers() + " speaking per room" : ""));
            result.audioForwarded(audio);
            result.window(wall).subscribers(subWindows).publishers(pubWindows)
                    .latency(LatencyRecorder.Snapshot.merge(recorded));
            long min = subWindows.stream().mapToLong(Subscriber.Window::media).min().orElse(0);
            long max = subWindows.stream().mapToLong(Subscriber.Window::media).max().orElse(0);
            if (min < max / 2 || Boolean.getBoolean("prism.perf.verbose")) {
                log.accept("uneven reception: " + onOwnLoops(subscribers, Subscriber::loop, Subscriber::toString));
            }
            result.serverCpu(proc1.cpuNanos() - proc0.cpuNanos());
            result.loadGeneratorCpu(own1.cpuNanos() - own0.cpuNanos());
            if (jvm != null) {
                result.allocated(alloc1 - alloc0, mediaAlloc1 - mediaAlloc0);
                result.heapWithParticipants(jvm.heapUsedAfterGc());
                result.gcWindow(up0, up1);
            }
            result.rssWithParticipants(ProcStats.read(pid).rssBytes());
        } finally {
            onEachLoop(ctx, lane -> {
                EventLoop loop = ctx.loops().get(lane);
                publishers.stream().filter(p -> p.loop() == loop).forEach(Publisher::stop);
                subscribers.stream().filter(s -> s.loop() == loop).forEach(Subscriber::stop);
                return null;
            });
        }
    }

    private void sleepWatching(int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long pid = target.pid();
        while (System.nanoTime() < end) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                throw new IllegalStateException(target.name() + " exited during the run");
            }
            Thread.sleep(Math.min(250, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void await(List<CompletableFuture<?>> futures, int seconds, String what) throws Exception {
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            long done = futures.stream().filter(CompletableFuture::isDone).count();
            throw new IllegalStateException("timed out waiting for " + what + ": " + done + "/" + futures.size());
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed waiting for " + what + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** What one loop's participants and recorder held when the window closed. */
    private record LaneWindow(LatencyRecorder.Snapshot latency, List<Subscriber.Window> subscribers,
                              List<Publisher.Window> publishers, long audio) {
    }

    /**
     * Runs {@code task} for each participant on that participant's own loop (where its state lives), all loops at
     * once, and returns the results in the participants' order. Bounded: 10 s for all.
     */
    private static <P, T> List<T> onOwnLoops(List<P> participants, Function<P, EventLoop> loopOf,
                                             Function<P, T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>(participants.size());
        for (P p : participants) {
            futures.add(loopOf.apply(p).submit(() -> task.apply(p)));
        }
        return collect(futures);
    }

    /** Runs {@code task(lane)} once on every participant loop, at once; results by lane. Bounded: 10 s for all. */
    private static <T> List<T> onEachLoop(LoadContext ctx, IntFunction<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int lane = 0; lane < ctx.loops().size(); lane++) {
            int l = lane;
            futures.add(ctx.loops().get(lane).submit(() -> task.apply(l)));
        }
        return collect(futures);
    }

    private static <T> List<T> collect(List<Future<T>> futures) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<T> out = new ArrayList<>(futures.size());
        for (Future<T> f : futures) {
            out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return out;
    }

    static double percentileMillis(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1e6;
    }
}
