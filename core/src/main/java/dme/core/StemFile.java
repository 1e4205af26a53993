package dme.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a file under a song's {@code stems/}, the one home of its rule: {@code <stem>.<ext>},
 * or in two-stem mode {@code no_<stem>.<ext>} (the song without that stem), e.g. {@code vocals.flac},
 * {@code no_vocals.mp3}. Names read back from requests or storage are parsed strictly.
 *
 * @param without two-stem mode's "everything but {@code stem}"
 */
public record StemFile(Stem stem, boolean without, String ext) {
    private static final Pattern NAME = Pattern.compile("(no_)?([a-z]{1,16})\\.(wav|flac|mp3)");

    /** The stem's name in the API: {@code vocals}, or {@code no_vocals} in two-stem mode. */
    public String id() {
        return (without ? "no_" : "") + stem.id();
    }

    public String fileName() {
        return id() + "." + ext;
    }

    /** Parses a stem file name; empty unless it is one this rule makes. */
    public static Optional<StemFile> parse(String fileName) {
        Matcher m = fileName == null ? null : NAME.matcher(fileName);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Stem.byId(m.group(2)).map(stem -> new StemFile(stem, m.group(1) != null, m.group(3)));
    }
}
