package dev.prism.conference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who speaks in a room, from the RFC 6464 audio levels of its audio tracks. Pure: the caller feeds one interval of
 * levels per participant ({@link #sample}) and then ends the tick ({@link #tick}) with the time; nothing reads a clock.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li><b>Per tick</b> ({@value #TICK_MILLIS} ms): a participant's value is the mean, over the tick, of how far each
 *       packet's level lies above the noise floor (-70 dBov; {@code AudioLevelMeter.loudness}), dividing by at least
 *       the {@value #EXPECTED_PACKETS} packets a 20 ms Opus stream sends per tick: packets that did not come (Opus DTX
 *       sends nothing in silence) count as silence, never as loss. Steady speech at -30 dBov gives 40.</li>
 *   <li><b>Smoothing</b>: an exponential average of those values with weight 1/2 per tick ({@link #fast}), which forgets
 *       a value within about three ticks (~300 ms): fast enough to show speech within half a second, slow enough
 *       that one loud packet (a click, a cough) does not make a speaker; and a slow average with weight 1/8
 *       ({@link #slow}, about a second) for choosing the dominant speaker.</li>
 *   <li><b>Hysteresis</b>: a participant starts speaking when the fast average reaches {@value #START_SPEAKING}
 *       (steady speech at -52 dBov or louder, so -30 dBov speech counts after one tick) and stops only after it has
 *       stayed below {@value #STOP_SPEAKING} for {@value #HANGOVER_MILLIS} ms: the pauses between words and sentences
 *       (a few hundred ms) do not flap the indicator.</li>
 *   <li><b>Dominant speaker</b>: the first one to speak becomes dominant. Another speaker takes over only after its
 *       slow average has stayed above the dominant's for {@value #TAKEOVER_MILLIS} ms in a row (a sustained lead: a
 *       "mm-hm" or a laugh does not move the big tile); a dominant who left is replaced at once by the loudest
 *       speaker. The dominant stays when everyone falls silent (the last one who spoke keeps the big tile).</li>
 * </ol>
 *
 * <p>Not thread-safe: the room's loop only. Allocates only per tick, never per packet.
 */
public final class SpeakerDetector {
    public static final int TICK_MILLIS = 100;
    /** 20 ms Opus frames in one tick. */
    public static final int EXPECTED_PACKETS = TICK_MILLIS / 20;
    public static final double START_SPEAKING = 18;
    public static final double STOP_SPEAKING = 8;
    public static final long HANGOVER_MILLIS = 600;
    public static final long TAKEOVER_MILLIS = 1000;
    /** The top of the loudness scale (0 dBov is 70 dB above the noise floor): levels are reported as 0..1 of it. */
    public static final double FULL_SCALE = 70;

    /** One participant who speaks now, {@code level} in 0..1 (its fast average over {@link #FULL_SCALE}). */
    public record Speaker(String participantId, double level) {
    }

    private static final class Stream {
        double fast;
        double slow;
        boolean speaking;
        long quietSinceNanos = Long.MIN_VALUE;
        long leadSinceNanos = Long.MIN_VALUE;
        /** The tick's value so far (the louder of a participant's tracks); -1 when nothing was sampled this tick. */
        double pending = -1;
    }

    private final Map<String, Stream> streams = new HashMap<>();
    private String dominant;
    private List<Speaker> speakers = List.of();

    /**
     * One participant's levels over the tick now ending: {@code packets} packets that carried a level, their
     * {@code loudnessSum} (see the class comment). A participant with two audio tracks is sampled twice; the louder
     * counts.
     */
    public void sample(String participantId, int packets, long loudnessSum) {
        Stream s = streams.computeIfAbsent(participantId, k -> new Stream());
        double value = (double) loudnessSum / Math.max(packets, EXPECTED_PACKETS);
        s.pending = Math.max(s.pending, value);
    }

    /** Forgets a participant (it left, or no longer publishes audio). */
    public void remove(String participantId) {
        streams.remove(participantId);
        if (participantId.equals(dominant)) {
            dominant = null;
        }
    }

    /**
     * Ends the tick: participants sampled this tick get their value, those not sampled get silence (a track that
     * sends nothing); then the speaking flags and the dominant speaker are updated.
     *
     * @return whether who speaks (not their order) or the dominant speaker changed
     */
    public boolean tick(long nowNanos) {
        for (Stream s : streams.values()) {
            double v = Math.max(0, s.pending);
            s.pending = -1;
            s.fast += (v - s.fast) / 2;
            s.slow += (v - s.slow) / 8;
            if (s.fast >= START_SPEAKING) {
                s.speaking = true;
                s.quietSinceNanos = Long.MIN_VALUE;
            } else if (s.speaking && s.fast < STOP_SPEAKING) {
                if (s.quietSinceNanos == Long.MIN_VALUE) {
                    s.quietSinceNanos = nowNanos;
                }
                if (nowNanos - s.quietSinceNanos >= HANGOVER_MILLIS * 1_000_000L) {
                    s.speaking = false;
                }
            } else {
                s.quietSinceNanos = Long.MIN_VALUE;
            }
        }
        String before = dominant;
        chooseDominant(nowNanos);
        List<Speaker> now = new ArrayList<>();
        streams.forEach((id, s) -> {
            if (s.speaking) {
                now.add(new Speaker(id, Math.round(Math.min(1, s.fast / FULL_SCALE) * 100) / 100.0));
            }
        });
        now.sort(Comparator.comparingDouble((Speaker sp) -> -streams.get(sp.participantId()).fast)
                .thenComparing(Speaker::participantId));
        boolean changed = !Objects.equals(before, dominant) || !sameIds(speakers, now); // who, not the order
        speakers = List.copyOf(now);
        return changed;
    }

    private void chooseDominant(long nowNanos) {
        Stream current = dominant == null ? null : streams.get(dominant);
        String challenger = null;
        Stream best = null;
        for (Map.Entry<String, Stream> e : streams.entrySet()) {
            Stream s = e.getValue();
            if (s == current || !s.speaking) {
                e.getValue().leadSinceNanos = Long.MIN_VALUE;
                continue;
            }
            if (best == null || s.slow > best.slow
                    || (s.slow == best.slow && e.getKey().compareTo(challenger) < 0)) {
                best = s;
                challenger = e.getKey();
            }
        }
        for (Stream s : streams.values()) {
            if (s != best) {
                s.leadSinceNanos = Long.MIN_VALUE;
            }
        }
        if (best == null) {
            return;
        }
        if (current == null) {
            dominant = challenger;
            best.leadSinceNanos = Long.MIN_VALUE;
            return;
        }
        if (best.slow <= current.slow) {
            best.leadSinceNanos = Long.MIN_VALUE;
            return;
        }
        if (best.leadSinceNanos == Long.MIN_VALUE) {
            best.leadSinceNanos = nowNanos;
        }
        if (nowNanos - best.leadSinceNanos >= TAKEOVER_MILLIS * 1_000_000L) {
            dominant = challenger;
            best.leadSinceNanos = Long.MIN_VALUE;
        }
    }

    private static boolean sameIds(List<Speaker> a, List<Speaker> b) {
        if (a.size() != b.size()) {
            return false;
        }
        outer:
        for (Speaker x : a) {
            for (Speaker y : b) {
                if (x.participantId().equals(y.participantId())) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** Who speaks now, loudest first. */
    public List<Speaker> speakers() {
        return speakers;
    }

    /** The dominant speaker, null before anyone spoke (or after the dominant left and nobody speaks). */
    public String dominant() {
        return dominant;
    }

    /** Whether {@code participantId} speaks now. */
    public boolean isSpeaking(String participantId) {
        Stream s = streams.get(participantId);
        return s != null && s.speaking;
    }

    /**
     * Every known participant from loudest to quietest by the fast average, for top-N audio; {@code sticky} ones get
     * {@code bonus} added so that a stream already forwarded is not displaced by one that is only a little louder.
     */
    public List<String> ranking(java.util.Set<String> sticky, double bonus) {
        List<String> ids = new ArrayList<>(streams.keySet());
        ids.sort(Comparator.comparingDouble((String id) -> -(streams.get(id).fast + (sticky.contains(id) ? bonus : 0)))
                .thenComparing(Comparator.naturalOrder()));
        return ids;
    }

    /** The fast average of {@code participantId}, 0 when unknown (admin view). */
    public double level(String participantId) {
        Stream s = streams.get(participantId);
        return s == null ? 0 : Math.min(1, s.fast / FULL_SCALE);
    }

    /** Participants known to the detector. */
    public int size() {
        return streams.size();
    }

    /** Drops the participants not in {@code present} (they left or stopped publishing audio). */
    public void retain(java.util.Set<String> present) {
        for (Iterator<String> it = streams.keySet().iterator(); it.hasNext(); ) {
            String id = it.next();
            if (!present.contains(id)) {
                it.remove();
                if (id.equals(dominant)) {
                    dominant = null;
                }
            }
        }
    }
}
