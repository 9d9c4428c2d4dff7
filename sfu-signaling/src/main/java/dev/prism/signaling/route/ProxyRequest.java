package dev.prism.signaling.route;

/**
 * What the edge asks the owner for when it proxies a client's session: the client's access token (a join) and/or its
 * resume token (a resume), the client's address as the edge sees it (for the owner's log lines), and the room the edge
 * routed by. The owner trusts none of it blindly: it verifies the token again and checks that it owns the room.
 *
 * @param accessToken   the access token as the client sent it, or null (a resume with only its resume token)
 * @param resumeToken   the resume token, or null (a plain join)
 * @param clientAddress the client's address at the edge, for logs only
 * @param roomId        the room the edge routed by (the token's, or the resume token's)
 */
public record ProxyRequest(String accessToken, String resumeToken, String clientAddress, String roomId) {
}
