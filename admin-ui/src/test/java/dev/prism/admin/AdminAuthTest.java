package dev.prism.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdminAuthTest {
    private static final String SECRET = "admin-secret-admin-secret-admin-secret-42";

    private final AtomicLong now = new AtomicLong(1_700_000_000L);
    private final AdminAuth auth = new AdminAuth(SECRET, now::get, new SecureRandom());

    static Stream<Arguments> authorizationHeaders() {
        return Stream.of(
                Arguments.of("exact", "Bearer " + SECRET, true),
                Arguments.of("scheme is case-insensitive", "bearer " + SECRET, true),
                Arguments.of("surrounding blanks", "Bearer  " + SECRET + " ", true),
                Arguments.of("missing header", null, false),
                Arguments.of("empty", "", false),
                Arguments.of("scheme only", "Bearer ", false),
                Arguments.of("secret without scheme", SECRET, false),
                Arguments.of("other scheme", "Basic " + SECRET, false),
                Arguments.of("wrong secret", "Bearer wrong", false),
                Arguments.of("prefix of the secret", "Bearer " + SECRET.substring(0, SECRET.length() - 1), false),
                Arguments.of("secret plus more", "Bearer " + SECRET + "x", false),
                Arguments.of("case changed", "Bearer " + SECRET.toUpperCase(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authorizationHeaders")
    void bearer(String label, String header, boolean accepted) {
        assertThat(auth.bearerMatches(header)).isEqualTo(accepted);
    }

    @Test
    void aFreshTicketIsValidUntilItExpires() {
        String ticket = auth.issueTicket();
        assertThat(auth.ticketValid(ticket)).isTrue();
        now.addAndGet(AdminAuth.TICKET_TTL_SECONDS);
        assertThat(auth.ticketValid(ticket)).as("valid through its last second").isTrue();
        now.incrementAndGet();
        assertThat(auth.ticketValid(ticket)).as("expired").isFalse();
    }

    @Test
    void ticketsAreUniqueAndBoundToTheSecret() {
        String ticket = auth.issueTicket();
        assertThat(auth.issueTicket()).isNotEqualTo(ticket);
        AdminAuth other = new AdminAuth(SECRET + "-other", now::get, new SecureRandom());
        assertThat(other.ticketValid(ticket)).isFalse();
    }

    static Stream<Arguments> badTickets() {
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("no dots", "abc"),
                Arguments.of("one dot", "1700000060.abc"),
                Arguments.of("expiry not a number", "soon.AAAA.AAAA"),
                Arguments.of("mac not base64url", "1700000060.AAAA.!!!!"),
                Arguments.of("far too long", "1".repeat(500)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTickets")
    void malformedTicketsAreRefusedWithoutThrowing(String label, String ticket) {
        assertThat(auth.ticketValid(ticket)).isFalse();
    }

    @Test
    void tamperedTicketsAreRefused() {
        String ticket = auth.issueTicket();
        String[] parts = ticket.split("\\.");
        long expiry = Long.parseLong(parts[0]);
        // A later expiry under the same MAC.
        assertThat(auth.ticketValid((expiry + 1) + "." + parts[1] + "." + parts[2])).isFalse();
        // Another nonce under the same MAC.
        assertThat(auth.ticketValid(parts[0] + ".BBBBBBBBBBBBBBBBBBBBBB." + parts[2])).isFalse();
        // A flipped MAC character.
        char c = parts[2].charAt(0);
        assertThat(auth.ticketValid(parts[0] + "." + parts[1] + "." + (c == 'A' ? 'B' : 'A') + parts[2].substring(1)))
                .isFalse();
    }

    @Test
    void aTicketValidTooFarInTheFutureIsRefused() {
        String ticket = auth.issueTicket();
        now.addAndGet(-10); // the clock went back: the ticket now claims more than the allowed lifetime
        assertThat(auth.ticketValid(ticket)).isFalse();
    }
}
