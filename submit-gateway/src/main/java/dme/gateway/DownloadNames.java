package dme.gateway;

import dme.core.Mix;
import dme.core.Stem;
import dme.core.format.SongMeta;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of downloaded files, "Título – Banda – vocals.flac": the song's name and band as its tags
 * give them (any letters), and the part. Headers carry them as RFC 6266 / RFC 8187 {@code filename*}
 * (UTF-8, percent-encoded) with an ASCII {@code filename} fallback for old clients.
 */
final class DownloadNames {
    private static final String DASH = " \u2013 ";
    private static final int MAX_TEXT = 80;

    private DownloadNames() {}

    /** e.g. {@code "Título – Banda – vocals.flac"}; the song id stands in for a missing name. */
    static String of(SongMeta meta, String part, String ext) {
        String name = clean(meta.name());
        String band = clean(meta.band());
        StringBuilder b = new StringBuilder(name.isEmpty() ? "music " + meta.musicId() : name);
        if (!band.isEmpty()) {
            b.append(DASH).append(band);
        }
        return b.append(DASH).append(part).append('.').append(ext).toString();
    }

    static String stemPart(Stem stem, boolean without) {
        return without ? "no " + stem.id() : stem.id();
    }

    /** e.g. {@code "mix drums+vocals 25%"}: the stems, and each gain that is not 100 %. */
    static String mixPart(dme.core.MixFile file) {
        Mix mix = file.mix();
        List<String> parts = new ArrayList<>();
        for (Stem s : mix.stems()) {
            Double g = mix.gains().get(s);
            parts.add(g == null ? s.id() : s.id() + " " + percent(g) + "%");
        }
        return "mix " + String.join("+", parts) + (file.renderTag().isEmpty() ? "" : " " + file.renderTag());
    }

    private static String percent(double gain) {
        return java.math.BigDecimal.valueOf(gain * 100).stripTrailingZeros().toPlainString();
    }

    /** The header value: inline or attachment, with both name forms. */
    static String contentDisposition(boolean attachment, String name) {
        return (attachment ? "attachment" : "inline") + "; filename=\"" + ascii(name) + "\"; filename*=UTF-8''" + encode(name);
    }

    /** Letters of any script stay; control characters, path separators and quotes do not. */
    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        String t = text.replaceAll("[\\p{Cntrl}\\p{Cf}/\\\\:*?\"<>|]+", " ").replaceAll("\\s+", " ").strip();
        if (t.codePointCount(0, t.length()) > MAX_TEXT) {
            t = t.substring(0, t.offsetByCodePoints(0, MAX_TEXT)).strip();
        }
        return t.replaceAll("^\\.+", "");
    }

    /** The fallback: accents dropped (í → i), dashes as '-', anything else outside printable ASCII as '_'. */
    static String ascii(String name) {
        String n = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .replace('\u2013', '-').replace('\u2014', '-');
        StringBuilder b = new StringBuilder();
        for (char c : n.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return b.toString();
    }

    /** RFC 8187 value chars: attr-char stays, every other UTF-8 byte is %XX. */
    static String encode(String name) {
        StringBuilder b = new StringBuilder();
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
