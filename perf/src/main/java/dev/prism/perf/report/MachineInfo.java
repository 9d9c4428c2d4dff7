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
        return m;
    }

    /** One line: "Machine: <cpu>, N cores, M GiB, Linux x, JVM y". */
    public static String describe() {
        Map<String, Object> f = facts();
        return String.format("Machine: %s, %s vCPU, %.1f GiB RAM, %s, %s", f.get("cpu"), f.get("cores"),
                ((Long) f.get("memoryMiB")) / 1024.0, f.get("os"), f.get("jvm"));
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
