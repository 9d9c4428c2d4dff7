package dev.prism.rtp.layer;

/**
 * The outcome of {@link LayerSelector#decide} for one packet: an {@link LayerAction}, the {@link LayerDropReason} when
 * it is not forwarded, and whether the consumer should now ask the publisher for a key frame on
 * {@link LayerSelector#keyframeLayer()}.
 *
 * <p>Immutable and interned: every combination exists once, so deciding allocates nothing and decisions can be
 * compared with {@code ==}. Prints itself for logs and tests, e.g. {@code switch}, {@code drop(other_layer)+pli}.
 */
public final class LayerDecision {
    private static final LayerAction[] ACTIONS = LayerAction.values();
    private static final LayerDropReason[] REASONS = LayerDropReason.values();
    private static final LayerDecision[] TABLE = new LayerDecision[ACTIONS.length * REASONS.length * 2];

    static {
        for (LayerAction a : ACTIONS) {
            for (LayerDropReason r : REASONS) {
                for (int k = 0; k < 2; k++) {
                    TABLE[index(a, r, k == 1)] = new LayerDecision(a, r, k == 1);
                }
            }
        }
    }

    public static final LayerDecision FORWARD = of(LayerAction.FORWARD, LayerDropReason.NONE, false);
    public static final LayerDecision SWITCH = of(LayerAction.SWITCH, LayerDropReason.NONE, false);

    private final LayerAction action;
    private final LayerDropReason reason;
    private final boolean requestKeyframe;

    private LayerDecision(LayerAction action, LayerDropReason reason, boolean requestKeyframe) {
        this.action = action;
        this.reason = reason;
        this.requestKeyframe = requestKeyframe;
    }

    /**
     * The interned decision. {@code reason} is {@link LayerDropReason#NONE} for {@link LayerAction#FORWARD} and
     * {@link LayerAction#SWITCH} and anything else for the drops; the combination is not checked.
     */
    public static LayerDecision of(LayerAction action, LayerDropReason reason, boolean requestKeyframe) {
        return TABLE[index(action, reason, requestKeyframe)];
    }

    static LayerDecision drop(LayerDropReason reason, boolean requestKeyframe) {
        return of(LayerAction.DROP, reason, requestKeyframe);
    }

    static LayerDecision skip(LayerDropReason reason, boolean requestKeyframe) {
        return of(LayerAction.SKIP, reason, requestKeyframe);
    }

    private static int index(LayerAction a, LayerDropReason r, boolean k) {
        return (a.ordinal() * REASONS.length + r.ordinal()) * 2 + (k ? 1 : 0);
    }

    public LayerAction action() {
        return action;
    }

    public LayerDropReason reason() {
        return reason;
    }

    /** True when the consumer should ask the publisher for a key frame on {@link LayerSelector#keyframeLayer()} now. */
    public boolean requestKeyframe() {
        return requestKeyframe;
    }

    /** {@link LayerAction#FORWARD} or {@link LayerAction#SWITCH}. */
    public boolean forwarded() {
        return action == LayerAction.FORWARD || action == LayerAction.SWITCH;
    }

    /** The same decision with the key frame request flag set as given. */
    LayerDecision withKeyframeRequest(boolean request) {
        return request == requestKeyframe ? this : of(action, reason, request);
    }

    @Override
    public String toString() {
        String s = reason == LayerDropReason.NONE ? action.toString() : action + "(" + reason + ")";
        return requestKeyframe ? s + "+pli" : s;
    }
}
