package dme.job.cli;

/** Reading option values off a command line, the same way in every CLI. */
public final class CliArgs {
    private CliArgs() {}

    /** {@code args[i]}, the value of {@code option}; a usage error when the line ends first. */
    public static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code v}, unless it is blank. */
    public static String nonEmpty(String option, String v) {
        if (v.isBlank()) {
            throw new UsageException(option + " needs a value");
        }
        return v;
    }
}
