package dme.gateway;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names an upload gets: the song's name and band (from the client's fields, the file's tags or
 * its file name, cleaned of invisible tricks) and the extensions of its scratch and stored files.
 */
final class UploadNames {
    private static final int MAX_TEXT_CHARS = 200;
    private static final Pattern FILE_EXT = Pattern.compile(".*\\.([A-Za-z0-9]{1,8})");
    /**
     * Invisible format characters: the bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
     * U+061C) that make a name display as something else, zero-width spaces, BOMs. Zero-width
     * (non-)joiners stay: scripts and emoji need them.
     */
    private static final Pattern FORMAT_CHARS = Pattern.compile("[\\p{Cf}&&[^\\u200C\\u200D]]");

    private UploadNames() {}

    /** The song's name: the client's, else the file's title tag, else the file name without folders and extension. */
    static String songName(String given, String titleTag, String fileName) {
        return firstText(given, titleTag, baseName(fileName), "Unknown");
    }

    /** The song's band: the client's, else the file's artist tag. */
    static String band(String given, String artistTag) {
        return firstText(given, artistTag, "Unknown");
    }

    /** First candidate with visible text, control and bidi characters removed, at most 200 characters. */
    static String firstText(String... candidates) {
        for (String c : candidates) {
            if (c == null) {
                continue;
            }
            String t = FORMAT_CHARS.matcher(c).replaceAll("")
                    .replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").trim();
            if (!t.isEmpty()) {
                return t.codePointCount(0, t.length()) > MAX_TEXT_CHARS
                        ? t.substring(0, t.offsetByCodePoints(0, MAX_TEXT_CHARS)) : t;
            }
        }
        return null;
    }

    /** The user's file name as an error message may show it (folders dropped, cleaned). */
    static String displayName(String fileName) {
        if (fileName == null) {
            return "the upload";
        }
        String t = firstText(lastSegment(fileName));
        return t == null ? "the upload" : t;
    }

    /** Extension of the user's file name when it is plain, so FFmpeg's fallback demuxer guess can use it. */
    static String extensionOf(String fileName) {
        if (fileName != null) {
            Matcher m = FILE_EXT.matcher(fileName);
            if (m.matches()) {
                return m.group(1).toLowerCase(Locale.ROOT);
            }
        }
        return "bin";
    }

    /** The stored original's extension comes from what FFmpeg found inside, not from the client. */
    static String containerExtension(String container) {
        String first = container == null ? "" : container.toLowerCase(Locale.ROOT).split(",")[0].trim();
        return switch (first) {
            case "mov", "mp4", "m4a" -> "m4a";
            case "matroska", "webm" -> "mka";
            case "ogg" -> "ogg";
            case "wav", "mp3", "flac", "aiff", "aac", "w64", "caf", "au", "opus", "wv", "ape", "amr" -> first;
            default -> first.matches("[a-z0-9]{1,8}") ? first : "audio";
        };
    }

    private static String baseName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String n = lastSegment(fileName);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Browsers on Windows send {@code C:\music\song.wav}: both separators count. */
    private static String lastSegment(String fileName) {
        String n = fileName.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }
}
