package dev.prism.signaling.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoomDirectoryTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RoomDirectory directory = new RoomDirectory(now::get);
    private final Set<String> occupied = new HashSet<>();
    private final Set<String> present = new HashSet<>();

    private void sweep() {
        directory.sweep(occupied::contains, present::contains);
    }

    @Test
    void aCreatedRoomNobodyJoinsIsForgottenAfterItsEmptyTimeout() {
        assertThat(directory.put("r", 3, 10, "m")).isTrue();
        sweep();
        now.addAndGet(9_999);
        sweep();
        assertThat(directory.options("r")).isNotNull();
        now.addAndGet(1);
        sweep();
        assertThat(directory.options("r")).isNull();
        assertThat(directory.maxParticipants("r")).isZero();
    }

    @Test
    void theEmptyTimeoutCountsFromWhenTheLastParticipantLeft() {
        directory.put("r", 3, 10, null);
        occupied.add("r");
        now.addAndGet(60_000);
        sweep();
        assertThat(directory.options("r")).isNotNull();
        occupied.remove("r");
        sweep(); // empty from now
        now.addAndGet(9_000);
        sweep();
        assertThat(directory.maxParticipants("r")).isEqualTo(3);
        now.addAndGet(1_000);
        sweep();
        assertThat(directory.options("r")).isNull();
    }

    @Test
    void recreatingKeepsTheCreationTimeAndReplacesTheOptions() {
        directory.put("r", 3, 10, "a");
        long created = directory.options("r").createdAtMillis();
        now.addAndGet(5);
        assertThat(directory.put("r", 0, 20, "b")).isFalse();
        assertThat(directory.options("r")).isEqualTo(new RoomDirectory.RoomOptions(0, 20, "b", created));
    }

    @Test
    void participantMetadataIsForgottenWhenTheParticipantLeaves() {
        directory.put("r", 0, 10, null);
        occupied.add("r");
        directory.participantMetadata("r", "alice", "{\"hand\":true}");
        present.add("r\u0000alice");
        sweep();
        assertThat(directory.participantMetadata("r", "alice")).isEqualTo("{\"hand\":true}");
        present.clear();
        sweep();
        assertThat(directory.participantMetadata("r", "alice")).isNull();
    }
}
