package dev.prism.signaling.session;

import dev.prism.conference.Conference;
import dev.prism.conference.ParticipantMediaStats;
import dev.prism.conference.SubscriberCodecPlan;
import dev.prism.core.inspect.NodeSnapshot;
import dev.prism.core.room.RoomRegistry;
import dev.prism.rtp.transport.MediaPlane;
import dev.prism.signaling.auth.TokenService;
import dev.prism.signaling.route.OwnerSessions;
import dev.prism.signaling.route.ProxiedSessionAcceptor;
import dev.prism.signaling.route.ProxyCounters;
import dev.prism.signaling.route.RemoteSessions;
import dev.prism.signaling.route.ResumeTokens;
import dev.prism.signaling.route.SessionRouting;
import dev.prism.signaling.sdp.SubscriberOfferWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every participant session shares: the node's {@link Conference}, the signaling counters and settings, and the
 * directory of live sessions (by resume token, and all of them for the gauges). Thread-safe.
 */
public final class SfuContext {
    /** How long a participant whose WebSocket dropped is kept for a resume, unless configured otherwise. */
    public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofSeconds(20);
    /** The payload types and extension ids of the subscriber offers Prism writes. */
    static final SubscriberCodecPlan SUBSCRIBER_CODECS = new SubscriberCodecPlan(SubscriberOfferWriter.OPUS_PT,
            SubscriberOfferWriter.VP8_PT, SubscriberOfferWriter.VP8_RTX_PT, SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID,
            SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID);

    private final MediaPlane media;
    private final Conference conference;
    private final Duration resumeWindow;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ParticipantSession> byResumeToken = new ConcurrentHashMap<>();
    private final SignalingCounters counters = new SignalingCounters();
    private final Set<ParticipantSession> sessions = ConcurrentHashMap.newKeySet();
    private final RoomSessions roomSessions = new RoomSessions();
    private final DataCounters dataCounters = new DataCounters();
    private volatile boolean admitsNewSessions = true;
    private volatile boolean takesSockets = true;
    private volatile int messagesPerSecond = dev.prism.core.config.PrismConfig.DEFAULT_SIGNALING_MESSAGES_PER_SECOND;
    private final ProxyCounters proxyCounters = new ProxyCounters();
    private volatile SessionRouting routing = SessionRouting.LOCAL;
    private volatile RemoteSessions remoteSessions = RemoteSessions.NONE;
    private volatile TokenService tokens;
    private volatile IceServers iceServers = IceServers.NONE;

    public SfuContext(MediaPlane media, RoomRegistry rooms) {
        this(media, rooms, DEFAULT_RESUME_WINDOW);
    }

    /** @param resumeWindow how long a dropped participant is kept for a resume; zero leaves at once */
    public SfuContext(MediaPlane media, RoomRegistry rooms, Duration resumeWindow) {
        this.media = media;
        this.conference = new Conference(media, rooms, SUBSCRIBER_CODECS);
        this.resumeWindow = resumeWindow;
    }

    /** Messages a signaling socket may send a second (bursts of four times as many); see {@link MessageRateLimit}. */
    public SfuContext messagesPerSecond(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("messagesPerSecond must be at least 1: " + perSecond);
        }
        this.messagesPerSecond = perSecond;
        return this;
    }

    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    /**
     * Sets the most participants a room holds; a join beyond it is refused ({@code room_full}, close 4006). A rejoin
     * of an identity already in the room does not count twice. Call once at startup, before sockets are accepted.
     */
    public SfuContext maxParticipantsPerRoom(int max) {
        conference.maxParticipantsPerRoom(max);
        return this;
    }

    /** Top-N audio for new rooms whose token sets none ({@code Conference#audioTopN}); 0 = off. */
    public SfuContext audioTopN(int n) {
        conference.audioTopN(n);
        return this;
    }

    public int maxParticipantsPerRoom() {
        return conference.maxParticipantsPerRoom();
    }

    public Duration resumeWindow() {
        return resumeWindow;
    }

    /**
     * From now on new sessions are refused ({@code node_draining}, close 4012): the node is stopping. Sessions already
     * here keep going and may still resume. Any thread; for good.
     */
    public void stopAdmittingNewSessions() {
        admitsNewSessions = false;
    }

    /**
     * Cluster mode, draining: the node stops taking WebSockets at all (the verticle answers upgrades 503 so the balancer
     * tries another node); sessions already here, and proxied sessions of rooms it still owns, carry on. Any thread.
     */
    public void stopTakingSockets() {
        takesSockets = false;
    }

    /** False once {@link #stopTakingSockets} was called. Any thread. */
    public boolean takesSockets() {
        return takesSockets;
    }

    /** False once {@link #stopAdmittingNewSessions} was called. Any thread. */
    public boolean admitsNewSessions() {
        return admitsNewSessions;
    }

    /** The control plane sessions and operators call. */
    public Conference conference() {
        return conference;
    }

    /**
     * Where rooms' sessions run and how to reach another node's: {@link SessionRouting#LOCAL} and
     * {@link RemoteSessions#NONE} (a single node) unless the launcher sets a cluster's. Call at startup, before sockets
     * arrive (the verticle reads both per socket).
     */
    public void useRouting(SessionRouting routing, RemoteSessions remote) {
        this.routing = java.util.Objects.requireNonNull(routing, "routing");
        this.remoteSessions = java.util.Objects.requireNonNull(remote, "remote");
    }

    public SessionRouting routing() {
        return routing;
    }

    public RemoteSessions remoteSessions() {
        return remoteSessions;
    }

    /** True when routing was set to something other than {@link SessionRouting#LOCAL} (cluster mode). */
    public boolean clustered() {
        return routing != SessionRouting.LOCAL;
    }

    /**
     * The token service access tokens are verified with (the signaling verticle sets it when it is built); the owner's
     * {@link #proxiedSessionAcceptor()} verifies proxied sessions' tokens with it again.
     */
    public void useTokens(TokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * The ICE servers every participant is handed, with credentials of its own ({@link IceServers#NONE} unless the
     * launcher configures TURN). Call at startup, before sockets arrive.
     */
    public SfuContext useIceServers(IceServers servers) {
        this.iceServers = java.util.Objects.requireNonNull(servers, "servers");
        return this;
    }

    IceServers iceServers() {
        return iceServers;
    }

    /** The token service set by {@link #useTokens}, or null before. */
    public TokenService tokens() {
        return tokens;
    }

    /** Counters of proxied sessions, edge and owner side. */
    public ProxyCounters proxyCounters() {
        return proxyCounters;
    }

    /** The owner's side of proxied sessions: give it to the node-to-node link's server (prism-server's ClusterLinks). */
    public ProxiedSessionAcceptor proxiedSessionAcceptor() {
        return new OwnerSessions(this);
    }

    /**
     * A fresh unguessable resume token (128 random bits, URL-safe) naming its room, so that any node can route a resume
     * ({@link ResumeTokens}).
     */
    String newResumeToken(String roomId) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return ResumeTokens.of(roomId, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    void registerResume(String resumeToken, ParticipantSession s) {
        byResumeToken.put(resumeToken, s);
    }

    void unregisterResume(String resumeToken, ParticipantSession s) {
        byResumeToken.remove(resumeToken, s);
    }

    /**
     * The session a resume token was handed to, or null (unknown, used, or its session closed). Any thread; the
     * session checks the token again on its room's executor.
     */
    public ParticipantSession resumable(String resumeToken) {
        return resumeToken == null ? null : byResumeToken.get(resumeToken);
    }

    /** Media health of every participant of a room (empty when there is no such room). Any thread. */
    public CompletableFuture<List<ParticipantMediaStats>> mediaStats(String roomId) {
        return conference.mediaStats(roomId);
    }

    /**
     * Fault injection for tests and drills: silently stops forwarding {@code trackId} to {@code participantId}, as a
     * lost consumer would; media-state reconciliation must notice and repair it. Any thread.
     *
     * @return whether a consumer was stopped
     */
    public CompletableFuture<Boolean> dropConsumerForTesting(String roomId, String participantId, String trackId) {
        return conference.dropConsumerForTesting(roomId, participantId, trackId);
    }

    public MediaPlane media() {
        return media;
    }

    public RoomRegistry rooms() {
        return conference.rooms();
    }

    public SignalingCounters counters() {
        return counters;
    }

    /** The signaling part of the operators' node snapshot (the inspector's, in sfu-ops). Any thread. */
    public NodeSnapshot.SignalingStats signalingStats() {
        return new NodeSnapshot.SignalingStats(sessionCount(), counters.messages(), counters.errors(),
                counters.handshakeRefusals());
    }

    void putSession(ParticipantSession s) {
        sessions.add(s);
        roomSessions.put(s);
    }

    void removeSession(ParticipantSession s) {
        sessions.remove(s);
        roomSessions.remove(s);
    }

    /** Joined sessions by room and identity: how data messages and server API notices reach sockets. */
    public RoomSessions roomSessions() {
        return roomSessions;
    }

    /** Counts of in-room data messages, by outcome. */
    public DataCounters dataCounters() {
        return dataCounters;
    }

    /** Live sessions, attached to a socket or detached (for admin and tests). */
    public int sessionCount() {
        return sessions.size();
    }

    /** Sessions on a live socket: what the {@code prism_signaling_sessions} gauge shows. Any thread. */
    public int attachedSessionCount() {
        int n = 0;
        for (ParticipantSession s : sessions) {
            n += s.isDetached() ? 0 : 1;
        }
        return n;
    }

    /** Sessions whose socket dropped, kept in their room for a resume. Any thread. */
    public int detachedSessionCount() {
        int n = 0;
        for (ParticipantSession s : sessions) {
            n += s.isDetached() ? 1 : 0;
        }
        return n;
    }
}
