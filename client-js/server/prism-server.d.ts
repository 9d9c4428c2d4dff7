// Declarations of Prism's server SDK for Node (server/prism-server.js); hand-written, checked by
// test/server-sdk.test.mjs against the module's exports.

export declare const DEFAULT_PARTICIPANT_TTL_SECONDS: number;
export declare const DEFAULT_ADMIN_TTL_SECONDS: number;
export declare const MIN_SECRET_LENGTH: number;
export declare const DEFAULT_TIMEOUT_MS: number;
export declare const SIGNATURE_HEADER: 'prism-signature';
export declare const KEY_ID_HEADER: 'prism-key-id';
export declare const EVENT_ID_HEADER: 'prism-event-id';
export declare const DEFAULT_TOLERANCE_SECONDS: number;

export interface ParticipantTokenOptions {
  room: string;
  identity: string;
  name?: string;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canData?: boolean;
  codec?: 'vp8' | 'h264';
  ttlSeconds?: number;
  /** The `kid` header: an extra API key's id ('default' names the API secret). */
  keyId?: string;
  /** Other grants the node knows, written after the known claims. */
  claims?: Record<string, unknown>;
  /** Epoch seconds (tests). */
  now?: number;
}

export interface RoomAdminTokenOptions {
  subject?: string;
  ttlSeconds?: number;
  keyId?: string;
  now?: number;
}

export declare function createToken(secret: string, options: ParticipantTokenOptions): string;
export declare function createRoomAdminToken(secret: string, options?: RoomAdminTokenOptions): string;

export interface Room {
  name: string;
  live: boolean;
  participants: number;
  maxParticipants: number;
  emptyTimeout: number | null;
  metadata: string | null;
  createdAt: number | null;
  videoCodec?: 'vp8' | 'h264';
}

export interface Permissions {
  canPublish: boolean;
  canSubscribe: boolean;
  canData: boolean;
}

export interface Track {
  id: string;
  kind: 'audio' | 'video';
  source: 'microphone' | 'camera' | 'screen' | 'screen_audio' | 'unknown';
  muted: boolean;
}

export interface Participant {
  identity: string;
  name: string;
  permissions: Permissions;
  metadata: string | null;
  tracks: Track[];
}

export interface RoomOptions {
  name: string;
  maxParticipants?: number;
  emptyTimeout?: number;
  metadata?: string;
}

export interface ParticipantUpdate {
  permissions?: Partial<Permissions>;
  metadata?: string | null;
}

export interface WebhookEvent {
  id: string;
  event: 'room_started' | 'room_finished' | 'participant_joined' | 'participant_left' | 'track_published'
    | 'track_unpublished' | 'track_muted' | string;
  room: string;
  roomSid: string;
  seq: number;
  createdAt: number;
  participant?: { identity: string; name?: string };
  track?: { sid: string; kind: 'audio' | 'video'; source: string; muted: boolean };
  muted?: boolean;
  reason?: 'left' | 'removed' | 'timed_out' | 'migrated';
  detail?: string;
  [field: string]: unknown;
}

export interface PrismApiOptions {
  secret: string;
  keyId?: string;
  subject?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export declare class PrismApiError extends Error {
  constructor(status: number, code: string, message: string);
  readonly status: number;
  readonly code: string;
}

export declare class PrismApi {
  constructor(url: string | URL, options: PrismApiOptions);
  createRoom(options: RoomOptions): Promise<Room>;
  listRooms(): Promise<Room[]>;
  getRoom(room: string): Promise<Room>;
  deleteRoom(room: string): Promise<{ name: string }>;
  listParticipants(room: string): Promise<Participant[]>;
  getParticipant(room: string, identity: string): Promise<Participant>;
  removeParticipant(room: string, identity: string): Promise<{ identity: string; removed: true }>;
  updateParticipant(room: string, identity: string, update: ParticipantUpdate): Promise<Participant>;
  muteTrack(room: string, identity: string, trackId: string, muted: boolean): Promise<{ trackId: string; muted: boolean }>;
  sendData(room: string, payload: unknown, options?: { to?: string[] }): Promise<{ delivered: number; unknown: string[] }>;
  events(room: string, after?: number): Promise<WebhookEvent[]>;
  call(method: string, path: string, body?: unknown): Promise<any>;
}

export declare class WebhookVerificationError extends Error {
  constructor(reason: string);
}

export interface VerifyOptions {
  /** The Prism-Key-Id header. */
  keyId?: string;
  toleranceSeconds?: number;
  now?: number;
}

export declare function verifyWebhook(secrets: string | Record<string, string>, signatureHeader: string | undefined,
  rawBody: string | Buffer, options?: VerifyOptions): WebhookEvent;
export declare function isValidWebhook(secrets: string | Record<string, string>, signatureHeader: string | undefined,
  rawBody: string | Buffer, options?: VerifyOptions): boolean;
