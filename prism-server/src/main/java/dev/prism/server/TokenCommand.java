package dev.prism.server;

import dev.prism.core.config.ApiKeys;
import dev.prism.core.config.PrismConfig;
import dev.prism.signaling.auth.AccessToken;
import dev.prism.signaling.auth.TokenService;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ./prism token ...}: prints a signed token for scripts, on one line. A participant's access token
 * ({@code --room R --identity I}) or a server API token ({@code --room-admin}, docs/API.md). The secret comes from
 * {@code --secret}, else {@code PRISM_API_SECRET}; with {@code --kid ID} the token names that key in its header and is
 * signed with {@code --secret} or with the {@code ID=SECRET} entry of {@code PRISM_API_KEYS}. Secrets are never
 * printed.
 */
final class TokenCommand {
    static final String USAGE = String.join("\n",
            "Usage: ./prism token [--room-admin | --room ROOM --identity ID [--name NAME]] [--ttl SECONDS]",
            "                     [--no-publish] [--no-subscribe] [--no-data] [--kid KEY_ID] [--secret SECRET]",
            "Prints a signed token. --room-admin: a server API token (roomAdmin: true, for /api/v1).",
            "The secret: --secret, else PRISM_API_SECRET; with --kid, --secret or KEY_ID's entry in PRISM_API_KEYS.",
            "--ttl defaults to 3600 s.");

    private TokenCommand() {
    }

    /** @return the exit status: 0 printed, 2 a usage error (explained on {@code err}) */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            out.println(token(Arrays.asList(args), env));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("prism token: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    static String token(List<String> args, Map<String, String> env) {
        String room = null;
        String identity = null;
        String name = null;
        String kid = null;
        String secret = null;
        long ttl = 3600;
        boolean admin = false;
        boolean publish = true;
        boolean subscribe = true;
        boolean data = true;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String a = rest.remove(0);
            switch (a) {
                case "--room-admin" -> admin = true;
                case "--no-publish" -> publish = false;
                case "--no-subscribe" -> subscribe = false;
                case "--no-data" -> data = false;
                case "--room" -> room = value(a, rest);
                case "--identity" -> identity = value(a, rest);
                case "--name" -> name = value(a, rest);
                case "--kid" -> kid = value(a, rest);
                case "--secret" -> secret = value(a, rest);
                case "--ttl" -> {
                    String v = value(a, rest);
                    if (!v.matches("[0-9]{1,9}") || Long.parseLong(v) == 0) {
                        throw new IllegalArgumentException("--ttl must be a positive number of seconds");
                    }
                    ttl = Long.parseLong(v);
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (secret == null && kid != null && env.get("PRISM_API_KEYS") != null) {
            List<String> entries = Arrays.stream(env.get("PRISM_API_KEYS").split(",")).map(String::strip).toList();
            secret = ApiKeys.parse(entries).get(kid);
        }
        if (secret == null) {
            secret = env.get("PRISM_API_SECRET");
        }
        if (secret == null || secret.length() < PrismConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("a secret of at least " + PrismConfig.MIN_SECRET_LENGTH
                    + " characters is needed: --secret, PRISM_API_SECRET or (with --kid) PRISM_API_KEYS");
        }
        TokenService signer = kid == null ? new TokenService(secret, TokenService.SYSTEM_EPOCH_SECONDS, ttl)
                : TokenService.withKeyIds(Map.of(kid, secret), kid, TokenService.SYSTEM_EPOCH_SECONDS, ttl);
        long now = signer.nowEpochSeconds();
        if (admin) {
            if (room != null || identity != null) {
                throw new IllegalArgumentException("--room-admin tokens name no room or identity");
            }
            return signer.issueRoomAdmin("prism-token", now, now + ttl);
        }
        if (room == null || identity == null) {
            throw new IllegalArgumentException("--room and --identity are required (or --room-admin)");
        }
        return signer.issue(new AccessToken(room, identity, name, publish, subscribe, now, now + ttl, null, data));
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }
}
