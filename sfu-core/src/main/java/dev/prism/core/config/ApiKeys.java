package dev.prism.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Extra API keys, for rotating the API secret without downtime: each entry is {@code id=secret}. A backend names the
 * key it signed with in the token's {@code kid} header; a token without {@code kid} is verified with the API secret
 * (the default key, also reachable as {@code kid} {@value #DEFAULT_KEY_ID}). Ids are 1-64 of {@code A-Z a-z 0-9 . _ -},
 * unique; secrets at least {@value PrismConfig#MIN_SECRET_LENGTH} characters.
 */
public final class ApiKeys {
    /** The key id that names {@code apiSecret}: tokens without {@code kid} use it too. */
    public static final String DEFAULT_KEY_ID = "default";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    private ApiKeys() {
    }

    /**
     * @return an unmodifiable copy, {@code List.of()} for null
     * @throws IllegalArgumentException naming the first bad entry (never its secret)
     */
    public static List<String> check(List<String> entries) {
        if (entries == null) {
            return List.of();
        }
        parse(entries);
        return List.copyOf(entries);
    }

    /** Key id -> secret, in configuration order. */
    public static Map<String, String> parse(List<String> entries) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("apiKey must be id=secret, got an entry without '=' or id");
            }
            String id = e.substring(0, eq);
            String secret = e.substring(eq + 1);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("apiKey id must be 1-64 of A-Z a-z 0-9 . _ -: '" + id + "'");
            }
            if (id.equals(DEFAULT_KEY_ID)) {
                throw new IllegalArgumentException("apiKey id '" + DEFAULT_KEY_ID + "' is the API secret's own");
            }
            if (secret.length() < PrismConfig.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("apiKey '" + id + "': secret must be at least "
                        + PrismConfig.MIN_SECRET_LENGTH + " characters");
            }
            if (keys.put(id, secret) != null) {
                throw new IllegalArgumentException("apiKey id '" + id + "' given twice");
            }
        }
        return keys;
    }

    /** The ids only, for logs. */
    static List<String> ids(List<String> entries) {
        return new ArrayList<>(parse(entries).keySet());
    }
}
