package dme.gateway;

import java.util.Optional;

/**
 * A single HTTP byte range resolved against a file length (RFC 9110 section 14).
 *
 * @param start first byte, inclusive
 * @param end last byte, inclusive
 */
record ByteRange(long start, long end) {

    long length() {
        return end - start + 1;
    }

    /** Thrown for a range that is malformed or lies outside the file: answered with 416. */
    static final class Unsatisfiable extends Exception {
        private static final long serialVersionUID = 1L;

        Unsatisfiable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses a Range header. Empty when there is no header, the unit is not bytes, or several
     * ranges are asked for (then the whole file is sent, which the RFC allows).
     */
    static Optional<ByteRange> parse(String header, long fileLength) throws Unsatisfiable {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.length() > 40) {
            throw new Unsatisfiable("malformed range '" + spec + "'");
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                // suffix range: the last N bytes
                long n = digits(last);
                if (n == 0 || fileLength == 0) {
                    throw new Unsatisfiable("empty suffix range");
                }
                return Optional.of(new ByteRange(Math.max(0, fileLength - n), fileLength - 1));
            }
            long start = digits(first);
            long end = last.isEmpty() ? fileLength - 1 : Math.min(digits(last), fileLength - 1);
            if (start >= fileLength || (!last.isEmpty() && digits(last) < start)) {
                throw new Unsatisfiable("range " + spec + " is outside the file of " + fileLength + " bytes");
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            throw new Unsatisfiable("malformed range '" + spec + "'");
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }
}
