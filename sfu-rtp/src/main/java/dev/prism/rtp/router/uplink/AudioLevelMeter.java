package dev.prism.rtp.router.uplink;

import dev.prism.rtp.packet.RtpPacket;

/**
 * The audio level of one audio track, read from the RFC 6464 client-to-mixer audio level header extension
 * ({@code urn:ietf:params:rtp-hdrext:ssrc-audio-level}) that the publisher negotiated. RFC 6464's element is one byte:
 * the voice-activity bit and, in the low 7 bits, the level in -dBov (0 = loudest, 127 = silence or digital zero).
 *
 * <p>Per packet ({@link #onPacket}) the meter keeps the latest level and adds to the current interval: packets seen and
 * their summed "loudness above the noise floor" ({@link #loudness}). The room's speaker detector reads and restarts the
 * interval every tick ({@link #takeInterval}). A gap with no packets (Opus DTX: the publisher sends nothing while
 * silent) simply adds nothing: to the detector it is silence, never loss.
 *
 * <p>Threading: the media event loop of the room only (the packet path writes, the room's tick reads on the same loop).
 * Hot path: primitive fields only, no allocation.
 */
public final class AudioLevelMeter {
    /** RFC 6464's level for silence (-127 dBov and below); also what a track reports before its first level. */
    public static final int SILENT = 127;
    /**
     * Levels at or above this (-dBov) count as nothing: background noise after a browser's noise suppression sits
     * around -60 to -70 dBov, speech at -20 to -45 dBov.
     */
    public static final int NOISE_FLOOR_LEVEL = 70;

    private final int extensionId;
    private int lastLevel = SILENT;
    private long lastLevelNanos = Long.MIN_VALUE;
    private int intervalPackets;
    private long intervalLoudness;

    /** @param extensionId the id the publisher negotiated for the audio level extension, 1..255 */
    public AudioLevelMeter(int extensionId) {
        if (extensionId < 1 || extensionId > 255) {
            throw new IllegalArgumentException("audio level extension id out of range: " + extensionId);
        }
        this.extensionId = extensionId;
    }

    /** The meter for a track whose description negotiated the audio level extension, else null. */
    static AudioLevelMeter of(dev.prism.core.rtp.MediaDescription description) {
        for (dev.prism.core.rtp.HeaderExtension e : description.extensions()) {
            if (dev.prism.core.rtp.HeaderExtension.AUDIO_LEVEL.equals(e.uri()) && e.id() > 0 && e.id() < 256) {
                return new AudioLevelMeter(e.id());
            }
        }
        return null;
    }

    /**
     * Reads the level of one packet; a packet without the element (or with an empty one) leaves the level as it was
     * and is not counted.
     *
     * @return the packet's level in -dBov (0..127), or -1 when it carries none
     */
    public int onPacket(RtpPacket packet, long nowNanos) {
        int found = packet.findExtension(extensionId);
        if (found < 0 || RtpPacket.extensionLength(found) < 1) {
            return -1;
        }
        int level = packet.buffer().getByte(RtpPacket.extensionOffset(found)) & 0x7F;
        lastLevel = level;
        lastLevelNanos = nowNanos;
        intervalPackets++;
        intervalLoudness += loudness(level);
        return level;
    }

    /**
     * How far a level lies above the noise floor, in dB: 0 for {@link #NOISE_FLOOR_LEVEL} and quieter, up to 70 for
     * 0 dBov. The detector sums and averages these (a linear average of dB values, which weighs a loud packet less
     * than an energy average would, so one click does not make a speaker).
     */
    public static int loudness(int level) {
        return Math.max(0, NOISE_FLOOR_LEVEL - level);
    }

    /** The level of the latest packet that carried one, {@link #SILENT} before the first. */
    public int lastLevel() {
        return lastLevel;
    }

    /** Clock reading when the latest level arrived, {@link Long#MIN_VALUE} before the first. */
    public long lastLevelNanos() {
        return lastLevelNanos;
    }

    /** Packets with a level since the last {@link #takeInterval}. */
    public int intervalPackets() {
        return intervalPackets;
    }

    /** Summed {@link #loudness} of those packets. */
    public long intervalLoudness() {
        return intervalLoudness;
    }

    /**
     * Ends the current interval: returns its summed loudness packed with its packet count
     * ({@code loudnessSum << 20 | packets}, packets capped at 2^20 - 1) and starts the next one.
     */
    public long takeInterval() {
        long packed = intervalLoudness << 20 | Math.min(intervalPackets, (1 << 20) - 1);
        intervalPackets = 0;
        intervalLoudness = 0;
        return packed;
    }

    /** The packet count of a {@link #takeInterval} result. */
    public static int packets(long interval) {
        return (int) (interval & ((1 << 20) - 1));
    }

    /** The summed loudness of a {@link #takeInterval} result. */
    public static long loudnessSum(long interval) {
        return interval >>> 20;
    }
}
