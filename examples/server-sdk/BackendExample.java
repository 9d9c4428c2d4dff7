// A backend using Prism's Java server SDK (module prism-server-sdk): creates a room, mints a participant's token and
// receives the node's webhooks, verified. Run it next to a node started with
//   ./prism --api-secret "$PRISM_API_SECRET" --webhook-url http://127.0.0.1:9000/prism/events --webhook-allow-private
// as a single-file program (JDK 17+):
//   PRISM_URL=http://127.0.0.1:8080 PRISM_API_SECRET=... WEBHOOK_PORT=9000 \
//     java -cp prism-server-sdk/target/classes examples/server-sdk/BackendExample.java
// EXAMPLE_MAX_EVENTS=N makes it exit after N events (ServerSdkExamplesTest runs it that way against a real node).
import com.sun.net.httpserver.HttpServer;
import dev.prism.sdk.PrismApi;
import dev.prism.sdk.PrismTokens;
import dev.prism.sdk.RoomOptions;
import dev.prism.sdk.WebhookEvent;
import dev.prism.sdk.WebhookVerificationException;
import dev.prism.sdk.WebhookVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

public class BackendExample {
    public static void main(String[] args) throws Exception {
        String secret = System.getenv("PRISM_API_SECRET");
        PrismTokens tokens = new PrismTokens(secret);
        PrismApi api = new PrismApi(URI.create(System.getenv().getOrDefault("PRISM_URL", "http://127.0.0.1:8080")),
                tokens);

        // 1. Create a room with options (replaces them if it exists).
        api.createRoom(RoomOptions.named("example-standup").maxParticipants(8).metadata("{\"topic\":\"daily\"}"));

        // 2. A token for a participant: the browser joins with it (new PrismClient({url, token}) in the JS SDK).
        String token = tokens.participant("example-standup", "alice").name("Alice").ttl(Duration.ofHours(2)).mint();
        System.out.println("token for alice: " + token);

        // 3. Receive the node's webhooks: verify the signature over the raw body, then use the event.
        WebhookVerifier verifier = new WebhookVerifier(secret);
        int maxEvents = Integer.parseInt(System.getenv().getOrDefault("EXAMPLE_MAX_EVENTS", "0"));
        CountDownLatch done = new CountDownLatch(maxEvents > 0 ? maxEvents : Integer.MAX_VALUE);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1",
                Integer.parseInt(System.getenv().getOrDefault("WEBHOOK_PORT", "9000"))), 0);
        server.createContext("/prism/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                WebhookEvent event = verifier.verify(exchange.getRequestHeaders().getFirst("Prism-Signature"),
                        exchange.getRequestHeaders().getFirst("Prism-Key-Id"), body);
                exchange.sendResponseHeaders(204, -1); // answer fast; de-duplicate on event.id() if it matters
                System.out.println("event " + event.seq() + " " + event.event() + " " + event.room()
                        + (event.participantIdentity() == null ? "" : " " + event.participantIdentity()));
                done.countDown();
            } catch (WebhookVerificationException e) {
                exchange.sendResponseHeaders(401, -1);
                System.out.println("refused a webhook: " + e.getMessage());
            }
            exchange.close();
        });
        server.start();
        System.out.println("webhooks on http://127.0.0.1:" + server.getAddress().getPort() + "/prism/events");
        done.await();
        server.stop(0);
    }
}
