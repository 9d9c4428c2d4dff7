package dev.prism.server;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of a node's server API ({@code /api/v1}) for tests: one bearer token, JSON in and out. */
public final class ApiHttp {
    /** An answer: its status and its body (a JSON object, or {@code {"raw": text}} when it is not one). */
    public record Reply(int status, JsonObject body) {
        public String error() {
            return body.getString("error");
        }

        public String message() {
            return body.getString("message");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String token;

    public ApiHttp(int port, String token) {
        this.port = port;
        this.token = token;
    }

    public ApiHttp as(String otherToken) {
        return new ApiHttp(port, otherToken);
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    public Reply patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    /** {@code body}: a JsonObject, a raw String sent as is, or null. */
    public Reply send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject json;
            try {
                json = new JsonObject(r.body());
            } catch (RuntimeException e) {
                json = new JsonObject().put("raw", r.body());
            }
            return new Reply(r.statusCode(), json);
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
