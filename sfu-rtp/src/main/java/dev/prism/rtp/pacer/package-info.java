/**
 * Pacing toward one subscriber: {@link dev.prism.rtp.pacer.Pacer} is a leaky bucket at a multiple of the downlink
 * estimate with a small burst allowance, in front of the transport; packets leave at once while it has budget and
 * nothing waits, else they wait in preallocated rings by {@link dev.prism.rtp.pacer.PacketClass} (audio never waits;
 * retransmissions before new video; probe padding in the gaps). {@link dev.prism.rtp.pacer.PacingLoop} is the one
 * drain timer of an event loop, running only while some pacer of the loop has packets queued.
 *
 * <p>Pure apart from the timer: time comes in as arguments, packets go out through
 * {@link dev.prism.rtp.pacer.PacedOutput}; the router's {@code SendStage} is the output (numbering for transport-wide
 * feedback happens there, when a packet leaves).
 *
 * <h2>Threads</h2>
 * The media event loop of the subscriber's room only; the loop's timers run {@code PacingLoop}'s ticks there too.
 *
 * <h2>Who owns a buffer</h2>
 * <ol>
 * <li>{@code Pacer.send} takes ownership in every outcome: emitted (the output owns it), queued (the pacer owns it),
 *     or released when a full queue drops it.</li>
 * <li>{@code Pacer.close} (the subscriber's transport closed) releases everything queued; later sends go straight to
 *     the output, whose closed transport releases them.</li>
 * </ol>
 */
package dev.prism.rtp.pacer;
