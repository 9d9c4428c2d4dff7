// Type declarations for the Prism browser SDK (sdk/prism-sdk.js), written by hand: keep them in step with the module
// and docs/SDK.md. test/types.test.mjs checks that every value declared here is exported by the module and back.

/** Media kinds the SDK publishes and subscribes. */
export type TrackKind = 'audio' | 'video';

/** The client's lifecycle; `disconnected` is terminal (make a new client to rejoin). */
export type ClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * Codes a {@link PrismError} carries: the server's error codes (docs/PROTOCOL.md) and the SDK's local ones. Open-ended:
 * a newer server may send codes not listed here.
 */
export type PrismErrorCode =
  // server codes (PROTOCOL.md)
  | 'bad_json' | 'unknown_type' | 'bad_request' | 'out_of_order' | 'bad_sdp' | 'nothing_to_forward' | 'not_allowed'
  | 'unknown_track' | 'internal' | 'sdp_too_large' | 'too_many_media_sections' | 'too_many_tracks'
  | 'too_many_candidates' | 'room_full' | 'dtls_failed' | 'media_timeout' | 'media_closed' | 'replaced' | 'removed'
  | 'room_closed' | 'node_draining' | 'cluster_unavailable' | 'bad_source'
  | 'data_too_large' | 'data_rate_limited'
  // local codes
  | 'connection_refused' | 'timeout' | 'not_connected' | 'disconnected' | 'bad_state' | 'media' | 'protocol'
  | 'negotiation' | 'transport_failed' | 'http_error' | 'track_refused'
  | (string & {});

/** A track of a `publish()` the server refused (its `publishAnswer.refused` entry). */
export interface RefusedTrack {
  mid: string;
  kind: string;
  /** 'unsupported_codec' | 'unsupported_media' | 'not_bundled' | 'not_srtp' (PROTOCOL.md); 'refused' when none given. */
  reason: string;
  message: string;
}

/** Everything the SDK rejects with or emits as `error`. Extra fields are set only when they apply. */
export class PrismError extends Error {
  constructor(code: PrismErrorCode, message?: string, extra?: Record<string, unknown>);
  readonly name: 'PrismError';
  code: PrismErrorCode;
  /** Server errors: the type and id of the request the error answers. */
  requestType?: string;
  requestId?: string;
  /** `connection_refused` / `http_error` / `not_allowed` from devToken: the HTTP status, when learned. */
  status?: number;
  /** `connection_refused`: the server's reason text, when learned. */
  reason?: string;
  /** `connection_refused`: the WebSocket close code and reason. */
  closeCode?: number;
  closeReason?: string;
  /** `track_refused`: the tracks the server refused (stopped and forgotten; the kind can be published again). */
  refused?: RefusedTrack[];
  /** `track_refused`: the track objects this `publish()` did publish. */
  published?: PrismTrack[];
  /** The underlying failure (e.g. the getUserMedia DOMException for `media`). */
  cause?: unknown;
}

/** The track source published for each media kind. */
export const SOURCE_FOR_KIND: Readonly<{ audio: 'microphone'; video: 'camera' }>;

/** Every event name {@link PrismClient.on} accepts. */
export const EVENTS: ReadonlyArray<keyof PrismClientEvents>;

/** A track in the room. Objects keep their identity while they exist; fields change in place. */
export interface PrismTrack {
  id: string;
  participantId: string;
  kind: TrackKind | (string & {});
  /** 'microphone' | 'camera' | 'screen' | 'screen_audio' | ... */
  source: string;
  muted: boolean;
  /** Remote: set while subscribed. Local: the published capture track. */
  mediaStreamTrack?: MediaStreamTrack | null;
  /** Remote, while subscribed (`receiver.getSynchronizationSources()` gives audio levels). */
  receiver?: RTCRtpReceiver | null;
  /** Remote, while subscribed: the subscriber connection's m-line. */
  mid?: string | null;
}

/** A participant (remote, or the local one with `isLocal: true`). */
export interface PrismParticipant {
  id: string;
  name: string;
  canPublish: boolean;
  canSubscribe: boolean;
  isLocal: boolean;
  tracks: Map<string, PrismTrack>;
}

/** A remote track bound to a receiver of the subscriber connection. */
export interface PrismSubscription {
  track: PrismTrack;
  participant: PrismParticipant;
  mid: string;
}

/** Why the client reconnects: its socket dropped, the server moved the room (`migrate`), or it shut down. */
/** 'owner_lost': in a cluster, the server holding the socket lost its link to the room's server (close 4013). */
export type ReconnectCause = 'drop' | 'migrate' | 'shutdown' | 'owner_lost';
/**
 * Why an ICE restart ran: both connections stopped receiving ('stall'), the page saw a network change ('network'), a
 * connection's ICE failed or stayed disconnected ('ice'), a resume found a connection not well ('resume'), or the
 * application called restartIce() ('app').
 */
export type IceRestartCause = 'stall' | 'network' | 'ice' | 'resume' | 'app';
/**
 * An ICE restart's steps, in order: 'detected' (the path was found dead; a socket resume follows before 'started'),
 * 'started' (the publisher's offer with new credentials and the subscriber's iceRestart go out), 'publisherAnswered',
 * 'acknowledged' (the server renewed the subscriber's credentials), 'subscriberAnswered' (its offer carrying them was
 * answered), 'done' (both requests answered; 'subscriberAnswered' may come after it).
 */
export type IceRestartPhase = 'detected' | 'started' | 'publisherAnswered' | 'acknowledged' | 'subscriberAnswered' | 'done';

export interface ReconnectInfo {
  /** true: the same session came back (nobody noticed); false: joined afresh and republished. */
  resumed: boolean;
  ms: number;
  attempts: number;
  cause: ReconnectCause;
}

/** The server's `migrate`: the room is moving; the client joins again at once (a fresh join, tracks republished). */
export interface MigrateInfo {
  /** 'room_moving' */
  reason: string;
  message: string;
}

/** The server shut down with this client still in the room (close 4010). */
export interface ShutdownInfo {
  /** 'server_shutdown' */
  reason: string;
  message: string;
  /** With `rejoinAfterShutdown`: the random delay before joining afresh; null: the session ends (`disconnected`). */
  rejoinInMs: number | null;
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** true when this client called `leave()`. */
  left: boolean;
  /** The reason of our own `participantLeft`, when the server sent one. */
  leftReason: string | null;
}

export interface RepairRecord {
  /** Date.now() when the server answered. */
  at: number;
  trackId: string;
  /** 'no_media' | 'stalled' | ... */
  issue: string;
  /** What the server did: 'keyframe', 'resubscribed', 'reoffer', 'ice_restart', 'pending_offer', 'muted', ... */
  action: string;
}

export interface TrackPreferences {
  /** Largest picture height wanted, in pixels; 0 = no limit. Default 0. */
  maxHeight?: number;
  /** Highest temporal layer, 0..3 (fewer = lower frame rate). Default 3. */
  maxTemporal?: number;
  /** Receive no video for it at all. Default false. */
  paused?: boolean;
}

/** One participant speaking now (`speakersChanged`). */
export interface ActiveSpeaker {
  participantId: string;
  /** The participant (local or remote); null when the room state does not know it (yet). */
  participant: PrismParticipant | null;
  /** Smoothed loudness, 0 (at the noise floor) to 1 (0 dBov). */
  level: number;
}

/** The `speakersChanged` event's value. */
export interface SpeakersInfo {
  /** Who speaks now, loudest first; empty when nobody does. */
  speakers: ActiveSpeaker[];
  /** The dominant speaker (changes only after a sustained lead; stays when everyone falls silent); null before anyone spoke. */
  dominantId: string | null;
  dominant: PrismParticipant | null;
}

/** Listener signatures per event (docs/SDK.md "Events"). */
export interface PrismClientEvents {
  participantJoined: (participant: PrismParticipant) => void;
  /** reason: the server's, 'replaced', or 'gone' (absent from a state replay). */
  participantLeft: (participant: PrismParticipant, reason: string) => void;
  /** Also for our own tracks (`participant.isLocal`). */
  trackPublished: (track: PrismTrack, participant: PrismParticipant) => void;
  trackUnpublished: (track: PrismTrack, participant: PrismParticipant) => void;
  /** `track.mediaStreamTrack` is ready to attach. */
  trackSubscribed: (track: PrismTrack, participant: PrismParticipant) => void;
  trackUnsubscribed: (track: PrismTrack, participant: PrismParticipant) => void;
  /** `track.muted` is the new state; local or remote. */
  trackMuted: (track: PrismTrack, participant: PrismParticipant) => void;
  /** Who speaks changed (server-detected, at most every ~300 ms, only on change). */
  speakersChanged: (info: SpeakersInfo) => void;
  stateChanged: (state: ClientState, previousState: ClientState) => void;
  /**
   * Reconnecting: the signaling socket dropped (media keeps flowing meanwhile), or the server moved the room or shut
   * down; `delayMs` is the wait before the first attempt after a shutdown.
   */
  reconnecting: (info: { code: number; reason: string; cause: ReconnectCause; delayMs?: number }) => void;
  /**
   * A reconnect attempt's socket is opening: its number (1, 2, ...), whether it presents the resume token, ms since the
   * drop, and the close code of the socket before it (the drop's, or the previous attempt's; 4101: that one timed out).
   */
  reconnectAttempt: (info: { attempt: number; resume: boolean; ms: number; previousCode: number }) => void;
  reconnected: (info: ReconnectInfo) => void;
  /** The server moves the room: a fresh join follows at once (`reconnecting`, then `reconnected`). */
  migrate: (info: MigrateInfo) => void;
  /** The server shut down; `disconnected` follows unless `rejoinAfterShutdown`. */
  shutdown: (info: ShutdownInfo) => void;
  /** An ICE restart's progress (timestamps taken by the listener show where a recovery's time goes). */
  iceRestart: (info: { phase: IceRestartPhase; cause: IceRestartCause }) => void;
  /** Expected media was missing and the server repaired it. */
  repair: (info: {
    track: PrismTrack | null;
    participant: PrismParticipant | null;
    issue: string;
    action: string;
  }) => void;
  /** An in-room data message: from a participant (`from` its identity) or the server API (`fromServer`). */
  dataReceived: (message: {
    payload: unknown;
    from: string | null;
    fromServer: boolean;
    participant: PrismParticipant | null;
  }) => void;
  /** The server API changed this participant's grants (revoked publish: its tracks were unpublished). */
  permissionsChanged: (permissions: { canPublish: boolean; canSubscribe: boolean; canData: boolean }) => void;
  /** The server API set a participant's metadata (this one's included). */
  participantMetadata: (info: {
    participantId: string;
    metadata: string | null;
    participant: PrismParticipant | null;
  }) => void;
  /** The server API set the room's metadata. */
  roomMetadata: (info: { metadata: string | null }) => void;
  /** Errors no awaited call receives. Without a listener they are logged with console.warn. */
  error: (error: PrismError) => void;
  /** The session is over for good; no further events. */
  disconnected: (info: DisconnectInfo) => void;
}

export interface PrismClientOptions {
  /** Access token (JWT), sent as `?token=` on the WebSocket URL. */
  token: string;
  /** WebSocket endpoint, absolute or relative to the page; http(s) becomes ws(s). Default '/ws'. */
  url?: string;
  /**
   * Used only when the server's welcome lists none. Default []. The server's list (TURN with short-lived credentials)
   * is applied to both peer connections, and again with `setConfiguration` whenever the server sends fresh ones.
   */
  iceServers?: RTCIceServer[];
  /** Gather relayed (TURN) candidates only: iceTransportPolicy 'relay'. Default false. */
  forceRelay?: boolean;
  /** Default 10000. */
  requestTimeoutMs?: number;
  /** Default 15000. */
  connectTimeoutMs?: number;
  /** Ping interval keeping idle proxies open; 0 disables. Default 10000. */
  keepAliveMs?: number;
  /** Reconnect (resume) when the signaling socket drops. Default true. */
  reconnect?: boolean;
  /** Delay before each reconnect attempt; the last repeats. Default [0, 250, 500, 1000]. */
  reconnectDelaysMs?: number[];
  /** Give up (disconnected) this long after a drop. Default 60000. */
  reconnectTimeoutMs?: number;
  /** Abandon one reconnect attempt without welcome after this long. Default 4000. */
  connectAttemptTimeoutMs?: number;
  /** Cluster: first extra wait after a reconnect attempt refused with 4014 (`cluster_unavailable`), doubling per
   *  refusal in a row up to 16 times it, with jitter. Default 1000. */
  unavailableBackoffMs?: number;
  /**
   * When the server shuts down (close 4010), join afresh after a random delay within `shutdownRejoinDelayMs` instead
   * of ending the session. Default false.
   */
  rejoinAfterShutdown?: boolean;
  /** [min, max] of that random delay, in ms. Default [5000, 30000]. */
  shutdownRejoinDelayMs?: [number, number];
  /** How often received media is checked; 0 turns media repair off. Default 2000. */
  mediaCheckMs?: number;
  /** Expected media without progress this long is reported for repair. Default 4000. */
  mediaMissingMs?: number;
  /** A connection ICE-'disconnected' this long restarts ICE on both connections. Default 1000. */
  iceDisconnectedGraceMs?: number;
  /** An ICE restart unanswered this long takes the signaling socket for dead and resumes; 0 never. Default 1500. */
  iceRestartReplyMs?: number;
  /**
   * A steady flow into both connections (growing at every read, 100 ms apart, for this long) that stands still this
   * long resumes the socket and restarts ICE; 0 off. Default 600.
   */
  mediaStallMs?: number;
  /**
   * How often each connection's selected candidate pair is read (also when it connects and when the browser says the
   * pair changed); a change is told to the server (`connectionInfo`), which shows and counts it. 0 tells nothing.
   * Default 3000.
   */
  connectionInfoMs?: number;
  /**
   * Also mark the first remote video packet, frame and decoded frame in `joinTimeline`, from the subscriber
   * connection's getStats read every this many ms until the first decoded frame (at most 15 s). Default 0: off.
   */
  joinTimelineMs?: number;
  /** Restart ICE at once on the page's `online` event or a `navigator.connection` change. Default true. */
  watchNetwork?: boolean;
  /** On a refused upgrade, GET the same URL to learn the HTTP status and reason. Default true. */
  probeRefusal?: boolean;
  /** Publish the camera as three simulcast encodings (the server turns off those nobody needs). Default true. */
  simulcast?: boolean;
  /**
   * Adaptive stream: each received video track's preferences follow the size and visibility of the <video> elements
   * playing it (paused when none is visible); a track the app sets preferences for is left alone. Default true.
   */
  adaptiveStream?: boolean;
  /** Implementation overrides (tests). */
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
  networkTargets?: { window: EventTarget | null; connection: EventTarget | null };
}

/** {@link PrismClient.joinTimeline}: each step of the first join, in the order a join takes them. */
export interface JoinTimeline {
  connect: number | null;
  socketOpen: number | null;
  welcome: number | null;
  subscriberOffer: number | null;
  answerSent: number | null;
  iceConnected: number | null;
  dtlsConnected: number | null;
  firstRtp: number | null;
  firstFrame: number | null;
  firstDecoded: number | null;
}

/** What one peer connection's selected candidate pair runs over (its local candidate, from getStats). */
export interface ConnectionInfo {
  /** The local candidate's protocol; for a relayed one, the relay's side toward the server (UDP). */
  protocol: 'udp' | 'tcp';
  candidateType: 'host' | 'srflx' | 'prflx' | 'relay';
  /** How a relayed candidate reaches its TURN server; null for other types, or when the browser does not say. */
  relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  /** Of the server's address on the pair (else the local one); null when unknown. */
  family: 'ipv4' | 'ipv6' | null;
}

export interface PublishOptions {
  /** Default true. */
  audio?: boolean | MediaTrackConstraints;
  /** Default true. */
  video?: boolean | MediaTrackConstraints;
  /** Publish these tracks instead of calling getUserMedia (the SDK then leaves them running on leave). */
  stream?: MediaStream | null;
}

/** `shareScreen()` (docs/SDK.md "Screen share"). Without `track` or `stream` the SDK calls getDisplayMedia. */
export interface ScreenShareOptions {
  /** Default true: publish the screen's audio as `screen_audio` when the browser gives one. */
  audio?: boolean;
  /** getDisplayMedia's video constraints; default `{frameRate: {ideal: maxFramerate}}`. */
  video?: MediaTrackConstraints | null;
  /** Share this video track (e.g. a canvas's captureStream) instead; the caller keeps owning it. */
  track?: MediaStreamTrack | null;
  /** With `track`: its audio, published as `screen_audio`. */
  audioTrack?: MediaStreamTrack | null;
  /** Share this stream's video (and audio) instead; the caller keeps owning it. */
  stream?: MediaStream | null;
  /** Default false: one full-resolution layer; true: two (half, full resolution). */
  simulcast?: boolean;
  /** Default 5. */
  maxFramerate?: number;
  /** Of the full-resolution layer, bit/s; default 1,500,000. */
  maxBitrate?: number;
  /** Set on the video track; default 'detail' ('text' for sharper text at a lower frame rate, '' to leave it). */
  contentHint?: 'detail' | 'text' | 'motion' | '';
}

/** One participant's connection to a Prism room (docs/SDK.md). */
export class PrismClient {
  /** @throws PrismError `bad_request` without a token */
  constructor(options: PrismClientOptions);

  /**
   * Asks a development-mode server for a token (`GET /api/dev-token`). `codec` ('vp8' | 'h264') becomes the token's
   * `codec` claim: the video codec the room gets if this join creates it (an existing room keeps its own). `maxHeight`
   * becomes the `maxVideo.height` quality cap, `hidden` the `hidden` grant (docs/PROTOCOL.md "Grants and room limits").
   * @throws PrismError `not_allowed` (the server has an API secret), `http_error` (also for an unknown codec), `protocol`
   */
  static devToken(
    room: string,
    name: string,
    options?: { baseUrl?: string; fetch?: typeof fetch; codec?: 'vp8' | 'h264'; maxHeight?: number; hidden?: boolean },
  ): Promise<{ token: string; identity: string }>;

  readonly state: ClientState;
  /** The room id from welcome; null before. */
  readonly roomId: string | null;
  /** Remote participants by id. */
  readonly participants: Map<string, PrismParticipant>;
  /** Self; null before welcome. */
  readonly localParticipant: PrismParticipant | null;
  /** The connection this client offers on (kept after close, for getStats). */
  readonly publisherPc: RTCPeerConnection | null;
  /** The connection the server offers on (kept after close, for getStats). */
  readonly subscriberPc: RTCPeerConnection | null;
  /** What each connection's selected candidate pair runs over, as last read (and told to the server). */
  readonly connectionInfo: { publisher: ConnectionInfo | null; subscriber: ConnectionInfo | null };
  /** How the last reconnect went. */
  lastReconnect: ReconnectInfo | null;
  /** Media repairs so far (the last 50). */
  repairs: RepairRecord[];
  /** ICE restarts so far (both connections count as one). */
  iceRestarts: number;
  /**
   * When each step of the first join happened (performance.now() ms; null until it did): for join-time benchmarks.
   * The media steps stay null unless `joinTimelineMs` is set.
   */
  readonly joinTimeline: JoinTimeline;

  /** Opens the WebSocket and resolves with the local participant on welcome. Once per client. */
  connect(): Promise<PrismParticipant>;
  /** Captures and publishes; rejects with `track_refused` when the server refused some tracks. */
  publish(options?: PublishOptions): Promise<PrismTrack[]>;
  /**
   * Publishes a screen (and its audio) beside camera and microphone: sources 'screen' and 'screen_audio'. Ending the
   * video track (the browser's own "stop sharing") unpublishes it. Rejects with `bad_state` while already sharing.
   */
  shareScreen(options?: ScreenShareOptions): Promise<PrismTrack[]>;
  /** Unpublishes the screen and its audio (stopping them if the SDK captured them); resolves when the server knows. */
  stopScreenShare(): Promise<void>;
  /** Whether a screen is shared (or being picked or published). */
  isSharingScreen(): boolean;
  /** Resolves with the muted state the server confirmed. */
  setMuted(kind: TrackKind | (string & {}), muted: boolean): Promise<boolean>;
  /** Server view; null when nothing of that kind is published. */
  isMuted(kind: TrackKind | (string & {})): boolean | null;
  /** State replay: the SDK reconciles and emits events for every difference. Resolves with the wire room object. */
  getState(): Promise<{ id: string; participants: unknown[]; [key: string]: unknown }>;
  /** Turns adaptive stream off for that track (the app's choice wins). */
  setTrackPreferences(
    trackId: string,
    prefs?: TrackPreferences,
  ): Promise<{ trackId: string; maxHeight: number; maxTemporal: number; paused: boolean }>;
  /** Round trip through the server, in milliseconds. */
  ping(): Promise<number>;
  /**
   * An in-room data message to everyone else, or to the identities in `to`: over the signaling WebSocket, in order,
   * at most 16 KiB, 20 a second (bursts of 60). Resolves with how many received it and the unknown identities.
   */
  sendData(payload: unknown, options?: { to?: string[] }): Promise<{ delivered: number; unknown: string[] }>;
  restartIce(): Promise<void>;
  /** Resolves once disconnected. */
  leave(): Promise<void>;
  /** @returns a function that removes the listener */
  on<E extends keyof PrismClientEvents>(event: E, listener: PrismClientEvents[E]): () => void;
  off<E extends keyof PrismClientEvents>(event: E, listener: PrismClientEvents[E]): void;
  /** Remote tracks currently bound to a receiver. */
  subscriptions(): PrismSubscription[];
}
