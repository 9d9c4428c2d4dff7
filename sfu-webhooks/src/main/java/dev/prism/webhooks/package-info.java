/**
 * Webhooks a backend can trust, and the replay of a room's recent events.
 *
 * <p>Production: {@link dev.prism.webhooks.RoomEventRecorder} is a {@link dev.prism.core.room.RoomListener} on every
 * room (and hears a room's end through {@link dev.prism.webhooks.RecordingRoomRegistry}). On the room's loop it turns
 * each room event into a {@link dev.prism.webhooks.WebhookEvent} with a unique id and the room's next sequence number,
 * keeps it in the room's {@link dev.prism.webhooks.EventRing} (what {@link dev.prism.webhooks.ReplayHandler} serves)
 * and hands it to an {@link dev.prism.webhooks.EventSink}: a non-blocking hand-over, nothing else runs on the room's
 * loop.
 *
 * <p>Delivery: {@link dev.prism.webhooks.WebhookDispatcher} owns one Vert.x context; per URL a
 * {@link dev.prism.webhooks.DeliveryQueues} (pure, clock-driven: one ordered queue per room, one request in flight per
 * room, exponential backoff by {@link dev.prism.webhooks.RetrySchedule}, bounded size and retry window) decides what to
 * send and when; the dispatcher signs ({@link dev.prism.webhooks.WebhookSigner}) and posts
 * ({@code WebhookPost}), having run that path once at start against a throwaway loopback server
 * ({@code DispatcherWarmUp}) so a cold node's first delivery is not the slow one. Figures go to
 * {@link dev.prism.webhooks.WebhookMeters}. A receiver on a private or loopback network is refused at startup unless
 * allowed ({@link dev.prism.webhooks.ReceiverUrls}).
 */
package dev.prism.webhooks;
