package dev.prism.rtp.ice;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.rtp.IceParameters;
import dev.prism.rtp.ice.IceCheckResult.Outcome;
import dev.prism.rtp.stun.StunIntegrity;
import dev.prism.rtp.stun.StunMessage;
import dev.prism.rtp.stun.StunMessageWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The ICE-lite, controlled side of one ICE session of one peer connection (RFC 8445 sections 7.3 and 8.2, RFC 7675).
 *
 * <p>It validates the browser's Binding requests, answers them, remembers the address of the last nominated pair and
 * keeps the consent-freshness clock. Validation, in the order the checks run (the first failure names the outcome):
 * <ol>
 *   <li>well-formed STUN ({@code MALFORMED});</li>
 *   <li>FINGERPRINT, when present, correct ({@code BAD_FINGERPRINT}); a missing one is fine;</li>
 *   <li>a Binding request ({@code NOT_BINDING_REQUEST});</li>
 *   <li>USERNAME and MESSAGE-INTEGRITY present ({@code MISSING_ATTRIBUTE});</li>
 *   <li>USERNAME is {@code "<local ufrag>:<remote ufrag>"}; before the remote parameters are known any non-empty remote
 *       part is accepted, since the browser may check before the answer reaches us ({@code UNKNOWN_USERNAME});</li>
 *   <li>MESSAGE-INTEGRITY verifies with the local password ({@code BAD_INTEGRITY});</li>
 *   <li>PRIORITY and a role attribute present ({@code MISSING_ATTRIBUTE}); a peer that sends ICE-CONTROLLED and not
 *       ICE-CONTROLLING also thinks it is controlled, which a lite agent cannot resolve by switching
 *       ({@code ROLE_CONFLICT}).</li>
 * </ol>
 * Role attributes are checked after integrity so that unauthenticated packets are never classified by their content.
 * Dropped requests get no error response: the browser retransmits, and silence gives an off-path sender nothing to
 * reflect.
 *
 * <p>A valid request refreshes consent, whichever of the peer's addresses it comes from; one with USE-CANDIDATE also
 * selects its source address, so a later nomination from another address (network change) switches the selection.
 *
 * <p><b>Threading:</b> not thread-safe. All methods must be called on the single event loop that owns the transport.
 */
public final class IceLiteAgent {
    /** No valid Binding request for this long means the peer has withdrawn consent (RFC 7675 section 5.1). */
    public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);

    private static final long CONSENT_TIMEOUT_NANOS = CONSENT_TIMEOUT.toNanos();

    private final IceParameters local;
    private final MonoClock clock;
    private final StunIntegrity integrity;
    private IceParameters remote;
    private InetSocketAddress selected;
    private long lastValidRequestNanos;
    private long validRequests;

    /**
     * @param local this side's ufrag and password, as written in Prism's SDP
     * @param clock time source for consent freshness
     */
    public IceLiteAgent(IceParameters local, MonoClock clock) {
        this.local = Objects.requireNonNull(local, "local");
        Objects.requireNonNull(local.ufrag(), "local ufrag");
        Objects.requireNonNull(local.pwd(), "local pwd");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Requests are checked, and responses signed, with the local password (short-term credential of the receiver).
        this.integrity = StunIntegrity.forPassword(local.pwd());
        this.lastValidRequestNanos = clock.nanos();
    }

    public IceParameters localParameters() {
        return local;
    }

    /** The browser's ufrag and password, or {@code null} while not known yet. */
    public IceParameters remoteParameters() {
        return remote;
    }

    /**
     * Sets the browser's parameters from its SDP. May come after the first requests have been answered (on the
     * subscriber connection Prism offers, so the browser can check before its answer arrives); from then on the
     * remote part of USERNAME must match. The remote password is kept for completeness: a lite agent sends no checks,
     * so it never signs with it.
     */
    public void setRemoteParameters(IceParameters remote) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remote.ufrag(), "remote ufrag");
        this.remote = remote;
    }

    /**
     * Validates one datagram that the demux classified as STUN for this agent and answers it.
     *
     * @param packet the datagram, borrowed: not retained, not released, indices untouched
     * @param from   the datagram's source address; echoed in XOR-MAPPED-ADDRESS and selected on nomination
     * @param alloc  where the response buffer comes from
     * @return {@code OK} with a response the caller owns and must send to {@code from} or release; otherwise the drop
     *     reason and no buffer. Never throws for malformed input.
     */
    public IceCheckResult handleBindingRequest(ByteBuf packet, InetSocketAddress from, ByteBufAllocator alloc) {
        StunMessage request = StunMessage.parse(packet);
        Outcome verdict = validate(request, packet);
        if (verdict != Outcome.OK) {
            return IceCheckResult.dropped(verdict);
        }
        ByteBuf response = StunMessageWriter.bindingSuccessResponse(alloc, request.transactionId(), from, integrity);
        lastValidRequestNanos = clock.nanos();
        validRequests++;
        boolean nominated = request.hasUseCandidate();
        if (nominated) {
            selected = from;
        }
        return IceCheckResult.ok(response, nominated);
    }

    private Outcome validate(StunMessage request, ByteBuf packet) {
        if (request == null) {
            return Outcome.MALFORMED;
        }
        if (request.hasFingerprint() && !StunIntegrity.verifyFingerprint(packet, request)) {
            return Outcome.BAD_FINGERPRINT;
        }
        if (!request.isBindingRequest()) {
            return Outcome.NOT_BINDING_REQUEST;
        }
        if (request.username() == null || !request.hasMessageIntegrity()) {
            return Outcome.MISSING_ATTRIBUTE;
        }
        if (!usernameMatches(request.username())) {
            return Outcome.UNKNOWN_USERNAME;
        }
        if (!integrity.verify(packet, request)) {
            return Outcome.BAD_INTEGRITY;
        }
        if (!request.hasPriority() || !(request.hasIceControlling() || request.hasIceControlled())) {
            return Outcome.MISSING_ATTRIBUTE;
        }
        if (!request.hasIceControlling()) {
            return Outcome.ROLE_CONFLICT;
        }
        return Outcome.OK;
    }

    private boolean usernameMatches(String username) {
        String localUfrag = local.ufrag();
        // Ufrags are ice-chars (no ':'), so the first colon is the separator.
        if (username.length() <= localUfrag.length() || username.charAt(localUfrag.length()) != ':'
                || !username.startsWith(localUfrag)) {
            return false;
        }
        String remotePart = username.substring(localUfrag.length() + 1);
        return remote == null ? !remotePart.isEmpty() : remotePart.equals(remote.ufrag());
    }

    /** The address of the last nominated pair (the browser's side), or {@code null} before the first nomination. */
    public InetSocketAddress selectedAddress() {
        return selected;
    }

    /**
     * True when no valid Binding request has arrived for {@link #CONSENT_TIMEOUT} (counted from creation while none has
     * arrived). The transport should then stop sending and close (RFC 7675 section 5.1).
     */
    public boolean consentExpired() {
        return clock.nanos() - lastValidRequestNanos >= CONSENT_TIMEOUT_NANOS;
    }

    /** Clock reading ({@link MonoClock#nanos()}) of the last valid request, or of creation while none has arrived. */
    public long lastValidRequestNanos() {
        return lastValidRequestNanos;
    }

    /** Number of valid Binding requests answered so far. */
    public long validRequestCount() {
        return validRequests;
    }

    @Override
    public String toString() {
        return "IceLiteAgent{ufrag=" + local.ufrag()
                + ", remoteUfrag=" + (remote == null ? null : remote.ufrag())
                + ", selected=" + selected
                + ", validRequests=" + validRequests + '}';
    }
}
