package dev.prism.signaling.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Origin may open the signaling WebSocket, as a table: allowed list, mode, Origin, Host, decision. */
class OriginPolicyTest {
    @ParameterizedTest(name = "[{0}] dev={1} Origin={2} Host={3} -> {4}")
    @CsvSource(nullValues = "NONE", value = {
            // allowed list                  | dev   | Origin                          | Host                 | allowed
            "'',                               false, NONE,                            prism.example:8080,    true",
            "'',                               false, http://prism.example:8080,       prism.example:8080,    true",
            "'',                               false, HTTP://Prism.Example:8080,       prism.example:8080,    true",
            "'',                               false, https://prism.example,           prism.example,         true",
            "'',                               false, https://prism.example:443,       prism.example,         true",
            "'',                               false, http://prism.example,            prism.example:80,      true",
            "'',                               false, http://[::1]:8080,               [::1]:8080,            true",
            "'',                               false, http://evil.example,             prism.example:8080,    false",
            "'',                               false, http://prism.example:9999,       prism.example:8080,    false",
            "'',                               false, null,                            prism.example:8080,    false",
            "'',                               false, http://prism.example:8080,       NONE,                  false",
            "'',                               true,  http://evil.example,             prism.example:8080,    true",
            "'*',                              false, http://evil.example,             prism.example:8080,    true",
            "'https://app.example',            false, https://app.example,             prism.example,         true",
            "'https://app.example',            false, https://app.example:443,         prism.example,         true",
            "'https://app.example',            false, http://app.example,              prism.example,         false",
            "'https://app.example',            false, https://prism.example,           prism.example,         false",
            "'https://app.example',            true,  https://evil.example,            prism.example,         false",
            "'https://app.example',            false, https://app.example/path,        prism.example,         false",
            "'https://app.example',            false, https://user@app.example,        prism.example,         false",
            "'https://app.example',            false, NONE,                            prism.example,         true",
    })
    void decides(String allowed, boolean devMode, String origin, String host, boolean expected) {
        List<String> list = allowed.isEmpty() ? List.of() : List.of(allowed.split(" "));
        assertThat(new OriginPolicy(list, devMode).allows(origin, host)).isEqualTo(expected);
    }
}
