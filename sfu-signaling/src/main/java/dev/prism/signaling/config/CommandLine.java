package dev.prism.signaling.config;

import dev.prism.core.config.PrismConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds the node's {@link PrismConfig} from the command line, an optional JSON config file and environment variables.
 *
 * <p>Precedence, lowest to highest: built-in defaults, environment variables, the {@code --config} file, command-line
 * options. An empty environment variable counts as unset; a JSON {@code null} counts as absent. The file is a JSON
 * object whose keys are the {@link PrismConfig} component names ({@code httpPort}, {@code bindAddress}, ...); it may
 * also set the settings that have no option ({@code tokenTtlSeconds}, {@code mediaThreads}, ...).
 *
 * <p>Addresses are never looked up while parsing: {@code --http-host} and {@code --bind} take IP literals only (they
 * are sockets this node binds, so a name would only add a start-up DNS dependency), {@code --advertise} takes an IP
 * literal or a host name, which {@link dev.prism.core.config.AdvertiseAddress#resolve(String)} resolves once at
 * start-up.
 *
 * <p>Options take their value as the next argument or after {@code =} ({@code --http-port=9000}); the last occurrence
 * wins. Stateless; called once from {@code main}.
 */
public final class CommandLine {
    private CommandLine() {
    }

    private enum Type { INT, LONG, TEXT, SECRET }

    /** Every setting, once: drives parsing of all three sources and the help text. */
    private enum Setting {
        HTTP_PORT("httpPort", "--http-port", "N", "PRISM_HTTP_PORT", Type.INT,
                "HTTP and WebSocket port", PrismConfig.DEFAULT_HTTP_PORT + "; 0 = any free port",
                (b, v) -> b.httpPort((Integer) v)),
        HTTP_HOST("httpHost", "--http-host", "ADDR", "PRISM_HTTP_HOST", Type.TEXT,
                "HTTP listen address (IP literal)", PrismConfig.DEFAULT_HTTP_HOST,
                (b, v) -> b.httpHost((String) v)),
        UDP_PORT("udpPort", "--udp-port", "N", "PRISM_UDP_PORT", Type.INT,
                "first media UDP port; media thread i uses udpPort + i", PrismConfig.DEFAULT_UDP_PORT + "; 0 = any free port",
                (b, v) -> b.udpPort((Integer) v)),
        BIND_ADDRESS("bindAddress", "--bind", "ADDR", "PRISM_BIND", Type.TEXT,
                "media UDP listen address (IP literal)", PrismConfig.DEFAULT_BIND_ADDRESS,
                (b, v) -> b.bindAddress((String) v)),
        ADVERTISE_ADDRESS("advertiseAddress", "--advertise", "ADDR", "PRISM_ADVERTISE", Type.TEXT,
                "address put in ICE candidates (IP or host name, resolved at start)",
                "auto-detected local IPv4 address",
                (b, v) -> b.advertiseAddress((String) v)),
        API_SECRET("apiSecret", "--api-secret", "S", "PRISM_API_SECRET", Type.SECRET,
                "token signing secret, at least " + PrismConfig.MIN_SECRET_LENGTH + " characters",
                "none: development mode, random per run, dev tokens served",
                (b, v) -> b.apiSecret((String) v)),
        ADMIN_SECRET("adminSecret", "--admin-secret", "S", "PRISM_ADMIN_SECRET", Type.SECRET,
                "admin API secret, at least " + PrismConfig.MIN_SECRET_LENGTH + " characters",
                "random per run in development mode, else admin API off",
                (b, v) -> b.adminSecret((String) v)),
        TOKEN_TTL("tokenTtlSeconds", null, "N", null, Type.LONG,
                "lifetime of the tokens this node issues (dev tokens)", PrismConfig.DEFAULT_TOKEN_TTL_SECONDS + " s",
                (b, v) -> b.tokenTtlSeconds((Long) v)),
        CONSENT_TIMEOUT("consentTimeoutSeconds", null, "N", null, Type.INT,
                "close a media transport after this long without ICE consent",
                PrismConfig.DEFAULT_CONSENT_TIMEOUT_SECONDS + " s",
                (b, v) -> b.consentTimeoutSeconds((Integer) v)),
        RESUME_WINDOW("resumeWindowSeconds", null, "N", null, Type.INT,
                "keep a disconnected participant this long for a reconnect",
                PrismConfig.DEFAULT_RESUME_WINDOW_SECONDS + " s",
                (b, v) -> b.resumeWindowSeconds((Integer) v)),
        MEDIA_THREADS("mediaThreads", "--media-threads", "N", "PRISM_MEDIA_THREADS", Type.INT,
                "media event loops, each with its own UDP port (udpPort + i); rooms are spread over them",
                "0 = one per core",
                (b, v) -> b.mediaThreads((Integer) v)),
        MAX_PARTICIPANTS("maxParticipantsPerRoom", null, "N", null, Type.INT,
                "joins beyond this are refused", String.valueOf(PrismConfig.DEFAULT_MAX_PARTICIPANTS_PER_ROOM),
                (b, v) -> b.maxParticipantsPerRoom((Integer) v));

        final String key;
        final String option;
        final String valueName;
        final String env;
        final Type type;
        final String description;
        final String defaultText;
        final BiConsumer<PrismConfig.Builder, Object> apply;

        Setting(String key, String option, String valueName, String env, Type type, String description,
                String defaultText, BiConsumer<PrismConfig.Builder, Object> apply) {
            this.key = key;
            this.option = option;
            this.valueName = valueName;
            this.env = env;
            this.type = type;
            this.description = description;
            this.defaultText = defaultText;
            this.apply = apply;
        }

        static Setting byOption(String option) {
            for (Setting s : values()) {
                if (option.equals(s.option)) {
                    return s;
                }
            }
            return null;
        }

        static Setting byKey(String key) {
            for (Setting s : values()) {
                if (s.key.equals(key)) {
                    return s;
                }
            }
            return null;
        }
    }

    private static final String CONFIG_OPTION = "--config";

    /** One {@code --option value} from the command line, applied after the environment and the file. */
    private record Given(Setting setting, String value) {
    }

    /**
     * Parses the settings.
     *
     * @param args the arguments of {@code main}
     * @param env  the environment, normally {@code System.getenv()}; may be null (= empty)
     * @throws UsageException naming the option, variable or file key at fault; or with
     *                        {@link UsageException#helpRequested()} when {@code --help}/{@code -h} is anywhere in
     *                        {@code args}
     */
    public static PrismConfig parse(String[] args, Map<String, String> env) throws UsageException {
        List<String> argList = args == null ? List.of() : List.of(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            throw UsageException.help(); // help wins over any other problem on the line
        }
        List<Given> given = new ArrayList<>();
        String configFile = null;
        for (int i = 0; i < argList.size(); i++) {
            String arg = argList.get(i);
            if (!arg.startsWith("-")) {
                throw new UsageException("unexpected argument '" + arg + "' (see --help)");
            }
            int eq = arg.indexOf('=');
            String name = eq >= 0 ? arg.substring(0, eq) : arg;
            Setting setting = Setting.byOption(name);
            if (setting == null && !name.equals(CONFIG_OPTION)) {
                throw new UsageException("unknown option '" + name + "' (see --help)");
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < argList.size() && !argList.get(i + 1).startsWith("--")) {
                value = argList.get(++i);
            } else {
                throw new UsageException(name + " needs a value");
            }
            if (setting == null) {
                if (value.isEmpty()) {
                    throw new UsageException(CONFIG_OPTION + " needs a value");
                }
                configFile = value;
            } else {
                given.add(new Given(setting, value));
            }
        }

        PrismConfig.Builder builder = PrismConfig.builder();
        Map<String, String> environment = env == null ? Map.of() : env;
        for (Setting s : Setting.values()) {
            String value = s.env == null ? null : environment.get(s.env);
            if (value != null && !value.isEmpty()) {
                applyText(builder, s, value, s.env);
            }
        }
        if (configFile != null) {
            applyFile(builder, configFile);
        }
        for (Given g : given) {
            applyText(builder, g.setting(), g.value(), g.setting().option);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // not expected: every value was checked as it was set
        }
    }

    /** The usage text, listing every option, environment variable and config file key with its default. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: prism [options]\n\n")
                .append("Prism WebRTC SFU. Each setting is taken from, in increasing precedence: its default,\n")
                .append("an environment variable, the --config file, a command-line option.\n\n")
                .append("Options:\n");
        for (Setting s : Setting.values()) {
            if (s.option != null) {
                sb.append(line("  " + s.option + " " + s.valueName, s.description))
                        .append(line("", "default: " + s.defaultText))
                        .append(line("", "env " + s.env + ", file key \"" + s.key + "\""));
            }
        }
        sb.append(line("  " + CONFIG_OPTION + " FILE", "JSON object with any of the file keys listed here"))
                .append(line("  -h, --help", "print this help and exit"))
                .append("\nConfig file only:\n");
        for (Setting s : Setting.values()) {
            if (s.option == null) {
                sb.append(line("  \"" + s.key + "\": " + s.valueName, s.description))
                        .append(line("", "default: " + s.defaultText));
            }
        }
        sb.append("\nExample file: {\"httpPort\": 8443, \"advertiseAddress\": \"203.0.113.10\", \"mediaThreads\": 2}\n");
        return sb.toString();
    }

    private static String line(String left, String right) {
        int width = 32;
        return left.length() < width ? left + " ".repeat(width - left.length()) + right + "\n"
                : left + "\n" + " ".repeat(width) + right + "\n";
    }

    // --- applying values; every failure names its source, never a secret's value ---

    private static void applyText(PrismConfig.Builder builder, Setting s, String text, String source)
            throws UsageException {
        Object value = switch (s.type) {
            case INT -> {
                Long n = parseWholeNumber(text);
                if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                    throw new UsageException(source + ": '" + text + "' is not a whole number");
                }
                yield n.intValue();
            }
            case LONG -> {
                Long n = parseWholeNumber(text);
                if (n == null) {
                    throw new UsageException(source + ": '" + text + "' is not a whole number");
                }
                yield n;
            }
            case TEXT, SECRET -> text;
        };
        apply(builder, s, value, source);
    }

    private static Long parseWholeNumber(String text) {
        if (!text.matches("[+-]?[0-9]{1,18}")) {
            return null; // 18 digits always fit a long; anything longer is out of every range anyway
        }
        return Long.parseLong(text);
    }

    private static void applyFile(PrismConfig.Builder builder, String file) throws UsageException {
        String where = "config file " + file;
        JsonObject json;
        try {
            Path path = Paths.get(file);
            json = new JsonObject(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UsageException(where + ": no such file");
        } catch (MalformedInputException e) {
            throw new UsageException(where + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException(where + ": cannot read it: " + (e.getMessage() == null ? e : e.getMessage()));
        } catch (RuntimeException e) { // DecodeException, InvalidPathException
            throw new UsageException(where + ": not a JSON object (" + oneLine(e.getMessage()) + ")");
        }
        if (json.getMap() == null) {
            throw new UsageException(where + ": not a JSON object");
        }
        for (Map.Entry<String, Object> entry : json) {
            Setting s = Setting.byKey(entry.getKey());
            if (s == null) {
                throw new UsageException(where + ": unknown key '" + entry.getKey() + "'");
            }
            if (entry.getValue() != null) {
                String source = where + ", key " + s.key;
                apply(builder, s, fromJson(s, entry.getValue(), source), source);
            }
        }
    }

    private static Object fromJson(Setting s, Object v, String source) throws UsageException {
        switch (s.type) {
            case INT, LONG -> {
                BigInteger n = wholeNumber(v);
                long min = s.type == Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = s.type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (n == null || n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                    throw new UsageException(source + ": must be a whole number, got " + describe(v));
                }
                return s.type == Type.INT ? (Object) n.intValue() : (Object) n.longValue();
            }
            default -> {
                if (!(v instanceof String)) {
                    throw new UsageException(source + ": must be a string"
                            + (s.type == Type.SECRET ? "" : ", got " + describe(v)));
                }
                return v;
            }
        }
    }

    /** JSON numbers without a fraction ({@code 8080}, also {@code 8080.0}); null for anything else. */
    private static BigInteger wholeNumber(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger big) {
            return big;
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            try {
                return new BigDecimal(v.toString()).toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(Object v) {
        if (v instanceof String str) {
            return "the string \"" + str + "\"";
        }
        if (v instanceof JsonObject) {
            return "an object";
        }
        if (v instanceof JsonArray) {
            return "an array";
        }
        return String.valueOf(v);
    }

    private static void apply(PrismConfig.Builder builder, Setting s, Object value, String source)
            throws UsageException {
        try {
            s.apply.accept(builder, value);
        } catch (IllegalArgumentException e) {
            // The builder names the setting by its key; the source already says which one it is.
            String message = e.getMessage();
            if (message.startsWith(s.key + " ")) {
                message = message.substring(s.key.length() + 1);
            }
            throw new UsageException(source + ": " + message);
        }
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // Jackson's location reads "at [Source: REDACTED (...); line: 1, column: 16]": keep the line and column.
        return s.replaceAll("\\s+", " ").replaceAll("\\[Source: [^;]*; (line: \\d+, column: \\d+)]", "$1").trim();
    }
}
