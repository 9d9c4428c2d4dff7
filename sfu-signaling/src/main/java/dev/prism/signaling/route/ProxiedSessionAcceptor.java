package dev.prism.signaling.route;

import dev.prism.signaling.session.SessionSocket;

/**
 * The owner's side of a proxied session: re-verifies the token, refuses with {@code not_owner} unless
 * {@code route(room)} is Local, then resumes or starts a session on that socket.
 */
public interface ProxiedSessionAcceptor {
    void accept(SessionSocket socket, ProxyRequest request);
}
