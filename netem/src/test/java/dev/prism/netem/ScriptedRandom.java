package dev.prism.netem;

/** A {@link RandomSource} that returns the given draws in order and fails the test when asked for one more. */
final class ScriptedRandom implements RandomSource {
    private final double[] draws;
    private int next;

    ScriptedRandom(double... draws) {
        this.draws = draws.clone();
    }

    @Override
    public double nextDouble() {
        if (next == draws.length) {
            throw new AssertionError("draw " + (next + 1) + " asked for; the table scripted " + draws.length);
        }
        return draws[next++];
    }

    /** Draws not taken yet. */
    int left() {
        return draws.length - next;
    }
}
