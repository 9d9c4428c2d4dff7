// Prism SDK: sharing a screen beside the camera and microphone (PROTOCOL.md sources `screen` and `screen_audio`).
// The screen goes out on the same publisher connection as its own m-line, tuned for text: a content hint, full
// resolution and a low frame rate.

import { PrismError, asPrismError } from './prism-error.js';

/** Frames per second a shared screen is captured and sent at: text and slides change rarely; sharpness matters. */
export const SCREEN_FRAME_RATE = 5;
/** Bit rate of the full-resolution screen layer: enough for 1080p text at a few frames per second. */
export const SCREEN_MAX_BITRATE = 1_500_000;
/** The lower layer of a simulcast screen (half resolution) for subscribers whose downlink is short. */
const SCREEN_LOW_LAYER_BITRATE = 300_000;

/**
 * The encodings a screen is sent with: one full-resolution layer, or with `simulcast` two layers, half resolution
 * then full, lowest first (the server reads the spatial layer from this order), both at `maxFramerate`.
 * @param {{simulcast?: boolean, maxFramerate?: number, maxBitrate?: number}} options
 * @returns {RTCRtpEncodingParameters[]}
 */
export function screenEncodings({ simulcast = false, maxFramerate = SCREEN_FRAME_RATE,
  maxBitrate = SCREEN_MAX_BITRATE } = {}) {
  if (!simulcast) return [{ maxBitrate, maxFramerate }];
  return [
    { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: Math.min(SCREEN_LOW_LAYER_BITRATE, maxBitrate), maxFramerate },
    { rid: 'f', scaleResolutionDownBy: 1, maxBitrate, maxFramerate },
  ];
}

/**
 * The screen tracks to publish: the caller's (`track`, `audioTrack` or `stream`; the caller keeps owning them) or
 * getDisplayMedia's (owned: the SDK stops them when sharing stops). The video is hinted `contentHint`.
 * @returns {Promise<{media: MediaStream|null, owned: boolean, picks: object[]}>}
 * @throws {PrismError} `media` when capture fails or gives no video track (the user cancelling the picker included)
 */
export async function captureScreen({ track = null, audioTrack = null, stream = null, audio = true,
  video = null, maxFramerate = SCREEN_FRAME_RATE, contentHint = 'detail', simulcast = false,
  maxBitrate = SCREEN_MAX_BITRATE } = {}) {
  let media = stream;
  let screenVideo = track;
  let screenAudio = audioTrack;
  const owned = !track && !stream;
  if (owned) {
    const constraints = { video: video ?? { frameRate: { ideal: maxFramerate } }, audio: !!audio };
    try {
      media = await navigator.mediaDevices.getDisplayMedia(constraints);
    } catch (e) {
      throw new PrismError('media', `cannot capture the screen: ${e?.name ?? 'Error'}: ${e?.message ?? e}`,
        { cause: e });
    }
  }
  if (media) {
    screenVideo ??= media.getTracks().find((t) => t.kind === 'video' && t.readyState !== 'ended') ?? null;
    if (audio) screenAudio ??= media.getTracks().find((t) => t.kind === 'audio' && t.readyState !== 'ended') ?? null;
  }
  if (owned) {
    for (const t of media.getTracks()) if (t !== screenVideo && t !== screenAudio) t.stop();
  }
  if (!screenVideo || screenVideo.kind !== 'video') {
    if (owned && screenAudio) screenAudio.stop();
    throw new PrismError('media', 'no screen video track to share');
  }
  if (contentHint && 'contentHint' in screenVideo) screenVideo.contentHint = contentHint;
  const picks = [{ kind: 'video', source: 'screen', track: screenVideo,
    sendEncodings: screenEncodings({ simulcast, maxFramerate, maxBitrate }) }];
  if (screenAudio) picks.push({ kind: 'audio', source: 'screen_audio', track: screenAudio });
  if (!media && typeof MediaStream === 'function') media = new MediaStream(picks.map((p) => p.track));
  return { media, owned, picks };
}

/**
 * One client's screen share: at most one at a time. Stopping it, by {@link stop} or by the browser's own "stop
 * sharing" (the video track ends), unpublishes the screen and its audio. Runs on the page's event loop.
 */
export class ScreenShare {
  /** @param {PrismClient} client the owner (its publisher sends the tracks) */
  constructor(client) {
    this._client = client;
    /** The screen's video track while shared or being published, else null. */
    this._video = null;
    this._onEnded = null;
    /** True while the browser's picker is open (before there is a track). */
    this._capturing = false;
  }

  /** Whether a screen is shared, being published or being picked. */
  get active() {
    return this._video !== null || this._capturing;
  }

  /**
   * Captures (or takes) the screen and publishes it beside what is already published.
   * @returns {Promise<object[]>} the local track objects: the screen, then its audio when there is one
   * @throws {PrismError} `bad_state` when already sharing, `not_allowed`, `media`, or a server error
   */
  async start(options = {}) {
    const client = this._client;
    client._requireConnected();
    if (client._model.local && !client._model.local.canPublish) {
      throw new PrismError('not_allowed', 'this token does not allow publishing');
    }
    if (this.active) throw new PrismError('bad_state', 'already sharing a screen; stopScreenShare() first');
    this._capturing = true; // a second call while the picker is open must not open another
    let captured;
    try {
      captured = await captureScreen(options);
      if (client.state !== 'connected') throw new PrismError('disconnected', 'disconnected while capturing the screen');
    } catch (e) {
      if (captured?.owned) captured.picks.forEach((p) => p.track.stop());
      throw e;
    } finally {
      this._capturing = false;
    }
    const { media, owned, picks } = captured;
    const video = picks[0].track;
    this._video = video;
    this._onEnded = () => {
      if (this._video !== video) return;
      this.stop().catch((e) => client._emit('error', asPrismError(e, 'negotiation')));
    };
    video.addEventListener('ended', this._onEnded);
    try {
      return await client._publisher.publishTracks(picks, media, owned);
    } catch (e) {
      // Only the screen's audio refused: the screen itself is shared; the caller still learns what was refused.
      if (e?.code === 'track_refused' && e.published?.some((t) => t.source === 'screen')) throw e;
      // Failed: nothing of the screen stays shared (the publisher dropped what it added; this removes a lone audio).
      this._forget();
      await client._publisher.unpublish(['screen', 'screen_audio']).catch(() => {});
      throw e;
    }
  }

  /**
   * Stops sharing: the screen and its audio are unpublished (a renegotiation) and, if the SDK captured them, stopped.
   * Resolves at once when nothing is shared.
   */
  async stop() {
    if (this._video === null) return;
    this._forget();
    await this._client._publisher.unpublish(['screen', 'screen_audio']);
  }

  _forget() {
    this._video?.removeEventListener('ended', this._onEnded);
    this._video = null;
    this._onEnded = null;
  }
}

/**
 * Adds `shareScreen(options)` and `stopScreenShare()` to PrismClient (kept here so the client's module stays small).
 * Each client gets its own {@link ScreenShare} on first use.
 */
export function addScreenShareApi(ClientClass) {
  const of = (client) => (client._screenShare ??= new ScreenShare(client));
  Object.assign(ClientClass.prototype, {
    shareScreen(options = {}) {
      return of(this).start(options);
    },
    stopScreenShare() {
      return of(this).stop();
    },
    isSharingScreen() {
      return of(this).active;
    },
  });
}
