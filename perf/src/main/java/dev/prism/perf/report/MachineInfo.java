package dev.prism.perf.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the numbers were measured on: CPU model, cores, memory, kernel and JVM, read from /proc and the JVM. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** Key facts as an ordered map (for JSON). */
    public static Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryMiB", memTotalKiB() / 1024);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverage", loadAverage());
        return m;
    }

    /** One line: "Machine: <cpu>, N cores, M GiB, Linux x, JVM y". */
    public static String describe() {
        Map<String, Object> f = facts();
        return String.format("Machine: %s, %s vCPU, %.1f GiB RAM, %s, %s; load average %s (other work on the machine"
                        + " skews results)", f.get("cpu"), f.get("cores"), ((Long) f.get("memoryMiB")) / 1024.0,
                f.get("os"), f.get("jvm"), f.get("loadAverage"));
    }

    /** The 1, 5 and 15 minute load averages, e.g. "0.52 0.61 0.70". */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static long memTotalKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory() / 1024;
    }
}
