package dev.prism.server.config;

import dev.prism.core.config.PrismConfigBuilder;
import dev.prism.core.config.PrismConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --config} file: a JSON object whose keys are {@link Setting#key}s. A JSON {@code null} counts as absent;
 * an unknown key is an error (a typo must not silently leave a default in place). Every failure names the file and
 * key, never a secret's value. Stateless.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Reads {@code file} and applies each key to {@code builder}. */
    static void apply(PrismConfigBuilder builder, String file) throws UsageException {
        String where = "config file " + file;
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(Paths.get(file)));
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
                s.apply(builder, fromJson(s, entry.getValue(), source), source);
            }
        }
    }

    private static Object fromJson(Setting s, Object v, String source) throws UsageException {
        switch (s.type) {
            case INT, LONG -> {
                BigInteger n = wholeNumber(v);
                long min = s.type == Setting.Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = s.type == Setting.Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (n == null || n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                    throw new UsageException(source + ": must be a whole number, got " + describe(v));
                }
                return s.type == Setting.Type.INT ? (Object) n.intValue() : (Object) n.longValue();
            }
            case DECIMAL -> {
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new UsageException(source + ": must be a number, got " + describe(v));
                }
                return n.doubleValue();
            }
            case LIST -> {
                if (!(v instanceof JsonArray array)) {
                    throw new UsageException(source + ": must be an array of strings, got " + describe(v));
                }
                List<String> values = new ArrayList<>(array.size());
                for (Object element : array) {
                    if (!(element instanceof String str)) {
                        throw new UsageException(source + ": must be an array of strings, got an element "
                                + describe(element));
                    }
                    values.add(str);
                }
                return values;
            }
            default -> {
                if (!(v instanceof String)) {
                    throw new UsageException(source + ": must be a string"
                            + (s.type == Setting.Type.SECRET ? "" : ", got " + describe(v)));
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

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // Jackson's location reads "at [Source: REDACTED (...); line: 1, column: 16]": keep the line and column.
        return s.replaceAll("\\s+", " ").replaceAll("\\[Source: [^;]*; (line: \\d+, column: \\d+)]", "$1").trim();
    }
}
