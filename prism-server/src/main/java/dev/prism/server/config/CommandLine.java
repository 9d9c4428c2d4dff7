package dev.prism.server.config;

import dev.prism.core.config.PrismConfigBuilder;
import dev.prism.core.config.PrismConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds the node's {@link PrismConfig} from the command line, an optional JSON config file and environment variables.
 *
 * <p>Precedence, lowest to highest: built-in defaults, environment variables, the {@code --config} file, command-line
 * options. An empty environment variable counts as unset; a JSON {@code null} counts as absent. The file is a JSON
 * object whose keys are the {@link PrismConfig} component names ({@code httpPort}, {@code bindAddress}, ...); it may
 * also set the settings that have no option ({@code tokenTtlSeconds}, {@code mediaThreads}, ...). Every setting is
 * declared once, in {@link Setting}; picocli parses the command line and writes the help from those declarations.
 *
 * <p>Addresses are never looked up while parsing: {@code --http-host} and {@code --bind} take IP literals only (they
 * are sockets this node binds, so a name would only add a start-up DNS dependency), {@code --advertise} takes an IP
 * literal or a host name, which {@link dev.prism.core.config.AdvertiseAddress#resolve(String)} resolves once at
 * start-up.
 *
 * <p>Options take their value as the next argument or after {@code =} ({@code --http-port=9000}); the last occurrence
 * wins, except {@code --allowed-origin} and {@code --turn-url}, whose occurrences add up. Stateless; called once from {@code main}.
 */
public final class CommandLine {
    private static final String CONFIG_OPTION = "--config";
    private static final int HELP_WIDTH = 110;
    private static final int HELP_OPTION_COLUMN = 30;
    /** Where picocli starts an option's description: after its 6-character short-option column and the long one. */
    private static final int HELP_DESCRIPTION_COLUMN = 6 + HELP_OPTION_COLUMN + 1;

    private CommandLine() {
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
        List<String> argList = args == null ? List.of() : Arrays.asList(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            throw UsageException.help(); // help wins over any other problem on the line
        }
        if (argList.contains("--")) {
            // picocli's end-of-options marker; Prism takes no positional arguments, so it could only hide a mistake.
            throw new UsageException("unknown option '--' (see --help)");
        }
        ParseResult parsed;
        try {
            parsed = parser().parseArgs(argList.toArray(String[]::new));
        } catch (ParameterException e) {
            throw usageError(e);
        }
        String configFile = null;
        OptionSpec config = parsed.matchedOption(CONFIG_OPTION);
        if (config != null) {
            configFile = last(config.originalStringValues());
            if (configFile.isEmpty()) {
                throw new UsageException(CONFIG_OPTION + " needs a value");
            }
        }

        PrismConfigBuilder builder = PrismConfig.builder();
        Map<String, String> environment = env == null ? Map.of() : env;
        for (Setting s : Setting.values()) {
            String value = s.env == null ? null : environment.get(s.env);
            if (value != null && !value.isEmpty()) {
                s.apply(builder, fromEnvironment(s, value), s.env);
            }
        }
        if (configFile != null) {
            ConfigFile.apply(builder, configFile);
        }
        for (Setting s : Setting.values()) {
            OptionSpec option = s.option == null ? null : parsed.matchedOption(s.option);
            if (option != null) {
                applyOption(builder, s, option.originalStringValues());
            }
        }
        PrismConfig result;
        try {
            result = builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // settings that must go together (TURN URLs and secret)
        }
        String cluster = result.clusterModeProblem();
        if (cluster != null) {
            throw new UsageException(cluster);
        }
        if (result.tokenTtlSeconds() > result.maxTokenLifetimeSeconds()) {
            throw new UsageException("tokenTtlSeconds (" + result.tokenTtlSeconds() + ") must not exceed "
                    + "maxTokenLifetimeSeconds (" + result.maxTokenLifetimeSeconds()
                    + "): this node would refuse the tokens it issues");
        }
        return result;
    }

    /** The usage text, listing every option, environment variable and config file key with its default. */
    public static String help() {
        // Written with a space between option and value ("--http-port N"), which the parser accepts as well as "=".
        return new picocli.CommandLine(spec(" ")).getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
    }

    // --- picocli wiring ---

    private static picocli.CommandLine parser() {
        return new picocli.CommandLine(spec("="))
                .setOverwrittenOptionsAllowed(true) // the last occurrence wins
                .setExpandAtFiles(false) // "@x" is a value, not a file to read arguments from
                .setTrimQuotes(false)
                .setPosixClusteredShortOptionsAllowed(false);
    }

    private static CommandSpec spec(String separator) {
        CommandSpec spec = CommandSpec.create().name("prism");
        spec.parser().separator(separator);
        spec.usageMessage()
                .synopsisHeading("Usage: ")
                .customSynopsis("prism [options]", "")
                .description("Prism WebRTC SFU. Each setting is taken from, in increasing precedence: its default,",
                        "an environment variable, the --config file, a command-line option.", "")
                .optionListHeading("Options:%n")
                .sortOptions(false)
                .width(HELP_WIDTH)
                .longOptionsMaxWidth(HELP_OPTION_COLUMN)
                .footerHeading("%nConfig file only:%n")
                .footer(fileOnlyHelp());
        for (Setting s : Setting.values()) {
            if (s.option != null) {
                spec.addOption(OptionSpec.builder(s.option)
                        .paramLabel(s.valueName)
                        .type(s.type == Setting.Type.LIST ? List.class : String.class)
                        .auxiliaryTypes(String.class)
                        // --webhook-allow-private alone means on (a flag); every other option takes its value.
                        .arity(s == Setting.WEBHOOK_ALLOW_PRIVATE ? "0..1" : "1").fallbackValue("on")
                        .hideParamSyntax(true)
                        .description(s.description, "default: " + s.defaultText,
                                "env " + s.env + ", file key \"" + s.key + "\"")
                        .build());
            }
        }
        spec.addOption(OptionSpec.builder(CONFIG_OPTION).paramLabel("FILE").type(String.class).arity("1")
                .description("JSON object with any of the file keys listed here").build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("print this help and exit").build());
        return spec;
    }

    private static String[] fileOnlyHelp() {
        List<String> lines = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (s.option == null) {
                lines.add(column("  \"" + s.key + "\": " + s.valueName, s.description));
                lines.add(column("", "default: " + s.defaultText));
            }
        }
        lines.add("");
        lines.add("Example file: {\"httpPort\": 8443, \"advertiseAddress\": \"203.0.113.10\", \"mediaThreads\": 2,");
        lines.add("               \"allowedOrigins\": [\"https://app.example.com\"]}");
        return lines.toArray(String[]::new);
    }

    private static String column(String left, String right) {
        int width = HELP_DESCRIPTION_COLUMN;
        String line = left.length() < width ? left + " ".repeat(width - left.length()) + right
                : left + "%n" + " ".repeat(width) + right;
        return line.replace("%n", System.lineSeparator());
    }

    /** picocli's complaint in Prism's words: which option, and what to do. */
    private static UsageException usageError(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (arg.startsWith("-")) {
                int eq = arg.indexOf('=');
                return new UsageException("unknown option '" + (eq >= 0 ? arg.substring(0, eq) : arg)
                        + "' (see --help)");
            }
            return new UsageException("unexpected argument '" + arg + "' (see --help)");
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return new UsageException(option.longestName() + " needs a value");
        }
        return new UsageException(e.getMessage() + " (see --help)"); // no value is echoed: picocli names options only
    }

    // --- converting text values; every failure names its source, never a secret's value ---

    private static void applyOption(PrismConfigBuilder builder, Setting s, List<String> occurrences)
            throws UsageException {
        if (s.type == Setting.Type.LIST) {
            s.apply(builder, List.copyOf(occurrences), s.option);
            return;
        }
        for (String text : occurrences) { // each is checked; the last one stays
            s.apply(builder, fromText(s, text, s.option), s.option);
        }
    }

    private static Object fromEnvironment(Setting s, String text) throws UsageException {
        if (s.type == Setting.Type.LIST) {
            List<String> values = new ArrayList<>();
            for (String value : text.split(",", -1)) {
                values.add(value.strip());
            }
            return values;
        }
        return fromText(s, text, s.env);
    }

    private static Object fromText(Setting s, String text, String source) throws UsageException {
        return switch (s.type) {
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
            case DECIMAL -> {
                if (!text.matches("[+-]?[0-9]{1,9}(\\.[0-9]{1,9})?")) {
                    throw new UsageException(source + ": '" + text + "' is not a decimal number");
                }
                yield Double.parseDouble(text);
            }
            case TEXT, SECRET -> text;
            case LIST -> List.of(text);
        };
    }

    private static Long parseWholeNumber(String text) {
        if (!text.matches("[+-]?[0-9]{1,18}")) {
            return null; // 18 digits always fit a long; anything longer is out of every range anyway
        }
        return Long.parseLong(text);
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }
}
