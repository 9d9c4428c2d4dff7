import com.sun.management.ThreadMXBean;
import dev.prism.perf.jmh.ForwardingBenchmark;
import dev.prism.srtp.SrtpProfile;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * ForwardingBenchmark.fanOut (10 receivers, AEAD_AES_128_GCM, Prism's SRTP) timed by the thread's CPU time instead of
 * the wall clock, for a machine so loaded that JMH's wall-clock figures measure the scheduler. Same object JMH runs
 * (setUp/fanOut/tearDown), on a Netty FastThreadLocalThread as JMH's are here. Compiled on its own and put first on
 * either tree's class path (the benchmark's API is the same in both). Bounded: warm-up stops after 4 s of CPU or 180 s
 * of wall time; then 10 batches of 10,000 calls.
 */
public final class FanOutCpuTime {
    public static void main(String[] args) throws Exception {
        Thread t = new FastThreadLocalThread(FanOutCpuTime::run, "fanout-cpu");
        t.start();
        t.join();
    }

    private static void run() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = 10;
        b.profile = SrtpProfile.AEAD_AES_128_GCM;
        try { // the pacer parameter exists on main only; -Dfanout.pacer=true|false picks it there
            ForwardingBenchmark.class.getField("pacer").setBoolean(b, Boolean.getBoolean("fanout.pacer"));
        } catch (ReflectiveOperationException absent) {
            // an older tree: no pacer at all
        }
        b.setUp();
        try {
            long sink = 0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long wallEnd = System.nanoTime() + 180_000_000_000L;
            while (mx.getCurrentThreadCpuTime() - cpu0 < 4_000_000_000L && System.nanoTime() < wallEnd) {
                for (int i = 0; i < 1_000; i++) {
                    sink += b.fanOut();
                }
            }
            int batches = 10;
            int calls = 10_000;
            double[] nsPerFwd = new double[batches];
            double[] bytesPerFwd = new double[batches];
            long wall0 = System.nanoTime();
            long cpuAll = 0;
            for (int k = 0; k < batches; k++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < calls; i++) {
                    sink += b.fanOut();
                }
                long c = mx.getCurrentThreadCpuTime() - c0;
                cpuAll += c;
                nsPerFwd[k] = c / (double) calls / b.receivers;
                bytesPerFwd[k] = (mx.getCurrentThreadAllocatedBytes() - a0) / (double) calls / b.receivers;
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            double[] s = nsPerFwd.clone();
            Arrays.sort(s);
            System.out.printf("cpu ns/fwd median %.1f min %.1f max %.1f | B/fwd median %.2f | cpu/wall %.2f | sink %d%n",
                    (s[4] + s[5]) / 2, s[0], s[9], median(bytesPerFwd), cpuAll / 1e9 / wall, sink);
            System.out.println("batches ns/fwd " + Arrays.toString(nsPerFwd));
        } finally {
            b.tearDown();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
