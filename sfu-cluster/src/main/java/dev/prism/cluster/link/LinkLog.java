package dev.prism.cluster.link;

import dev.prism.core.clock.MonoClock;
import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import org.slf4j.Logger;

/**
 * The link's repeating warnings (refused handshakes, bad frames), each logged once per interval with the count of
 * those suppressed; peer-supplied text (node ids, addresses, reasons) escaped. One per endpoint; connections on several
 * event loops share it, hence the monitor (rare: only on rejections).
 */
final class LinkLog {
    private final Logger log;
    private final RepeatingLog refused;
    private final RepeatingLog protocol;
    private final RepeatingLog tooLarge;

    LinkLog(Logger log, MonoClock clock, long intervalMillis) {
        this.log = log;
        this.refused = new RepeatingLog(clock, intervalMillis);
        this.protocol = new RepeatingLog(clock, intervalMillis);
        this.tooLarge = new RepeatingLog(clock, intervalMillis);
    }

    /** A channel closed for a message over {@link LinkSettings#maxMessageBytes()}, sent here or from the peer. */
    synchronized void messageTooLarge(String direction, String peerNodeId, int channel, long bytes, int max) {
        long suppressed = tooLarge.admit();
        if (suppressed >= 0) {
            log.warn("link channel {} (peer node {}) closed with {}: {} message of {} bytes or more, maximum {}"
                    + " (+{} more since the last line)", channel, ClientText.forLog(peerNodeId),
                    LinkCloseCodes.MESSAGE_TOO_LARGE, direction, bytes, max, suppressed);
        }
    }

    synchronized void handshakeRefused(String what, String remote, String peerNodeId) {
        long suppressed = refused.admit();
        if (suppressed >= 0) {
            log.warn("link handshake refused ({}) from {} claiming node id {} (+{} more refused since the last line)",
                    what, ClientText.forLog(remote), ClientText.forLog(peerNodeId), suppressed);
        }
    }

    synchronized void protocolError(String remote, LinkProtocolException e) {
        long suppressed = protocol.admit();
        if (suppressed >= 0) {
            log.warn("link connection from {} closed: {} ({}) (+{} more since the last line)",
                    ClientText.forLog(remote), e.reason().label(), ClientText.forLog(e.getMessage()), suppressed);
        }
    }
}
