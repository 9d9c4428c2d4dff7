package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prism.core.clock.FakeClock;
import dev.prism.signaling.session.SessionLifecycle.Phase;
import dev.prism.signaling.session.SessionLifecycle.SocketClosed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicInteger next = new AtomicInteger();
    private final SessionLifecycle s =
            new SessionLifecycle(clock, Duration.ofSeconds(20).toNanos(), () -> "t" + next.incrementAndGet());

    @Test
    void aDroppedSocketDetachesAndAResumeInTimeRejoinsWithANewToken() {
        assertThat(s.join()).isEqualTo("t1");
        assertThat(s.socketClosed(null)).as("no close frame: the network dropped").isEqualTo(SocketClosed.DETACH);
        assertThat(s.phase()).isEqualTo(Phase.DETACHED);
        clock.advance(Duration.ofSeconds(19));
        assertThat(s.expired()).isFalse();
        assertThat(s.remainingNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(s.resume("t1")).isEqualTo("t2");
        assertThat(s.phase()).isEqualTo(Phase.JOINED);
        assertThat(s.resume("t1")).as("a token works once").isNull();
        assertThat(s.resumes()).isEqualTo(1);
    }

    @Test
    void theWindowRunsOut() {
        s.join();
        s.socketClosed(1006);
        clock.advance(Duration.ofSeconds(20));
        assertThat(s.expired()).isTrue();
        assertThat(s.remainingNanos()).isZero();
        assertThat(s.resume("t1")).as("too late").isNull();
        assertThat(s.phase()).isEqualTo(Phase.DETACHED);
    }

    @Test
    void aCleanCloseLeavesAtOnceSoAReloadLeavesNoGhost() {
        // table: close code -> decision for a joined session
        Object[][] rows = {
                {1000, SocketClosed.LEAVE},   // normal closure: the SDK left
                {1001, SocketClosed.LEAVE},   // going away: page reload or tab closed
                {1006, SocketClosed.DETACH},  // abnormal (reported locally when the connection died)
                {4100, SocketClosed.DETACH},  // the SDK gave up on a silent socket
                {null, SocketClosed.DETACH},  // no close frame at all
        };
        for (Object[] row : rows) {
            SessionLifecycle l = new SessionLifecycle(clock, 1, () -> "x");
            l.join();
            assertThat(l.socketClosed((Integer) row[0])).as("close code %s", row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void withoutAWindowEveryDropLeaves() {
        SessionLifecycle l = new SessionLifecycle(clock, 0, () -> "x");
        l.join();
        assertThat(l.socketClosed(null)).isEqualTo(SocketClosed.LEAVE);
    }

    @Test
    void aHalfOpenSocketIsReplacedByAResumeWhileStillJoined() {
        s.join();
        assertThat(s.resume("t1")).isEqualTo("t2");
        assertThat(s.phase()).isEqualTo(Phase.JOINED);
    }

    @Test
    void wrongTokensClosedSessionsAndRepeatedClosesAreRefusedOrIgnored() {
        assertThat(s.resume("t1")).as("before joining").isNull();
        assertThat(s.socketClosed(null)).as("closed while joining").isEqualTo(SocketClosed.LEAVE);
        s.join();
        assertThat(s.resume("nope")).isNull();
        assertThat(s.resume(null)).isNull();
        assertThat(s.socketClosed(null)).isEqualTo(SocketClosed.DETACH);
        assertThat(s.socketClosed(null)).as("already detached").isEqualTo(SocketClosed.IGNORE);
        s.close();
        assertThat(s.resume("t1")).isNull();
        assertThat(s.resumeToken()).isNull();
        assertThat(s.socketClosed(1006)).isEqualTo(SocketClosed.IGNORE);
        assertThatThrownBy(s::join).isInstanceOf(IllegalStateException.class);
    }
}
