package dme.gateway;

/** Client text as it may appear in an answer or a log line: bounded. */
final class MessageText {
    private MessageText() {}

    /** At most 40 characters of request text, so a hostile path or field cannot flood an answer. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
