package dev.prism.conference;

import dev.prism.core.clock.Timers;
import dev.prism.core.room.Participant;
import dev.prism.core.room.Room;
import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import dev.prism.core.room.Track;
import dev.prism.core.room.TrackSource;
import dev.prism.core.rtp.MediaKind;
import dev.prism.rtp.alloc.Priority;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.AudioConsumer;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.uplink.AudioLevelMeter;
import dev.prism.rtp.router.uplink.Producer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A room's speaker detection and top-N audio, run every {@link SpeakerDetector#TICK_MILLIS} ms on the room's loop:
 * <ol>
 *   <li>reads each audio producer's interval of RFC 6464 levels ({@link AudioLevelMeter#takeInterval}) into the
 *       room's {@link SpeakerDetector};</li>
 *   <li>tells every participant ({@link ConferenceListener#onSpeakers}) when who speaks or the dominant speaker
 *       changed, at most once per {@link #UPDATE_INTERVAL_MILLIS} ms (a change inside the interval goes out when it
 *       ends, with the state of that moment);</li>
 *   <li>gives every subscriber's video consumers of the dominant speaker (camera, not screen share: that keeps its
 *       own priority) {@link Priority#ACTIVE_SPEAKER} in the bitrate allocation, and the others back their normal
 *       priority;</li>
 *   <li>with top-N audio on ({@link #topN} &gt; 0), selects for each subscriber the N loudest audio streams of the
 *       others ({@link dev.prism.rtp.router.downlink.TopNAudioGate#select}); a stream already selected gets a bonus of
 *       {@value #STICKY_BONUS} dB in the ranking so that two similar voices do not swap back and forth. A stream whose
 *       publisher did not negotiate the audio level extension cannot be ranked and is always forwarded.</li>
 * </ol>
 * Cost per tick: one pass over the room's producers and one over each participant's subscriptions; nothing on the
 * packet path. A tick allocates nothing unless something changed: the participant list is rebuilt after a join or
 * leave only, and a tick that sends an update allocates that {@link ActiveSpeakers}. Pinning is not offered: subscriber
 * preferences have no pin yet.
 *
 * <p>Room loop only.
 */
final class RoomSpeakers {
    static final long UPDATE_INTERVAL_MILLIS = 300;
    static final double STICKY_BONUS = 4;

    private final Conference conference;
    private final Room room;
    private final RoomRouter router;
    private final int topN;
    private final SpeakerDetector detector = new SpeakerDetector();
    private final Timers.Handle timer;
    // The tick runs every 100 ms in every room: in a steady state it allocates nothing (RoomSpeakersAllocationTest).
    private final java.util.function.Consumer<Producer> sampleProducer = this::sample;
    /** The room's participants' handles in room order, rebuilt after a join or leave ({@link #membershipChanged}). */
    private final List<ConferenceParticipant> members = new ArrayList<>();
    private final RoomListener membership = this::onRoomEvent;
    private boolean membershipChanged = true;
    private ActiveSpeakers current = ActiveSpeakers.NONE;
    private boolean changePending;
    private long lastSentNanos = Long.MIN_VALUE;
    private long updatesSent;

    /** @param topN the N of top-N audio for this room, 0 for off */
    RoomSpeakers(Conference conference, Room room, RoomRouter router, int topN) {
        this.conference = conference;
        this.room = room;
        this.router = router;
        this.topN = topN;
        room.addObserver(membership);
        this.timer = router.engine().timers().scheduleAtFixedRate(this::tick, SpeakerDetector.TICK_MILLIS,
                SpeakerDetector.TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    int topN() {
        return topN;
    }

    /** The speakers as last sent (or about to be). */
    ActiveSpeakers current() {
        return current;
    }

    long updatesSent() {
        return updatesSent;
    }

    SpeakerDetector detector() {
        return detector;
    }

    void close() {
        timer.cancel();
        room.removeObserver(membership);
    }

    /** A participant just joined: it hears the current speakers when anyone speaks. */
    void welcome(ConferenceListener listener) {
        if (!current.speakers().isEmpty() || current.dominant() != null) {
            listener.onSpeakers(current);
        }
    }

    void tick() {
        if (!conference.isLive(room)) {
            return; // the room ended; the conference cancels this timer when it forgets the room
        }
        long now = router.engine().clock().nanos();
        router.forEachProducer(sampleProducer);
        detector.retainSampled();
        if (detector.tick(now)) {
            changePending = true;
        }
        List<ConferenceParticipant> open = members();
        if (changePending && (lastSentNanos == Long.MIN_VALUE
                || now - lastSentNanos >= UPDATE_INTERVAL_MILLIS * 1_000_000L)) {
            changePending = false;
            lastSentNanos = now;
            current = new ActiveSpeakers(detector.speakers(), detector.dominant());
            updatesSent++;
            for (int i = 0; i < open.size(); i++) {
                ConferenceParticipant cp = open.get(i);
                if (cp.isOpen()) {
                    cp.listener().onSpeakers(current);
                }
            }
        }
        applyPriorityAndTopN(members(), now);
    }

    private void sample(Producer p) {
        AudioLevelMeter meter = p.kind() == MediaKind.AUDIO ? p.audioLevel() : null;
        if (meter != null) {
            long interval = meter.takeInterval();
            detector.sample(p.participantId(), AudioLevelMeter.packets(interval),
                    AudioLevelMeter.loudnessSum(interval));
        }
    }

    private void onRoomEvent(RoomEvent event) {
        if (event instanceof RoomEvent.ParticipantJoined || event instanceof RoomEvent.ParticipantLeft) {
            membershipChanged = true;
        }
    }

    /**
     * The handles of the room's participants, in room order, rebuilt only after a join or leave (the conference
     * registers a handle in the same room-loop task as the join and forgets it in the same task as the leave); the
     * caller skips those no longer {@link ConferenceParticipant#isOpen open}.
     */
    private List<ConferenceParticipant> members() {
        if (membershipChanged) {
            membershipChanged = false;
            members.clear();
            for (Participant p : room.participants()) {
                ConferenceParticipant cp = conference.participant(room.id(), p.id());
                if (cp != null) {
                    members.add(cp);
                }
            }
        }
        return members;
    }

    private void applyPriorityAndTopN(List<ConferenceParticipant> open, long now) {
        String dominant = current.dominant();
        if (topN > 0) {
            detector.rankForTopN(STICKY_BONUS, topN);
        }
        for (int i = 0; i < open.size(); i++) {
            ConferenceParticipant cp = open.get(i);
            if (!cp.isOpen()) {
                continue;
            }
            int ownRank = topN == 0 ? -1 : detector.rank(cp.id());
            int own = ownRank < 0 ? Integer.MAX_VALUE : ownRank;
            List<SubscriberSlot> slots = cp.subscriberSide().slots();
            for (int k = 0; k < slots.size(); k++) {
                SubscriberSlot slot = slots.get(k);
                Consumer c = slot.consumer;
                if (c == null || !slot.active()) {
                    continue;
                }
                if (c instanceof AudioConsumer a) {
                    if (topN > 0) {
                        int r = detector.rank(slot.publisherId);
                        // Among the others: a subscriber ranked above this stream does not take one of its N places.
                        a.topNGate().select(r < 0 || amongTopN(r, own, topN), now);
                    }
                } else if (c.priority() != Priority.SCREEN_SHARE) {
                    boolean speaker = slot.publisherId.equals(dominant) && !isScreen(slot.publisherId, slot.trackId);
                    c.setPriority(speaker ? Priority.ACTIVE_SPEAKER : Priority.NORMAL);
                }
            }
        }
    }

    /**
     * Whether the stream ranked {@code streamRank} in the room (0 = loudest) is among the {@code n} loudest that a
     * subscriber ranked {@code ownRank} hears: its own stream, when louder, does not take one of the places.
     */
    static boolean amongTopN(int streamRank, int ownRank, int n) {
        return streamRank - (ownRank < streamRank ? 1 : 0) < n;
    }

    private boolean isScreen(String publisherId, String trackId) {
        // Track ids are the publisher's id and a number: look there first, without walking the room.
        Participant publisher = room.participant(publisherId);
        Track t = publisher != null ? publisher.track(trackId) : null;
        if (t == null) {
            t = Conference.findTrack(room, trackId);
        }
        return t != null && t.source() == TrackSource.SCREEN;
    }
}
