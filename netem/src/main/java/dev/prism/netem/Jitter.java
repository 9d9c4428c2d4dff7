package dev.prism.netem;

/** How a {@link Link} spreads each packet's delay around its fixed part. */
public enum Jitter {
    /** Uniform in {@code [-jitter, +jitter]}: one draw {@code u}, offset {@code (2u - 1) * jitter}. */
    UNIFORM,
    /**
     * Normal with standard deviation {@code jitter}, cut at three of them: two draws (Box-Muller,
     * {@code sqrt(-2 ln(1 - u1)) * cos(2 pi u2)}).
     */
    NORMAL
}
