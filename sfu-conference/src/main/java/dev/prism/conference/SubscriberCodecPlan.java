package dev.prism.conference;

/**
 * The payload types and header extension ids Prism's subscriber offers use; signaling's offer writer owns the numbers
 * and hands them over once, so that the consumers rewrite packets to what the offer said.
 */
public record SubscriberCodecPlan(int opusPayloadType, int vp8PayloadType, int vp8RtxPayloadType,
                                  int audioLevelExtensionId, int absSendTimeExtensionId) {
}
