// Prism SDK, pure part: the server's `speakers` message (docs/PROTOCOL.md "Active speakers and top-N audio") turned
// into the `speakersChanged` event's value. Never throws on bad input: unusable entries are skipped.

/**
 * @param {object} msg the `speakers` message
 * @param {(id: string) => object | null} participantOf the room model's participant (local or remote) of an id
 * @returns {{speakers: Array<{participantId: string, participant: object|null, level: number}>,
 *   dominantId: string|null, dominant: object|null}} speakers loudest first, as the server ordered them
 */
export function toSpeakers(msg, participantOf) {
  const speakers = [];
  const seen = new Set();
  for (const raw of Array.isArray(msg.speakers) ? msg.speakers : []) {
    if (!raw || typeof raw.participantId !== 'string' || raw.participantId === '' || seen.has(raw.participantId)) {
      continue;
    }
    seen.add(raw.participantId);
    const level = typeof raw.level === 'number' && Number.isFinite(raw.level) ? Math.min(1, Math.max(0, raw.level)) : 0;
    speakers.push({ participantId: raw.participantId, participant: participantOf(raw.participantId), level });
  }
  const dominantId = typeof msg.dominant === 'string' && msg.dominant !== '' ? msg.dominant : null;
  return { speakers, dominantId, dominant: dominantId === null ? null : participantOf(dominantId) };
}
