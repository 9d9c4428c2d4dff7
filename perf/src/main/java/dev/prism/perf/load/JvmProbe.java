package dev.prism.perf.load;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The server JVM seen through JMX, attached by process id (the JDK attach API starts its local management agent;
 * no port is opened): heap in use, bytes allocated by all threads (or some) since start, uptime, GC totals, and a way
 * to run a full GC before measuring retained heap.
 */
public final class JvmProbe implements AutoCloseable {
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final com.sun.management.ThreadMXBean threads;
    private final com.sun.management.OperatingSystemMXBean os;
    private final RuntimeMXBean runtime;
    private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();

    private JvmProbe(JMXConnector connector) throws IOException {
        this.connector = connector;
        MBeanServerConnection c = connector.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME,
                com.sun.management.ThreadMXBean.class);
        os = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME,
                com.sun.management.OperatingSystemMXBean.class);
        runtime = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.RUNTIME_MXBEAN_NAME,
                RuntimeMXBean.class);
        try {
            for (ObjectName n : c.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE
                    + ",*"), null)) {
                collectors.add(ManagementFactory.newPlatformMXBeanProxy(c, n.getCanonicalName(),
                        GarbageCollectorMXBean.class));
            }
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    static JvmProbe attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            String url = vm.startLocalManagementAgent();
            return new JvmProbe(JMXConnectorFactory.connect(new JMXServiceURL(url)));
        } finally {
            vm.detach();
        }
    }

    long heapUsed() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    long heapCommitted() {
        return memory.getHeapMemoryUsage().getCommitted();
    }

    /** Bytes allocated on the heap by every thread since the JVM started. */
    long totalAllocatedBytes() {
        return threads.getTotalThreadAllocatedBytes();
    }

    /**
     * Bytes allocated since they started by the live threads whose name starts with {@code prefix} (Prism's media
     * event loop is {@code prism-media-...}): the forwarding path's own share of {@link #totalAllocatedBytes()}.
     */
    long allocatedBytesOfThreads(String prefix) {
        long[] ids = threads.getAllThreadIds();
        java.lang.management.ThreadInfo[] infos = threads.getThreadInfo(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && infos[i].getThreadName().startsWith(prefix)) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(ids[i]));
            }
        }
        return sum;
    }

    /** CPU time of the whole JVM process, nanoseconds (a cross-check of /proc). */
    long processCpuNanos() {
        return os.getProcessCpuTime();
    }

    long uptimeMillis() {
        return runtime.getUptime();
    }

    String inputArguments() {
        return String.join(" ", runtime.getInputArguments());
    }

    long gcCount() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    long gcMillis() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** A full collection, then the heap still in use. */
    public long heapUsedAfterGc() {
        memory.gc();
        return heapUsed();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the process may be gone already
        }
    }
}
