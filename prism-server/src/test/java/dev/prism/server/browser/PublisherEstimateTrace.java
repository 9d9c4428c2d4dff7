package dev.prism.server.browser;

/**
 * The publisher connection's send-side estimate over time, recorded inside the page: a timer started by
 * {@link #start} reads {@code availableOutgoingBitrate} (nominated candidate pair), the video encoders' quality
 * limitation and the packets sent every 250 ms into {@code window.__prismEstimate}. Tests print {@link #summary} so a
 * run shows how fast Chrome's estimate of the uplink ramped on Prism's transport-wide feedback (the first time it
 * reached 250 kbit/s and 1 Mbit/s, measured from page open) and, when a wait fails, the whole timeline.
 *
 * <p>Threading: like {@link ChromeBrowser}, call from the thread driving that browser.
 */
final class PublisherEstimateTrace {
    private static final String START = """
            if (!window.__prismEstimate) {
              window.__prismEstimate = [];
              const poll = async () => {
                const pc = window.prism && window.prism.client && window.prism.client.publisherPc;
                if (!pc) return;
                let bps = null, lim = null, sent = 0;
                (await pc.getStats()).forEach((s) => {
                  if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) bps = s.availableOutgoingBitrate;
                  if (s.type === 'outbound-rtp' && s.kind === 'video') {
                    sent += s.packetsSent || 0;
                    if (s.qualityLimitationReason && s.qualityLimitationReason !== 'none') lim = s.qualityLimitationReason;
                  }
                });
                if (bps !== null) window.__prismEstimate.push([Math.round(performance.now()), bps, lim, sent]);
              };
              setInterval(() => { poll().catch(() => {}); }, 250);
            }
            return true;
            """;

    /** First time (ms since navigation) the estimate reached 250 kbit/s and 1 Mbit/s, then the last value. */
    private static final String SUMMARY = """
            const h = window.__prismEstimate || [];
            const first = (t) => { const e = h.find((x) => x[1] >= t); return e ? e[0] + ' ms' : 'never'; };
            const last = h.length ? h[h.length - 1] : null;
            return '250k at ' + first(250000) + ', 1M at ' + first(1000000) + ', last '
                + (last ? Math.round(last[1] / 1000) + ' kbit/s at ' + last[0] + ' ms' : 'none')
                + ', ' + h.length + ' samples';
            """;

    /** Every sample, coarsened to one per second: "t_ms:kbit/s[:limitation]". */
    private static final String TIMELINE = """
            const h = window.__prismEstimate || [];
            const out = [];
            let next = 0;
            for (const x of h) {
              if (x[0] < next) continue;
              next = x[0] + 1000;
              out.push(x[0] + ':' + Math.round(x[1] / 1000) + (x[2] ? ':' + x[2] : ''));
            }
            return out.join(' ');
            """;

    private PublisherEstimateTrace() {
    }

    /** Starts recording (once per page; again after a navigation). */
    static void start(ChromeBrowser b) {
        b.js(START);
    }

    static String summary(ChromeBrowser b) {
        return b.name() + ": " + b.js(SUMMARY);
    }

    static String timeline(ChromeBrowser b) {
        return b.name() + ": " + b.js(TIMELINE);
    }
}
