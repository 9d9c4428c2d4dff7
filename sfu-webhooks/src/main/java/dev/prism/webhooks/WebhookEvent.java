package dev.prism.webhooks;

/**
 * One event for backends, immutable. {@code seq} is the room's sequence number (1, 2, 3... per room, in the order the
 * room's loop saw the events; with {@code roomSid}, which changes only when a room's numbering starts afresh, it is the
 * receivers' key to order and de-duplicate). {@code json} is the exact body posted and replayed.
 *
 * @param id              unique event id ({@code EV_} and 22 random URL-safe base64 characters)
 * @param type            what happened
 * @param roomId          the room's name
 * @param roomSid         the id of this numbering of the room
 * @param seq             the room's sequence number, from 1
 * @param timestampMillis wall clock when the room's loop saw it, epoch milliseconds
 * @param json            the body: every field above plus the participant / track fields of the event
 */
public record WebhookEvent(String id, EventType type, String roomId, String roomSid, long seq, long timestampMillis,
                           String json) {
}
