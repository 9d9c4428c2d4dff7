package dev.prism.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void valuesRoundTrip() {
        String text = "{\"s\":\"a\\\"b\\\\c\\n\\u0001\u00e9\",\"n\":-12,\"big\":123456789012345678901234,\"f\":1.5e3,"
                + "\"t\":true,\"no\":null,\"a\":[1,{},[]]}";
        Map<String, Object> m = Json.parseObject(text);
        assertThat(m.get("s")).isEqualTo("a\"b\\c\n\u0001\u00e9");
        assertThat(m.get("n")).isEqualTo(-12L);
        assertThat(m.get("big")).isEqualTo(new BigDecimal("123456789012345678901234"));
        assertThat(m.get("f")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m).containsKey("no");
        assertThat(m.get("a")).isEqualTo(List.of(1L, Map.of(), List.of()));
        assertThat(Json.write(m)).isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\\u0001\u00e9\",\"n\":-12,"
                + "\"big\":123456789012345678901234,\"f\":1.5E+3,\"t\":true,\"no\":null,\"a\":[1,{},[]]}");
        assertThat(Json.parse(" \"\\ud83d\\ude00\" ")).isEqualTo("\ud83d\ude00");
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", new String[] {"x"});
        assertThat(Json.write(ordered)).isEqualTo("{\"z\":1,\"a\":[\"x\"]}");
    }

    @Test
    void badTextIsRefused() {
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        for (String bad : Arrays.asList(null, "", "{", "{\"a\":1,\"a\":2}", "[1,]", "01", "1.", "-", "1e", "tru",
                "\"a\u0001\"", "\"\\x\"", "\"\\u12\"", "{\"a\" 1}", "{} x", "NaN", "1e9999999999", deep, "{1:2}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.parseObject("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys are strings");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("no JSON form");
    }
}
