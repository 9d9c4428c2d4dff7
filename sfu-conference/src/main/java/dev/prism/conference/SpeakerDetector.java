package dev.prism.conference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>Not thread-safe: the room's loop only. Never allocates per packet; a tick allocates nothing in a steady state
 * ({@link #speakers()} builds its list when first asked after a tick; {@link #ranking} allocates, {@link
 * #rankForTopN} does not).
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
        final String id;
        double fast;
        double slow;
        boolean speaking;
        long quietSinceNanos = Long.MIN_VALUE;
        long leadSinceNanos = Long.MIN_VALUE;
        /** The tick's value so far (the louder of a participant's tracks); -1 when nothing was sampled this tick. */
        double pending = -1;
        /** Sampled since the last {@link #retainSampled}. */
        boolean sampled;
        /** Sort key of {@link #rankForTopN}, and this stream's place in its latest ranking (0 = loudest). */
        double rankKey;
        int rank = Integer.MAX_VALUE;
        /** Among the first N of the latest {@link #rankForTopN} (it gets the bonus in the next one). */
        boolean sticky;

        Stream(String id) {
            this.id = id;
        }
    }

    private final Map<String, Stream> streams = new HashMap<>();
    /** The same streams, for index loops (a tick runs every 100 ms in every room: it allocates nothing). */
    private final List<Stream> order = new ArrayList<>();
    private String dominant;
    /** Who speaks as of the latest tick, loudest first: {@code speaking[0..speakingCount)}, reused. */
    private Stream[] speaking = new Stream[4];
    private int speakingCount;
    /** {@link #speakers()} built from {@link #speaking}: null until asked for after a tick. */
    private List<Speaker> speakers = List.of();
    /** The ids of the previous tick's speakers (the change test compares ids, not order). */
    private String[] previousIds = new String[4];
    /** Every stream in the order of the latest {@link #rankForTopN} (kept: the next sort starts nearly sorted). */
    private Stream[] ranked = new Stream[4];
    private int rankedCount;

    /**
     * One participant's levels over the tick now ending: {@code packets} packets that carried a level, their
     * {@code loudnessSum} (see the class comment). A participant with two audio tracks is sampled twice; the louder
     * counts.
     */
    public void sample(String participantId, int packets, long loudnessSum) {
        Stream s = streams.get(participantId);
        if (s == null) {
            s = new Stream(participantId);
            streams.put(participantId, s);
            order.add(s);
        }
        double value = (double) loudnessSum / Math.max(packets, EXPECTED_PACKETS);
        s.pending = Math.max(s.pending, value);
        s.sampled = true;
    }

    /** Forgets a participant (it left, or no longer publishes audio). */
    public void remove(String participantId) {
        Stream s = streams.remove(participantId);
        if (s != null) {
            order.remove(s);
        }
        if (participantId.equals(dominant)) {
            dominant = null;
        }
    }

    /**
     * Ends the tick: participants sampled this tick get their value, those not sampled get silence (a track that
     * sends nothing); then the speaking flags and the dominant speaker are updated. Allocates nothing (unless more
     * participants speak than ever before in this room).
     *
     * @return whether who speaks (not their order) or the dominant speaker changed
     */
    public boolean tick(long nowNanos) {
        for (int i = 0; i < order.size(); i++) {
            Stream s = order.get(i);
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
        int previousCount = speakingCount;
        for (int i = 0; i < previousCount; i++) {
            previousIds[i] = speaking[i].id;
        }
        int count = 0;
        for (int i = 0; i < order.size(); i++) {
            Stream s = order.get(i);
            if (s.speaking) {
                if (count == speaking.length) {
                    speaking = java.util.Arrays.copyOf(speaking, count * 2);
                    previousIds = java.util.Arrays.copyOf(previousIds, count * 2);
                }
                speaking[count++] = s;
            }
        }
        for (int i = count; i < speakingCount; i++) {
            speaking[i] = null;
        }
        speakingCount = count;
        sortLoudestFirst(speaking, count);
        speakers = null;
        boolean changed = !Objects.equals(before, dominant) || !sameIds(previousIds, previousCount, speaking, count);
        for (int i = 0; i < previousCount; i++) {
            previousIds[i] = null;
        }
        return changed;
    }

    /** Insertion sort (no allocation; nearly sorted from one tick to the next) by fast average, then id. */
    private static void sortLoudestFirst(Stream[] a, int n) {
        for (int i = 1; i < n; i++) {
            Stream x = a[i];
            int j = i - 1;
            while (j >= 0 && (Double.compare(-a[j].fast, -x.fast) > 0
                    || (Double.compare(-a[j].fast, -x.fast) == 0 && a[j].id.compareTo(x.id) > 0))) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private void chooseDominant(long nowNanos) {
        Stream current = dominant == null ? null : streams.get(dominant);
        Stream best = null;
        for (int i = 0; i < order.size(); i++) {
            Stream s = order.get(i);
            if (s == current || !s.speaking) {
                s.leadSinceNanos = Long.MIN_VALUE;
                continue;
            }
            if (best == null || s.slow > best.slow || (s.slow == best.slow && s.id.compareTo(best.id) < 0)) {
                best = s;
            }
        }
        for (int i = 0; i < order.size(); i++) {
            Stream s = order.get(i);
            if (s != best) {
                s.leadSinceNanos = Long.MIN_VALUE;
            }
        }
        if (best == null) {
            return;
        }
        if (current == null) {
            dominant = best.id;
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
            dominant = best.id;
            best.leadSinceNanos = Long.MIN_VALUE;
        }
    }

    private static boolean sameIds(String[] a, int aCount, Stream[] b, int bCount) {
        if (aCount != bCount) {
            return false;
        }
        outer:
        for (int i = 0; i < aCount; i++) {
            for (int j = 0; j < bCount; j++) {
                if (a[i].equals(b[j].id)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }

    /** Who speaks now, loudest first. */
    public List<Speaker> speakers() {
        if (speakers == null) { // built on demand: the room sends an update only when who speaks changed
            Speaker[] list = new Speaker[speakingCount];
            for (int i = 0; i < speakingCount; i++) {
                Stream s = speaking[i]; // the tick's values: only a tick changes fast
                list[i] = new Speaker(s.id, Math.round(Math.min(1, s.fast / FULL_SCALE) * 100) / 100.0);
            }
            speakers = List.of(list);
        }
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
        for (int i = order.size() - 1; i >= 0; i--) {
            if (!present.contains(order.get(i).id)) {
                drop(i);
            }
        }
    }

    /**
     * Like {@link #retain} with the participants {@link #sample}d since the previous call as {@code present}: the
     * room samples every audio producer each tick, so those not sampled left or stopped publishing audio. No
     * allocation.
     */
    public void retainSampled() {
        for (int i = order.size() - 1; i >= 0; i--) {
            Stream s = order.get(i);
            if (s.sampled) {
                s.sampled = false;
            } else {
                drop(i);
            }
        }
    }

    private void drop(int index) {
        Stream s = order.remove(index);
        streams.remove(s.id);
        if (s.id.equals(dominant)) {
            dominant = null;
        }
    }

    /**
     * {@link #ranking} for top-N audio without allocating: ranks every known participant, loudest first, giving
     * {@code bonus} to those among the first {@code n} of the previous call (a participant that was unknown then gets
     * none); read the result with {@link #rank}.
     */
    public void rankForTopN(double bonus, int n) {
        int count = order.size();
        if (ranked.length < count) {
            ranked = new Stream[Math.max(count, ranked.length * 2)];
        }
        // Keep the previous order of those still here (nearly sorted), then append the new ones.
        int kept = 0;
        for (int i = 0; i < rankedCount; i++) {
            Stream s = ranked[i];
            ranked[i] = null;
            if (streams.get(s.id) == s) {
                ranked[kept++] = s;
            }
        }
        for (int i = 0; i < count; i++) {
            Stream s = order.get(i);
            if (s.rank == Integer.MAX_VALUE) { // not in the previous ranking
                ranked[kept++] = s;
            }
            s.rankKey = -(s.fast + (s.sticky ? bonus : 0));
        }
        rankedCount = kept;
        for (int i = 1; i < kept; i++) {
            Stream x = ranked[i];
            int j = i - 1;
            while (j >= 0 && (Double.compare(ranked[j].rankKey, x.rankKey) > 0
                    || (Double.compare(ranked[j].rankKey, x.rankKey) == 0 && ranked[j].id.compareTo(x.id) > 0))) {
                ranked[j + 1] = ranked[j];
                j--;
            }
            ranked[j + 1] = x;
        }
        for (int i = 0; i < kept; i++) {
            ranked[i].rank = i;
            ranked[i].sticky = i < n;
        }
    }

    /** The place of {@code participantId} in the latest {@link #rankForTopN}, 0 = loudest; -1 when not ranked. */
    public int rank(String participantId) {
        Stream s = streams.get(participantId);
        return s == null || s.rank == Integer.MAX_VALUE ? -1 : s.rank;
    }
}
