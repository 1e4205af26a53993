package dme.job.cli;

/** A command-line mistake; the message is one line that says what to use. The CLIs exit with 2. */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
