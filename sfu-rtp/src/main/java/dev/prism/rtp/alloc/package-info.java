/**
 * Bitrate allocation per subscriber: {@link dev.prism.rtp.alloc.BitrateAllocator} shares a downlink estimate among the
 * subscriber's tracks (audio first, then video by {@link dev.prism.rtp.alloc.Priority}, within each track's
 * {@link dev.prism.rtp.alloc.Preferences}, lowered by a token's {@link dev.prism.rtp.alloc.QualityCap}), provisional then
 * committed, with hysteresis;
 * {@link dev.prism.rtp.alloc.LayerStats} measures each published layer's bitrate and frame rate from packet arrivals.
 * See {@code docs/SIMULCAST.md}.
 *
 * <h2>Threads and allocation</h2>
 * The room's event loop; nothing here is thread-safe. {@code LayerStats.onPacket} is on the hot path and allocates
 * nothing; allocation rounds run a few times a second and allocate only their inputs and result (subscriptions,
 * assignments, the allocation): the allocator's working arrays and committed state are reused. No buffers are held.
 */
package dev.prism.rtp.alloc;
