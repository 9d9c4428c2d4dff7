package dev.prism.netem;

/** Why an impaired path did not deliver a packet. A bounded set, in the order a packet meets them. */
public enum DropReason {
    /** The link is down ({@link Link#setOutage}). */
    OUTAGE,
    /** The loss model ({@link LossModel}) lost it. */
    LOSS,
    /** The rate limiter's queue was full (drop-tail). */
    QUEUE_FULL,
    /** The datagram was larger than a release-queue slot. */
    OVERSIZE,
    /** The release queue that holds packets until they leave had no room (its capacity is fixed). */
    RELEASE_FULL;

    /** The name in metrics and printed figures. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
