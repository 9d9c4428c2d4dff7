// Prism SDK: the publisher honouring its own token's quality cap (`welcome.grants.maxVideo.height` and `maxBitrate`,
// PROTOCOL.md "Grants and room limits"). The server never forwards this client's layers above the cap, so encoding and
// uploading them would only waste uplink and CPU: a fresh publish does not create them, and a cap that arrives or
// changes later (a resume's welcome) turns them off with setParameters.
//
// With dynacast the combined rule is: an encoding with a rid is active when the server's latest `publisherLayers`
// lists it (every one before any message) AND it is within the cap.

/** Height assumed for a video track whose settings do not say (the SDK's default camera capture is 720p). */
export const NOMINAL_SOURCE_HEIGHT = 720;

/**
 * The cap from `welcome.grants`; null when it has none. Values that are not positive whole numbers are ignored
 * (the server validated the token; this only guards against a malformed message).
 * @returns {{height: number|null, bitrate: number|null}|null}
 */
export function capFromGrants(grants) {
  const whole = (v) => (Number.isInteger(v) && v > 0 ? v : null);
  const height = whole(grants?.maxVideo?.height);
  const bitrate = whole(grants?.maxBitrate);
  return height === null && bitrate === null ? null : { height, bitrate };
}

/** Whether two caps (or nulls) are the same. */
export function sameCap(a, b) {
  return (a?.height ?? null) === (b?.height ?? null) && (a?.bitrate ?? null) === (b?.bitrate ?? null);
}

/** The height a video track is captured at: its settings, else {@link NOMINAL_SOURCE_HEIGHT}. */
export function sourceHeightOf(track) {
  let h = null;
  try {
    h = track?.getSettings?.()?.height;
  } catch {
    // not a browser track
  }
  return Number.isFinite(h) && h > 0 ? h : NOMINAL_SOURCE_HEIGHT;
}

/**
 * Each encoding of `base` fitted to the cap, on copies (pure): `maxBitrate` at most the cap's bitrate; an encoding
 * taller than the cap's height is marked `over`, except the lowest (or only) one, which is scaled down
 * (`scaleResolutionDownBy`) to fit: something is always sent, as the server always forwards the lowest layer.
 * @param {object[]} base encodings lowest first, as built without a cap
 * @param {{height: number|null, bitrate: number|null}|null} cap
 * @param {number} sourceHeight the captured height in pixels
 * @returns {{encoding: object, over: boolean}[]}
 */
export function fitToCap(base, cap, sourceHeight) {
  return base.map((e, i) => {
    const encoding = { ...e };
    if (cap?.bitrate != null) encoding.maxBitrate = Math.min(e.maxBitrate ?? Infinity, cap.bitrate);
    let over = false;
    const height = sourceHeight / (e.scaleResolutionDownBy ?? 1);
    if (cap?.height != null && height > cap.height) {
      if (i === 0) encoding.scaleResolutionDownBy = sourceHeight / cap.height;
      else over = true;
    }
    return { encoding, over };
  });
}

/**
 * The `sendEncodings` of a fresh publish: `base` without the encodings above the cap. A video track without encodings
 * of its own gets one encoding only when a cap applies (scaled and limited to it). Pure.
 * @param {object[]|null} base
 * @returns {object[]|undefined} undefined: the browser's default single encoding
 */
export function encodingsForPublish(base, cap, sourceHeight) {
  if (!cap) return base ? base.map((e) => ({ ...e })) : undefined;
  return fitToCap(base ?? [{}], cap, sourceHeight).filter((f) => !f.over).map((f) => f.encoding);
}

/**
 * The sender's current encodings with the cap applied (pure, on copies): sizes and bit rates from the matching
 * `base` encoding fitted to the cap (so a cap that goes away restores them), `active` by the combined rule for an
 * encoding with a rid.
 * @param {object[]} current `getParameters().encodings`
 * @param {object[]|null} base the encodings as built without a cap (null: the browser's default single encoding)
 * @param {string[]|null} listedRids dynacast's latest list for the track; null before any message
 * @returns {{encodings: object[], changed: boolean}}
 */
export function encodingsUnderCap(current, base, cap, sourceHeight, listedRids) {
  const bases = base ?? [{}];
  const fitted = fitToCap(bases, cap, sourceHeight);
  let changed = false;
  const encodings = current.map((e, i) => {
    const k = typeof e.rid === 'string' ? bases.findIndex((b) => b.rid === e.rid) : i;
    const f = fitted[k];
    if (!f) return e;
    const out = { ...e };
    for (const key of ['maxBitrate', 'scaleResolutionDownBy']) {
      if (f.encoding[key] === undefined) delete out[key];
      else out[key] = f.encoding[key];
    }
    if (typeof e.rid === 'string') out.active = !f.over && (listedRids === null || listedRids.includes(e.rid));
    if (out.maxBitrate !== e.maxBitrate || out.scaleResolutionDownBy !== e.scaleResolutionDownBy
      || (out.active !== false) !== (e.active !== false)) changed = true;
    return out;
  });
  return { encodings, changed };
}

/**
 * The cap of this client's session and its application to the publisher's video senders. Owned by a
 * {@link Publisher}; runs on the page's event loop.
 */
export class QualityCap {
  /** @param {Publisher} publisher the owner (its published entries carry `baseEncodings`) */
  constructor(publisher) {
    this._publisher = publisher;
    /** @type {{height: number|null, bitrate: number|null}|null} the cap of the latest welcome */
    this.cap = null;
    /** setParameters calls the browser refused. */
    this.failures = 0;
  }

  /** The `sendEncodings` for a fresh publish of one pick whose uncapped encodings are `base`. */
  sendEncodings(pick, base) {
    if (pick.kind !== 'video') return base ? base.map((e) => ({ ...e })) : undefined;
    return encodingsForPublish(base, this.cap, sourceHeightOf(pick.track));
  }

  /**
   * Whether the cap lets encoding `rid` of a published entry be sent (dynacast's half of the combined rule).
   * @returns {(rid: string) => boolean}
   */
  allows(entry) {
    if (!entry || entry.kind !== 'video' || !this.cap) return () => true;
    const base = entry.baseEncodings ?? [{}];
    const fitted = fitToCap(base, this.cap, sourceHeightOf(entry.track));
    return (rid) => {
      const k = base.findIndex((b) => b.rid === rid);
      return k < 0 || !fitted[k].over;
    };
  }

  /**
   * Takes the cap of a welcome (the first, a resume's or a fresh join's). When it differs and `senders` (a resume: the
   * senders live on), the published video senders are set to it. Never throws; a refused change is counted and warned
   * about (only the saving is lost).
   * @returns {Promise<void>} settles when the senders are set
   */
  update(grants, { senders = true } = {}) {
    const cap = capFromGrants(grants);
    if (sameCap(cap, this.cap)) return Promise.resolve();
    this.cap = cap;
    if (!senders) return Promise.resolve();
    const publisher = this._publisher;
    const jobs = publisher._published.filter((p) => p.kind === 'video' && p.transceiver?.sender).map(async (p) => {
      try {
        const sender = p.transceiver.sender;
        const params = sender.getParameters();
        if (!params || !Array.isArray(params.encodings)) return;
        const { encodings, changed } = encodingsUnderCap(params.encodings, p.baseEncodings ?? null, cap,
          sourceHeightOf(p.track), publisher.dynacast.listedFor(sender));
        if (!changed) return;
        params.encodings = encodings;
        await sender.setParameters(params);
      } catch (e) {
        this.failures++;
        console.warn(`prism: could not apply the quality cap to the ${p.source}: ${e?.message ?? e}`);
      }
    });
    return Promise.all(jobs).then(() => {});
  }
}
