package dev.prism.perf.attack;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Attacks a participant makes over its own signaling socket. */
final class SignalingFloods {
    private SignalingFloods() {
    }

    /** {@code count} messages, each with a distinct unknown {@code type} of {@code typeBytes} characters. */
    static Attack unknownTypes(int count, int typeBytes) {
        return flood("unknown-types", count, i -> {
            String stem = Integer.toString(i);
            return new JsonObject().put("type", stem + "x".repeat(Math.max(0, typeBytes - stem.length()))).encode();
        });
    }

    /** {@code count} messages that are not JSON, each carrying a newline that would forge a log line. */
    static Attack malformed(int count) {
        return flood("malformed", count, i -> "{\"type\":\"ping\n2026-01-01 INFO forged line " + i);
    }

    /** One message of {@code bytes} (a valid JSON string field): more than the node accepts. */
    static Attack oversize(int bytes) {
        return flood("oversize-" + (bytes >> 10) + "k", 1,
                i -> new JsonObject().put("type", "ping").put("pad", "x".repeat(bytes)).encode());
    }

    private static Attack flood(String name, int count, java.util.function.IntFunction<String> message) {
        return new Attack() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String run(Node node) throws Exception {
                AtomicLong errors = new AtomicLong();
                long start = System.nanoTime();
                int sent = 0;
                try (SignalingClient c = SignalingClient.connect(node.http(), node.httpPort(),
                        node.token("calm", "attacker-" + name), text -> {
                            if (text.contains("\"error\"")) {
                                errors.incrementAndGet();
                            }
                        })) {
                    long deadline = start + TimeUnit.SECONDS.toNanos(120);
                    while (sent < count && System.nanoTime() < deadline && c.send(message.apply(sent))) {
                        sent++;
                    }
                    Integer code = c.closed().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    return String.format("sent %d of %d in %.1f s, %d error replies, %s", sent, count, seconds,
                            errors.get(), code == null ? "socket left open" : "closed by the node with " + code);
                }
            }
        };
    }
}
