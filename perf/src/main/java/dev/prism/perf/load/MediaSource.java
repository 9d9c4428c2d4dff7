package dev.prism.perf.load;

import dev.prism.perf.media.SyntheticRtp;
import dev.prism.srtp.SrtpSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Packetizes one publisher's synthetic media: VP8 frames of varying size split into packets of at most
 * {@link MediaProfile#maxPayload()} bytes (marker on the last), key frames on schedule or on request, and 20 ms Opus
 * packets; RTP sequence numbers and timestamps per stream, one transport-wide sequence for both. Every payload ends in
 * a {@link SyntheticRtp} probe with the send time.
 *
 * <p>Not thread-safe: one publisher's loop. Packets come from the allocator with SRTP trailer room; the caller owns
 * them.
 */
final class MediaSource {
    static final int HEADER_ROOM = 32;

    private final MediaProfile profile;
    private final long audioSsrc;
    private final long videoSsrc;
    private final int audioPt;
    private final int videoPt;
    private final SyntheticRtp.ExtensionIds audioExt;
    private final SyntheticRtp.ExtensionIds videoExt;
    private final int streamIndex;
    private final SplittableRandom random;
    private int audioSeq;
    /** The RFC 6464 byte of every audio packet: speech unless {@link #silentAudio} (a participant who listens). */
    private int audioLevelByte = SyntheticRtp.SPEECH_LEVEL;
    private int videoSeq;
    private long audioTs;
    private long videoTs;
    private int twSeq;
    private int pictureId;
    private int framesSinceKey = Integer.MAX_VALUE;
    private boolean keyframeRequested;
    private long keyframes;

    /**
     * @param streamIndex written into every probe (the video stream gets {@code streamIndex}, audio
     *                    {@code streamIndex + 1})
     */
    MediaSource(MediaProfile profile, long audioSsrc, long videoSsrc, int audioPt, int videoPt,
                SyntheticRtp.ExtensionIds audioExt, SyntheticRtp.ExtensionIds videoExt, int streamIndex, long seed) {
        this.profile = profile;
        this.audioSsrc = audioSsrc;
        this.videoSsrc = videoSsrc;
        this.audioPt = audioPt;
        this.videoPt = videoPt;
        this.audioExt = audioExt;
        this.videoExt = videoExt;
        this.streamIndex = streamIndex;
        this.random = new SplittableRandom(seed);
        this.audioSeq = random.nextInt(0x10000);
        this.videoSeq = random.nextInt(0x10000);
        this.audioTs = random.nextLong(0x1_0000_0000L);
        this.videoTs = random.nextLong(0x1_0000_0000L);
    }

    /** The next video frame is a key frame (PLI or FIR from the SFU). */
    void requestKeyframe() {
        keyframeRequested = true;
    }

    long keyframes() {
        return keyframes;
    }

    /** Appends the packets of the next video frame to {@code out}; returns how many. */
    int nextVideoFrame(ByteBufAllocator alloc, long nowNanos, List<ByteBuf> out) {
        boolean key = keyframeRequested || framesSinceKey >= profile.keyframeSeconds() * profile.fps();
        keyframeRequested = false;
        framesSinceKey = key ? 0 : framesSinceKey + 1;
        if (key) {
            keyframes++;
        }
        int avg = profile.averageFrameBytes();
        // +-25% around the average, like an encoder under a rate controller.
        int size = key ? avg * profile.keyframeFactor() : avg * 3 / 4 + random.nextInt(avg / 2 + 1);
        int perPacket = profile.maxPayload() - SyntheticRtp.VP8_DESCRIPTOR_LENGTH;
        int packets = Math.max(1, (size + perPacket - 1) / perPacket);
        int each = size / packets;
        pictureId = (pictureId + 1) & 0x7FFF;
        videoTs = (videoTs + 90_000 / profile.fps()) & 0xFFFF_FFFFL;
        for (int i = 0; i < packets; i++) {
            int payload = Math.max(each, 1 + SyntheticRtp.PROBE_LENGTH) + SyntheticRtp.VP8_DESCRIPTOR_LENGTH;
            ByteBuf b = alloc.heapBuffer(HEADER_ROOM + payload + SrtpSession.MAX_TRAILER);
            videoSeq = (videoSeq + 1) & 0xFFFF;
            twSeq = (twSeq + 1) & 0xFFFF;
            SyntheticRtp.writeHeader(b, videoPt, i == packets - 1, videoSeq, videoTs, videoSsrc, videoExt, twSeq,
                    nowNanos);
            SyntheticRtp.writeVp8Payload(b, payload, i == 0, key, pictureId, streamIndex, nowNanos);
            out.add(b);
        }
        return packets;
    }

    /** From now on the audio packets say silence (-127 dBov): a participant who does not speak. */
    void silentAudio() {
        audioLevelByte = SyntheticRtp.SILENCE_LEVEL;
    }

    /** The next 20 ms audio packet. */
    ByteBuf nextAudioPacket(ByteBufAllocator alloc, long nowNanos) {
        ByteBuf b = alloc.heapBuffer(HEADER_ROOM + profile.audioPayload() + SrtpSession.MAX_TRAILER);
        audioSeq = (audioSeq + 1) & 0xFFFF;
        twSeq = (twSeq + 1) & 0xFFFF;
        audioTs = (audioTs + 48 * MediaProfile.AUDIO_PTIME_MILLIS) & 0xFFFF_FFFFL;
        SyntheticRtp.writeHeader(b, audioPt, false, audioSeq, audioTs, audioSsrc, audioExt, twSeq, nowNanos,
                audioLevelByte);
        SyntheticRtp.writeOpusPayload(b, profile.audioPayload(), streamIndex + 1, nowNanos);
        return b;
    }

    /** Re-stamps a packet's probe with the time it actually leaves (just before encryption). */
    static void stamp(ByteBuf packet, long nowNanos) {
        packet.setLong(packet.writerIndex() - 8, nowNanos);
    }
}
