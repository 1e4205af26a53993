package dme.gateway;

/** Client or library text as it may appear in an answer or a log line: bounded, one line. */
final class MessageText {
    private MessageText() {}

    /** At most 40 characters of request text, so a hostile path or field cannot flood an answer. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The first line of an exception's message: what follows (FFmpeg's or Jetty's details) stays out of answers. */
    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
