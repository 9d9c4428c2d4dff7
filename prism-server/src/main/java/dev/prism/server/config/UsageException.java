package dev.prism.server.config;

/**
 * The command line, environment or config file cannot be turned into a configuration, or the user asked for help.
 * The launcher prints {@link #getMessage()} and {@link CommandLine#help()} to stderr and exits with status 2, or, when
 * {@link #helpRequested()}, prints the help to stdout and exits with status 0. Messages never contain secret values.
 */
public final class UsageException extends Exception {
    private final boolean helpRequested;

    public UsageException(String message) {
        this(message, false);
    }

    private UsageException(String message, boolean helpRequested) {
        super(message, null, false, false);
        this.helpRequested = helpRequested;
    }

    /** {@code --help} or {@code -h} was given: not an error. */
    public static UsageException help() {
        return new UsageException("help requested", true);
    }

    public boolean helpRequested() {
        return helpRequested;
    }
}
