package dev.prism.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientTextTest {
    @Test
    void logTextIsOneLine() {
        assertEquals("type\\n2026-12-07 INFO forged", ClientText.forLog("type\n2026-12-07 INFO forged"));
        assertEquals("a\\rb\\tc\\\\d", ClientText.forLog("a\rb\tc\\d"));
        assertEquals("\\u0000\\u001b[31m", ClientText.forLog("\u0000\u001b[31m"));
        assertEquals("\\u202eevil", ClientText.forLog("\u202eevil"));
        assertEquals("\\u2028", ClientText.forLog("\u2028"));
        assertEquals("null", ClientText.forLog(null));
        assertEquals("Zoë 日本", ClientText.forLog("Zoë 日本"));
    }

    @Test
    void logTextIsBounded() {
        String cut = ClientText.forLog("x".repeat(5000));
        assertTrue(cut.startsWith("x".repeat(ClientText.LOG_LIMIT) + "...(+"), cut);
        assertTrue(cut.endsWith("(+" + (5000 - ClientText.LOG_LIMIT) + " chars)"), cut);
        assertFalse(cut.length() > ClientText.LOG_LIMIT + 30);
    }

    @Test
    void displayNameLosesBidiAndControls() {
        assertEquals("alicegpj.exe", ClientText.forDisplay("alice\u202egpj.exe"));
        assertEquals("bob", ClientText.forDisplay("\u2066bob\u2069\n"));
        assertEquals("a\u200db", ClientText.forDisplay("a\u200db"), "ZWJ kept for emoji sequences");
        assertEquals("Zoë", ClientText.forDisplay(" Zoë "));
    }
}
