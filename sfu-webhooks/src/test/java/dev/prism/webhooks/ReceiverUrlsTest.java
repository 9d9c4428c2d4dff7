package dev.prism.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverUrlsTest {
    /** Names resolve from a table: no DNS in unit tests. */
    private static final ReceiverUrls.Resolver TABLE = host -> switch (host) {
        case "hooks.example.com" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, 1, 1})};
        case "intranet.example.com" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3})};
        default -> InetAddress.getAllByName(host); // IP literals only below: no lookup happens
    };

    @Test
    void publicReceiversPass() {
        assertThat(ReceiverUrls.check(List.of("https://hooks.example.com/prism", "http://93.184.1.2:8080/x"), false,
                TABLE)).hasSize(2);
    }

    @Test
    void privateAndLoopbackReceiversAreRefusedUnlessAllowed() {
        for (String url : List.of("http://127.0.0.1:9000/h", "http://[::1]/h", "http://10.0.0.5/h",
                "http://192.168.1.1/h", "http://172.16.0.1/h", "http://169.254.169.254/latest", "http://0.0.0.0/h",
                "http://100.64.0.1/h", "http://[fd00::1]/h", "https://intranet.example.com/h")) {
            assertThatThrownBy(() -> ReceiverUrls.check(List.of(url), false, TABLE)).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--webhook-allow-private");
            assertThat(ReceiverUrls.check(List.of(url), true, TABLE)).as(url).hasSize(1);
        }
    }

    @Test
    void malformedUrlsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ReceiverUrls.check(List.of("ftp://hooks.example.com/"), true, TABLE))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> ReceiverUrls.check(List.of("http:///nohost"), true, TABLE))
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> ReceiverUrls.check(List.of("http://u:p@hooks.example.com/"), true, TABLE))
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> ReceiverUrls.check(List.of("http://unknown.invalid/"), false, host -> {
            throw new UnknownHostException(host);
        })).hasMessageContaining("does not resolve");
    }
}
