package dev.prism.rtp.pacer;

/**
 * What every pacer of one event loop reports for the node's metrics: packets that waited and for how long, and packets
 * a full queue sent early. Called on the loop's thread, per paced packet: implementations only add to counters (no
 * allocation, no lock).
 */
public interface PacerTotals {
    /** Reports nothing (tests, benchmarks). */
    PacerTotals NONE = new PacerTotals() {
        @Override
        public void waited(long waitNanos) {
        }

        @Override
        public void sentEarly() {
        }
    };

    /** A queued packet left after waiting {@code waitNanos}. */
    void waited(long waitNanos);

    /** A full queue sent its oldest packet before its turn to take a new one. */
    void sentEarly();
}
