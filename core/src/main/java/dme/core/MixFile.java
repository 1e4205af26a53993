package dme.core;

import dme.core.format.RenderOptions;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a mix file, the one home of its rule: {@code mix-<selection>[_<render>].<ext>}, e.g.
 * {@code mix-1-4x0.25.wav} (drums and vocals at 25 %) or {@code mix-2-3_tempo80_transpose-2.mp3}
 * (bass and other, slower and lower). Every rendering has its own file; names read back from
 * requests or storage are parsed strictly.
 *
 * @param renderTag {@link RenderOptions#fileTag()}, empty for the plain mix
 */
public record MixFile(Mix mix, String renderTag, String ext) {
    private static final Pattern NAME = Pattern.compile("mix-([0-9x.\\-]{1,64})(?:_([a-z0-9.\\-_]{1,64}))?\\.(wav|flac|mp3)");

    public MixFile {
        renderTag = renderTag == null ? "" : renderTag;
    }

    public static MixFile of(Mix mix, RenderOptions render, String ext) {
        return new MixFile(mix, render == null ? "" : render.fileTag(), ext);
    }

    /** {@code mix-...}; the part after {@code mix-} is how the file is named in download URLs. */
    public String fileName() {
        return "mix-" + urlName();
    }

    /** The name in {@code /files/<id>/mixes/<name>}: the file name without {@code mix-}. */
    public String urlName() {
        return mix.key() + (renderTag.isEmpty() ? "" : "_" + renderTag) + "." + ext;
    }

    /** Parses a mix file name; empty unless it is one this rule makes. */
    public static Optional<MixFile> parse(String fileName) {
        Matcher m = fileName == null ? null : NAME.matcher(fileName);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Mix.parseKey(m.group(1)).map(mix -> new MixFile(mix, m.group(2), m.group(3)));
    }
}
