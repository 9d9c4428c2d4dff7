/**
 * The conference: the control-plane API between signaling (and operators) and the media plane. A node has one
 * {@link dev.prism.conference.Conference}; each participant in a room is a
 * {@link dev.prism.conference.ConferenceParticipant} handle that its owner (a signaling session, later perhaps one
 * proxied from another node) holds, with a {@link dev.prism.conference.ConferenceListener} for the events toward it.
 *
 * <p>Threading: a room and its media live on one loop ({@code Room.executor()}, a media engine's Netty loop). Every
 * public call may come from any thread; it hops onto that loop (or runs at once when already there) and answers with a
 * {@code CompletableFuture} completed on the loop. Listener methods are called on the loop. Methods documented
 * "room loop only" must be called there.
 *
 * <p>This package and sfu-rtp are the only code that touches {@code dev.prism.rtp.router} types; callers see sfu-core
 * records ({@code MediaDescription}, {@code IceParameters}, {@code DtlsFingerprint}...) and the values here
 * ({@link dev.prism.conference.LocalTransport}, {@link dev.prism.conference.SubscriberLine}, ...). SDP is not
 * written or read here: signaling does that and passes the parameters.
 */
package dev.prism.conference;
