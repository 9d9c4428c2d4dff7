package dev.prism.rtp.bwe;

/**
 * Estimates whether one-way delay is growing: accumulates the delay variation of consecutive packet groups, smooths
 * it, and fits a line through the last {@link #WINDOW} smoothed points against arrival time (least squares). The
 * slope (ms of extra delay per ms) is scaled by the number of samples seen (up to {@link #MAX_SAMPLES_SCALE}) and a
 * gain, so one noisy sample at start-up cannot trip the detector. This is the delay-gradient idea of Google congestion
 * control (draft-ietf-rmcat-gcc-02), in the trendline form browsers use.
 *
 * <p>Not thread-safe; no allocation.
 */
final class TrendlineFilter {
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4.0;
    static final int MAX_SAMPLES_SCALE = 60;

    private final double[] x = new double[WINDOW];
    private final double[] y = new double[WINDOW];
    private int head;
    private int count;
    private int samples;
    private boolean started;
    private double firstArrivalMs;
    private double accumulated;
    private double smoothed;
    private double slope;

    /**
     * Adds one group delta; returns the modified trend (scaled slope) to compare against the detector's threshold.
     *
     * @param delayVariationMs arrival delta minus send delta of the group, in ms
     * @param arrivalMs        arrival time of the group, in ms on the receiver's clock
     */
    double update(double delayVariationMs, double arrivalMs) {
        if (!started) {
            started = true;
            firstArrivalMs = arrivalMs;
        }
        samples = Math.min(samples + 1, 1000);
        accumulated += delayVariationMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        int i = (head + count) % WINDOW;
        if (count == WINDOW) {
            head = (head + 1) % WINDOW;
        } else {
            count++;
        }
        x[i] = arrivalMs - firstArrivalMs;
        y[i] = smoothed;
        if (count == WINDOW) {
            slope = fitSlope();
        }
        return modifiedTrend();
    }

    double modifiedTrend() {
        return Math.min(samples, MAX_SAMPLES_SCALE) * slope * GAIN;
    }

    int samples() {
        return samples;
    }

    private double fitSlope() {
        double sx = 0;
        double sy = 0;
        for (int k = 0; k < count; k++) {
            sx += x[k];
            sy += y[k];
        }
        double mx = sx / count;
        double my = sy / count;
        double num = 0;
        double den = 0;
        for (int k = 0; k < count; k++) {
            double dx = x[k] - mx;
            num += dx * (y[k] - my);
            den += dx * dx;
        }
        return den == 0 ? slope : num / den;
    }
}
