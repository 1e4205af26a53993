package dme.core;

import java.util.HashSet;
import java.util.Set;

/**
 * Error texts for people: one line each. Library exceptions (FFmpeg, libtorch, Spark) carry
 * multi-line messages and stack dumps that belong in the log, not in a song's status or a CLI error.
 */
public final class Messages {
    private Messages() {}

    /** The first line of {@code s}, stripped; "no detail" when there is none. */
    public static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /**
     * What went wrong, in one line: the first message along the causes (wrappers without their own
     * words are skipped), else the exception's class name.
     */
    public static String firstLine(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new HashSet<>();
        while (blank(t.getMessage()) && t.getCause() != null && seen.add(t)) {
            t = t.getCause();
        }
        return blank(t.getMessage()) ? t.getClass().getSimpleName() : firstLine(t.getMessage());
    }

    /**
     * The root cause's words, in one line: for failures that Spark wraps in its own exceptions (a
     * task's error comes back as "Job aborted due to stage failure: ..." around the stage's own).
     */
    public static String rootCause(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new HashSet<>();
        while (t.getCause() != null && seen.add(t)) {
            t = t.getCause();
        }
        return firstLine(t);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
