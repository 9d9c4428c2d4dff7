package dev.prism.perf.socket;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The figures of one case in one round. Per-datagram figures divide by the datagrams of the measured window: sent
 * ones for send cases, received ones for receive cases. NaN where a figure does not apply or was not measured.
 *
 * @param caseName          the case
 * @param round             1-based round
 * @param unsupported       why the case did not run (not supported here, or failed), or null
 * @param datagrams         datagrams in the window
 * @param seconds           the window's length
 * @param loopCpuUs         CPU of the event loops under test per datagram, microseconds
 * @param processCpuUs      CPU of the whole process per datagram (loops, peers, JIT, GC), microseconds
 * @param peerCpuUs         CPU of the peer threads (drain or clients) per datagram, microseconds
 * @param ksoftirqdUs       CPU of the kernel's softirq threads per datagram, microseconds
 * @param loopCpuPercent    CPU of the loops under test over the window, percent of one core (sum over loops)
 * @param wakeupsPerDg      loop sleeps that ended (voluntary context switches) per datagram
 * @param readsPerDg        read batches ({@code channelReadComplete}) per datagram; NaN for send cases
 * @param allocBytesPerDg   heap bytes the loops allocated per datagram
 * @param sent              datagrams sent over the whole case (warm-up included)
 * @param received          datagrams received over the whole case
 * @param lost              sent - received once the receivers caught up (bounded wait)
 * @param kernelDrops       growth of the kernel's UDP RcvbufErrors over the case (all sockets of the machine)
 * @param windowDrops       the same from the window's start on (drops before it fell in the warm-up)
 * @param wrongSize         datagrams that arrived with an unexpected size
 * @param errors            failed writes, reads or client sends
 * @param receivedPerLoop   datagrams per receiving loop (SO_REUSEPORT's split), or null
 * @param stoppedInTime     whether the driver ended within its window (false: the figures are suspect)
 */
record RoundResult(String caseName, int round, String unsupported, long datagrams, double seconds, double loopCpuUs,
                   double processCpuUs, double peerCpuUs, double ksoftirqdUs, double loopCpuPercent,
                   double wakeupsPerDg, double readsPerDg, double allocBytesPerDg, long sent, long received, long lost,
                   long kernelDrops, long windowDrops, long wrongSize, long errors, long[] receivedPerLoop,
                   boolean stoppedInTime) {

    static RoundResult unsupported(String caseName, int round, String why) {
        return new RoundResult(caseName, round, why, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, 0, 0, 0, null, true);
    }

    double datagramsPerSecond() {
        return seconds > 0 ? datagrams / seconds : Double.NaN;
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("round", round);
        if (unsupported != null) {
            return j.put("unsupported", unsupported);
        }
        j.put("datagrams", datagrams).put("seconds", round(seconds, 3))
                .put("datagramsPerSecond", round(datagramsPerSecond(), 0))
                .put("loopCpuMicrosPerDatagram", round(loopCpuUs, 3))
                .put("processCpuMicrosPerDatagram", round(processCpuUs, 3))
                .put("peerCpuMicrosPerDatagram", round(peerCpuUs, 3))
                .put("ksoftirqdMicrosPerDatagram", round(ksoftirqdUs, 3))
                .put("loopCpuPercent", round(loopCpuPercent, 1))
                .put("wakeupsPerDatagram", round(wakeupsPerDg, 4))
                .put("readCompletesPerDatagram", round(readsPerDg, 4))
                .put("loopAllocatedBytesPerDatagram", round(allocBytesPerDg, 1))
                .put("sent", sent).put("received", received).put("lost", lost)
                .put("kernelRcvbufErrors", kernelDrops).put("kernelRcvbufErrorsInWindow", windowDrops)
                .put("wrongSize", wrongSize).put("errors", errors)
                .put("stoppedInTime", stoppedInTime);
        if (receivedPerLoop != null) {
            JsonArray a = new JsonArray();
            for (long r : receivedPerLoop) {
                a.add(r);
            }
            j.put("receivedPerLoop", a);
        }
        return j;
    }

    /** Rounded for the JSON; null for NaN (JSON has no NaN). */
    static Double round(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
