package dev.prism.signaling.route;

import dev.prism.core.text.ClientText;
import dev.prism.core.text.RepeatingLog;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenException;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.session.NewSessionRefusal;
import dev.prism.signaling.session.ParticipantSession;
import dev.prism.signaling.session.SessionRefusals;
import dev.prism.signaling.session.SessionSocket;
import dev.prism.signaling.session.SfuContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's {@link ProxiedSessionAcceptor}: what the edge sends is checked as if the client had connected here (the
 * access token verified with this node's secret, the room routed), then the session resumes or starts on the link
 * channel exactly as on a local WebSocket. Refusals are counted with bounded labels and logged once per interval.
 * Thread-safe.
 */
public final class OwnerSessions implements ProxiedSessionAcceptor {
    private static final Logger log = LoggerFactory.getLogger(OwnerSessions.class);

    private final SfuContext sfu;
    private final NewSessionRefusal draining;
    private final RepeatingLog refusalLog;

    public OwnerSessions(SfuContext sfu) {
        this.sfu = sfu;
        this.draining = new NewSessionRefusal(sfu, sfu.media().clock());
        this.refusalLog = new RepeatingLog(sfu.media().clock(), 10_000);
    }

    @Override
    public CompletionStage<Admission> admit(ProxyRequest request, String edgeNodeId) {
        TokenService tokens = sfu.tokens();
        String resumeToken = request.resumeToken();
        ParticipantSession held = sfu.resumable(resumeToken);
        boolean resumable = held != null;
        AccessToken token = null;
        if (tokens != null && request.accessToken() != null) {
            try {
                token = tokens.verify(request.accessToken());
            } catch (TokenException e) {
                if (!resumable) {
                    return refused(ProxyCounters.Refused.BAD_TOKEN, "bad_token", e.reason(), edgeNodeId);
                }
            }
        }
        String room;
        if (resumable) {
            room = held.roomId();
        } else if (token != null) {
            room = token.room();
        } else if (resumeToken != null && ResumeTokens.roomOf(resumeToken) != null) {
            room = ResumeTokens.roomOf(resumeToken); // unknown here: answered resume_failed once admitted
        } else {
            return refused(ProxyCounters.Refused.BAD_REQUEST, "bad_request", "neither a token nor a resume token",
                    edgeNodeId);
        }
        AccessToken verified = token;
        return sfu.routing().route(room).thenCompose(route -> {
            if (!(route instanceof Route.Local)) {
                return refused(ProxyCounters.Refused.NOT_OWNER, ProxyOpenException.NOT_OWNER,
                        "room " + ClientText.forLog(room) + " is not owned here", edgeNodeId);
            }
            sfu.proxyCounters().countAccepted();
            return CompletableFuture.completedFuture(socket -> start(socket, resumeToken, verified));
        });
    }

    /** On the accepted channel's thread. */
    private void start(SessionSocket socket, String resumeToken, AccessToken token) {
        ParticipantSession session = sfu.resumable(resumeToken);
        if (session != null) {
            log.info("room={} participant={} resuming a proxied session from {}",
                    ClientText.forLog(session.roomId()), ClientText.forLog(session.participantId()),
                    socket.remoteAddress());
            session.resume(socket, resumeToken);
        } else if (token != null) {
            if (draining.refusing()) {
                draining.refuse(socket);
                return;
            }
            log.info("room={} participant={} joining through a proxied session from {}",
                    ClientText.forLog(token.room()), ClientText.forLog(token.identity()), socket.remoteAddress());
            new ParticipantSession(sfu, socket, token).start();
        } else {
            SessionRefusals.resumeFailed(sfu, socket);
        }
    }

    private CompletableFuture<Admission> refused(ProxyCounters.Refused why, String reason, String detail,
                                                 String edgeNodeId) {
        sfu.proxyCounters().countRefused(why);
        long suppressed;
        synchronized (this) {
            suppressed = refusalLog.admit();
        }
        if (suppressed >= 0) {
            log.info("signaling: refused a proxied session from node {}: {} ({}; {} earlier refusals not logged)",
                    ClientText.forLog(edgeNodeId), reason, detail, suppressed);
        }
        return CompletableFuture.failedFuture(new ProxyOpenException(reason, detail));
    }
}
