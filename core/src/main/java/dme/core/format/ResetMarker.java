package dme.core.format;

/**
 * Written by {@code POST /reset} to {@code control/reset.json}: the job purges rows of deleted
 * songs from its tables when it sees a newer marker, and discards in-flight results whose song is gone.
 */
public record ResetMarker(long resetAt) {}
