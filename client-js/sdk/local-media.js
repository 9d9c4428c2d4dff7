// Prism SDK: capturing local media and how the camera is sent (simulcast encodings, degradation preference).

import { PrismError } from './prism-error.js';
import { SOURCE_FOR_KIND } from './wire.js';

const DEFAULT_VIDEO = Object.freeze({ width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } });
/**
 * Camera simulcast: three VP8 encodings, lowest resolution first (the server reads the spatial layer from this order).
 * For a 1280x720 camera: 320x180, 640x360, 1280x720. Each subscriber gets the one its downlink carries.
 */
const SIMULCAST_ENCODINGS = Object.freeze([
  Object.freeze({ rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 }),
  Object.freeze({ rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 }),
  Object.freeze({ rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_700_000 }),
]);

/**
 * The tracks to publish for `wanted` kinds: from `stream` when given (the caller keeps owning it), else from
 * getUserMedia (owned: the SDK stops them on leave; tracks captured but not picked are stopped at once).
 * @param {string[]} wanted kinds not yet published, e.g. ['audio', 'video']
 * @param {{audio: boolean|MediaTrackConstraints, video: boolean|MediaTrackConstraints, stream: MediaStream|null}} options
 * @returns {Promise<{media: MediaStream, owned: boolean, picks: {kind: string, source: string, track: MediaStreamTrack}[]}>}
 * @throws {PrismError} `media` when capture fails (`cause` is the DOMException) or yields no track
 */
export async function captureMedia(wanted, { audio, video, stream }) {
  let media = stream;
  const owned = !stream;
  if (!media) {
    const constraints = {
      audio: wanted.includes('audio') ? (audio === true ? true : audio) : false,
      video: wanted.includes('video') ? (video === true ? { ...DEFAULT_VIDEO } : video) : false,
    };
    try {
      media = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
      throw new PrismError('media', `cannot capture ${wanted.join(' and ')}: ${e?.name ?? 'Error'}: ${e?.message ?? e}`,
        { cause: e });
    }
  }
  const picks = [];
  for (const kind of wanted) {
    const track = media.getTracks().find((t) => t.kind === kind && t.readyState !== 'ended');
    if (track) picks.push({ kind, source: SOURCE_FOR_KIND[kind], track });
  }
  if (owned) {
    for (const t of media.getTracks()) if (!picks.some((p) => p.track === t)) t.stop();
  }
  if (picks.length === 0) throw new PrismError('media', 'no audio or video track to publish');
  return { media, owned, picks };
}

/**
 * The encodings a pick is sent with, before any quality cap: the camera's three simulcast encodings when `simulcast`,
 * a pick's own `sendEncodings` (a screen's), else null (the browser's default single encoding). Copies.
 * @returns {object[]|null}
 */
export function baseEncodings(pick, simulcast) {
  if (pick.kind === 'video' && pick.source === 'camera' && simulcast) return SIMULCAST_ENCODINGS.map((e) => ({ ...e }));
  return pick.sendEncodings ? pick.sendEncodings.map((e) => ({ ...e })) : null;
}

/**
 * Adds a sendonly transceiver for one picked track, sent with `sendEncodings` (its {@link baseEncodings} without what
 * the token's quality cap excludes, quality-cap.js; undefined for the browser's default).
 * @returns {Promise<RTCRtpTransceiver>}
 */
export async function addSender(pc, pick, media, sendEncodings) {
  const init = { direction: 'sendonly', streams: media ? [media] : [] };
  if (sendEncodings) init.sendEncodings = sendEncodings;
  const transceiver = pc.addTransceiver(pick.track, init);
  const layered = pick.source === 'camera' && !!sendEncodings?.some((e) => typeof e.rid === 'string');
  if (layered || pick.source === 'screen') await keepResolution(transceiver.sender);
  return transceiver;
}

/**
 * Simulcast layers stand for resolutions: under CPU or bandwidth pressure the encoder should lower the frame rate (or
 * drop the top layer), not scale every layer down. Best effort: older browsers refuse the setting.
 */
async function keepResolution(sender) {
  try {
    const params = sender.getParameters();
    if (!params || !Array.isArray(params.encodings)) return;
    params.degradationPreference = 'maintain-resolution';
    await sender.setParameters(params);
  } catch {
    // not supported here: the browser's default applies
  }
}
