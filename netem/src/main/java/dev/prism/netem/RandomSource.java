package dev.prism.netem;

import java.util.SplittableRandom;

/**
 * Where a {@link Link} draws its chance from: uniform doubles in {@code [0, 1)}. A seeded source makes a run
 * repeatable; tests give a scripted one so every draw, and so every packet's fate, is written in the table.
 * Called on the thread that owns the link only.
 */
@FunctionalInterface
public interface RandomSource {
    /** The next uniform double in {@code [0, 1)}. */
    double nextDouble();

    /** A repeatable source: the same seed gives the same draws. */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return random::nextDouble;
    }
}
