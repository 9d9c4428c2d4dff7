package dev.prism.perf.load;

import dev.prism.rtp.srtp.SrtpProfile;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One load run: start the server, connect the participants, let media flow, measure a window, stop everything, run
 * the floor loop, and hand back the numbers. Bounded: every wait has a deadline, and nothing is left running.
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

    LoadResult run() throws Exception {
        LoadResult.Builder result = new LoadResult.Builder(options, target.name());
        List<Publisher> publishers = new ArrayList<>();
        List<Subscriber> subscribers = new ArrayList<>();
        LatencyRecorder latency = new LatencyRecorder();
        try (LoadContext ctx = new LoadContext(target.clientBindAddress())) {
            try {
                log.accept("starting " + target.name() + "...");
                target.start();
                result.serverCommand(target.description());
                long pid = target.pid();
                JvmProbe jvm = target.jvm();
                if (jvm != null) {
                    result.serverJvmArgs(jvm.inputArguments());
                    result.heapBaseline(jvm.heapUsedAfterGc());
                }
                result.rssBaseline(ProcStats.read(pid).rssBytes());

                String room = "load-" + Long.toHexString(System.nanoTime());
                log.accept("connecting " + options.publishers() + " publishers and " + options.subscribers()
                        + " subscribers...");
                List<CompletableFuture<?>> joins = new ArrayList<>();
                for (int i = 0; i < options.publishers(); i++) {
                    Publisher p = new Publisher(ctx, options.media(), i,
                            target.signaling(room, "pub" + i, true, ctx.loop()));
                    publishers.add(p);
                    joins.add(p.start());
                }
                await(joins, 30, "publishers to connect");
                joins.clear();
                for (int i = 0; i < options.subscribers(); i++) {
                    Subscriber s = new Subscriber(ctx, i, target.signaling(room, "sub" + i, false, ctx.loop()),
                            latency);
                    subscribers.add(s);
                    joins.add(s.start());
                }
                await(joins, 30, "subscribers to join");
                int streams = 2 * options.publishers();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 + options.subscribers() / 5);
                while (!onLoop(ctx, () -> subscribers.stream().allMatch(s -> s.streamsReceiving() == streams))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not every subscriber receives all " + streams
                                + " streams: " + onLoop(ctx, subscribers::toString));
                    }
                    Thread.sleep(100);
                }
                log.accept("media flowing; warming up " + options.warmupSeconds() + " s...");
                sleepWatching(options.warmupSeconds());

                // ---- the measurement window ----
                onLoop(ctx, () -> {
                    subscribers.forEach(Subscriber::mark);
                    publishers.forEach(Publisher::mark);
                    latency.start();
                    return null;
                });
                ProcStats proc0 = ProcStats.read(pid);
                long alloc0 = jvm == null ? 0 : jvm.totalAllocatedBytes();
                long mediaAlloc0 = jvm == null ? 0 : jvm.allocatedBytesOfThreads(MEDIA_THREADS);
                double up0 = jvm == null ? 0 : jvm.uptimeMillis() / 1000.0;
                long wall0 = System.nanoTime();
                double localUp0 = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
                log.accept("measuring " + options.seconds() + " s...");
                sleepWatching(options.seconds());
                long wall = System.nanoTime() - wall0;
                result.loadGcWindow(localUp0,
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
                ProcStats proc1 = ProcStats.read(pid);
                long alloc1 = jvm == null ? 0 : jvm.totalAllocatedBytes();
                long mediaAlloc1 = jvm == null ? 0 : jvm.allocatedBytesOfThreads(MEDIA_THREADS);
                double up1 = jvm == null ? 0 : jvm.uptimeMillis() / 1000.0;
                onLoop(ctx, () -> {
                    latency.stop();
                    long received = 0;
                    long expected = 0;
                    long unknown = 0;
                    long srtpFailures = 0;
                    long feedback = 0;
                    long min = Long.MAX_VALUE;
                    long max = 0;
                    for (Subscriber s : subscribers) {
                        min = Math.min(min, s.receivedSinceMark());
                        max = Math.max(max, s.receivedSinceMark());
                        received += s.receivedSinceMark();
                        expected += s.expectedSinceMark();
                        unknown += s.unknownSsrc();
                        srtpFailures += s.srtpFailures();
                        feedback += s.feedbackSent();
                    }
                    long sentInWindow = 0;
                    for (Publisher p : publishers) {
                        sentInWindow += p.sentSinceMark();
                    }
                    long keyReq = 0;
                    long keyframes = 0;
                    long sent = 0;
                    for (Publisher p : publishers) {
                        keyReq += p.keyframeRequests();
                        keyframes += p.keyframes();
                        sent += p.packetsSent();
                    }
                    Map<String, Integer> profiles = new TreeMap<>();
                    publishers.forEach(p -> profiles.merge(String.valueOf(p.srtpProfile()), 1, Integer::sum));
                    subscribers.forEach(s -> profiles.merge(String.valueOf(s.srtpProfile()), 1, Integer::sum));
                    result.srtpProfiles(profiles).perSubscriber(min, max);
                    if (min < max / 2 || Boolean.getBoolean("prism.perf.verbose")) {
                        log.accept("uneven reception: " + subscribers);
                    }
                    result.window(wall, received, sentInWindow * subscribers.size(), expected).clients(unknown, srtpFailures, feedback, keyReq,
                            keyframes, sent);
                    result.latency(latency.all(), latency.audio().copy(), latency.video().copy(), latency.outOfRange());
                    return null;
                });
                result.serverCpu(proc1.cpuNanos() - proc0.cpuNanos());
                if (jvm != null) {
                    result.allocated(alloc1 - alloc0, mediaAlloc1 - mediaAlloc0);
                    result.heapWithParticipants(jvm.heapUsedAfterGc());
                    result.gcWindow(up0, up1);
                }
                result.rssWithParticipants(ProcStats.read(pid).rssBytes());
            } finally {
                onLoop(ctx, () -> {
                    publishers.forEach(Publisher::stop);
                    subscribers.forEach(Subscriber::stop);
                    return null;
                });
                target.close();
            }
        }
        if (target.gcLog() != null) {
            result.gcPauses(GcLog.pauses(target.gcLog()));
        }
        String ownGcLog = System.getProperty("prism.perf.gcLog");
        if (ownGcLog != null) {
            result.loadGcPauses(GcLog.pauses(Path.of(ownGcLog)));
        }
        LoadResult partial = result.build();
        if (options.floor() && partial.forwarded() > 0) {
            int incoming = (int) Math.max(5_000, Math.min(60_000, partial.forwarded() / options.subscribers()));
            log.accept("floor loop: " + incoming + " packets x " + options.subscribers() + " receivers...");
            FloorLoop floor = new FloorLoop(options.media(), options.publishers(), options.subscribers(),
                    SrtpProfile.AEAD_AES_128_GCM, target.clientBindAddress());
            result.floor(floor.run(incoming));
        }
        return result.build();
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

    private static <T> T onLoop(LoadContext ctx, Callable<T> task) throws Exception {
        return ctx.loop().submit(task).get(10, TimeUnit.SECONDS);
    }

    static double percentileMillis(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1e6;
    }
}
