package dev.prism.signaling.route;

import dev.prism.signaling.session.SessionSocket;
import java.util.concurrent.CompletionStage;

/**
 * The owner's side of a proxied session ({@code SfuContext.proxiedSessionAcceptor()}), in two steps so that a refusal
 * happens before the link channel is accepted (the edge then routes again):
 * <ol>
 *   <li>{@link #admit}: the access token is verified again (the link is authenticated, but the edge is not trusted
 *       with the client's rights), the room must route {@link Route.Local} here ({@code not_owner} otherwise);</li>
 *   <li>{@link Admission#start}: on the accepted channel, adapted as a {@link SessionSocket}, the session resumes
 *       (resume token) or a {@code ParticipantSession} starts.</li>
 * </ol>
 */
public interface ProxiedSessionAcceptor {
    /**
     * Checks a proxied session request from node {@code edgeNodeId} (authenticated by the link). Called on the link's
     * event loop; must not block. Completes on any thread with the admission, or fails with a
     * {@link ProxyOpenException} whose reason the link refuses the channel with ({@code not_owner}, {@code bad_token},
     * {@code bad_request}).
     */
    CompletionStage<Admission> admit(ProxyRequest request, String edgeNodeId);

    /** An admitted request. */
    interface Admission {
        /**
         * Runs the session on {@code socket} (the accepted channel). Called once, on the socket's thread; its
         * {@link SessionSocket#remoteAddress()} names the client's address at the edge and the edge node.
         */
        void start(SessionSocket socket);
    }
}
