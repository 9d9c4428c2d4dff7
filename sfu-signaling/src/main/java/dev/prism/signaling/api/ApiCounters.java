package dev.prism.signaling.api;

import dev.prism.signaling.auth.TokenException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server API requests by endpoint (the names given at registration, a fixed set) and status class, and refused
 * tokens by reason ({@link TokenException.Kind}, fixed): bounded labels only. Thread-safe.
 */
public final class ApiCounters implements MeterBinder {
    /** Status labels: anything else is counted as its class ({@code 2xx}, {@code 5xx}). */
    static final List<String> STATUSES = List.of("2xx", "400", "401", "403", "404", "413", "421", "4xx", "5xx");

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<TokenException.Kind, LongAdder> refused = new ConcurrentHashMap<>();
    private final List<String> endpoints;

    /** @param endpoints every endpoint name that will be counted (their meters exist from the start) */
    ApiCounters(List<String> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        for (String e : this.endpoints) {
            for (String s : STATUSES) {
                requests.put(e + " " + s, new LongAdder());
            }
        }
        for (TokenException.Kind k : TokenException.Kind.values()) {
            refused.put(k, new LongAdder());
        }
    }

    void request(String endpoint, int status) {
        LongAdder a = requests.get(endpoint + " " + label(status));
        if (a != null) {
            a.increment();
        }
    }

    void refuse(TokenException.Kind kind) {
        refused.get(kind).increment();
    }

    /** Requests answered so far for that endpoint name and status label. */
    public long requests(String endpoint, String statusLabel) {
        LongAdder a = requests.get(endpoint + " " + statusLabel);
        return a == null ? 0 : a.sum();
    }

    public long refused(TokenException.Kind kind) {
        return refused.get(kind).sum();
    }

    static String label(int status) {
        String exact = String.valueOf(status);
        if (STATUSES.contains(exact)) {
            return exact;
        }
        return status < 300 ? "2xx" : status < 500 ? "4xx" : "5xx";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String e : endpoints) {
            for (String s : STATUSES) {
                LongAdder a = requests.get(e + " " + s);
                FunctionCounter.builder("prism.api.requests", a, LongAdder::sum)
                        .description("server API requests (/api/v1), by endpoint and status")
                        .tags("endpoint", e, "status", s).register(registry);
            }
        }
        for (TokenException.Kind k : TokenException.Kind.values()) {
            FunctionCounter.builder("prism.api.tokens.refused", refused.get(k), LongAdder::sum)
                    .description("server API calls refused for their token (401, or 403 without roomAdmin), by reason")
                    .tags("reason", k.reason()).register(registry);
        }
    }
}
