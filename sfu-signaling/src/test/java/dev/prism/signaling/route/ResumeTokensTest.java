package dev.prism.signaling.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResumeTokensTest {
    @ParameterizedTest
    @CsvSource({"room-1", "a", "Zimmer-ü", "with.dot", "sp ace"})
    void aTokenNamesItsRoom(String room) {
        String token = ResumeTokens.of(room, "AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(ResumeTokens.roomOf(token)).isEqualTo(room);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL", "''", "no-dot-at-all", ".random", "cm9vbQ.", "!!!.random", "cm9vbQ==x.random", "_w.random"})
    void whatNamesNoRoomIsNull(String token) {
        // _w decodes to 0xFF: not UTF-8
        assertThat(ResumeTokens.roomOf(token)).isNull();
    }

    @org.junit.jupiter.api.Test
    void aHugeTokenIsNotDecoded() {
        assertThat(ResumeTokens.roomOf("cm9vbQ." + "x".repeat(ResumeTokens.MAX_TOKEN_LENGTH))).isNull();
    }
}
