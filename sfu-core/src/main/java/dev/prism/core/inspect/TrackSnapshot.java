package dev.prism.core.inspect;

import java.util.List;

/**
 * One published track and its receivers.
 *
 * @param kind        {@code audio} or {@code video}
 * @param source      {@code microphone}, {@code camera}, {@code screen}, {@code screen_audio} or {@code unknown}
 * @param codec       e.g. {@code opus/48000/2}, {@code VP8/90000}; null while no stream is received for it
 * @param ssrc        the stream Prism receives; null while none
 * @param packets     RTP packets received for it
 * @param bytes       RTP bytes received for it
 * @param bitrateBps  received bitrate; null until measured
 * @param frameRate   received frame rate; null until the simulcast work measures it (always null for audio)
 * @param layers      simulcast layers with their own rates; null while the media plane does not report layers
 * @param subscribers everyone who receives it
 */
public record TrackSnapshot(String id, String kind, String source, boolean muted, String codec, Long ssrc,
                            long packets, long bytes, Double bitrateBps, Double frameRate, List<Layer> layers,
                            List<Subscription> subscribers) {
    public TrackSnapshot {
        layers = layers == null ? null : List.copyOf(layers);
        subscribers = List.copyOf(subscribers);
    }

    /**
     * One simulcast layer.
     *
     * @param rid        the RTP stream id, or null
     * @param spatial    spatial layer index (0 = lowest)
     * @param active     whether the publisher sends it now
     * @param bitrateBps null until measured
     * @param frameRate  null until measured
     */
    public record Layer(String rid, int spatial, boolean active, Double bitrateBps, Double frameRate) {
    }

    /**
     * One subscriber's copy of the track.
     *
     * @param participantId  who receives it
     * @param ssrc           the SSRC Prism sends it with
     * @param packets        RTP packets sent to it
     * @param bytes          RTP bytes sent to it
     * @param bitrateBps     null until measured
     * @param targetLayer    the layer Prism wants to send it; null until the simulcast work chooses layers
     * @param currentLayer   the layer it is sent now; null until the simulcast work chooses layers
     * @param layerReason    why the target is what it is (e.g. bandwidth, viewport); null until then
     * @param transportState its subscriber connection's state
     */
    public record Subscription(String participantId, long ssrc, long packets, long bytes, Double bitrateBps,
                               String targetLayer, String currentLayer, String layerReason,
                               String transportState) {
    }
}
