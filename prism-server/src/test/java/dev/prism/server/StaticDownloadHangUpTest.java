package dev.prism.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.core.config.PrismConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up in the middle of a static download is not a server error: no ERROR line, no stack trace.
 * The log is captured where slf4j-simple writes it (System.err, looked up at each line).
 */
class StaticDownloadHangUpTest {
    private static PrismServer server;

    @BeforeAll
    static void start() {
        server = PrismServer.start(PrismConfig.builder().httpPort(0).udpPort(0).httpHost("127.0.0.1")
                .bindAddress("127.0.0.1").advertiseAddress("127.0.0.1")
                .adminSecret("admin-secret-admin-secret-admin-secret-42").build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aClientHangingUpMidDownloadLogsNoError() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            double before = Scrape.value(server, "prism_http_downloads_aborted_total");
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket("127.0.0.1", server.httpPort())) {
                    s.setReceiveBufferSize(4096);
                    // Twenty pipelined requests for the 1 MB file: 20 MB cannot all sit in the node's socket send
                    // buffer (at most 4 MB on Linux), so the node is still writing when the client hangs up, however
                    // fast it ran ahead (one request was not enough on a busy machine: the whole file was buffered).
                    s.getOutputStream().write(("GET /admin/vendor/chart.umd.js.map HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .repeat(20).getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    assertThat(in.readNBytes(1024)).hasSize(1024); // the download has started (about 1 MB)
                    s.setSoLinger(true, 0); // close with a reset, as a browser tab that goes away
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Scrape.value(server, "prism_http_downloads_aborted_total") < before + 3
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L); // polls the counter: waits on the condition, with a deadline
            }
            assertThat(Scrape.value(server, "prism_http_downloads_aborted_total")).isGreaterThan(before);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
