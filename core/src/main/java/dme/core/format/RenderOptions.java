package dme.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How a mix is rendered for a musician: tempo factor (0.5-1.5, pitch kept), transposition in
 * semitones (-12..12, tempo kept), a click on the song's beats, and an EBU R128 loudness target in
 * LUFS (null: the mix's own level). The defaults render the plain mix.
 */
public record RenderOptions(double tempo, int transpose, boolean click, Double loudnessLufs) implements java.io.Serializable {
    public static final double MIN_TEMPO = 0.5;
    public static final double MAX_TEMPO = 1.5;
    public static final int MAX_TRANSPOSE = 12;
    public static final double MIN_LUFS = -36;
    public static final double MAX_LUFS = -6;
    public static final RenderOptions PLAIN = new RenderOptions(1.0, 0, false, null);

    public RenderOptions {
        if (!(tempo >= MIN_TEMPO && tempo <= MAX_TEMPO)) {
            throw new IllegalArgumentException("tempo must be between 0.5 and 1.5 (1 = original speed): " + tempo);
        }
        if (Math.abs(transpose) > MAX_TRANSPOSE) {
            throw new IllegalArgumentException("transpose must be between -12 and 12 semitones: " + transpose);
        }
        if (loudnessLufs != null && !(loudnessLufs >= MIN_LUFS && loudnessLufs <= MAX_LUFS)) {
            throw new IllegalArgumentException("loudness_lufs must be between -36 and -6: " + loudnessLufs);
        }
        // Two decimals of tempo and a tenth of a LU are all a listener can tell; the file name shows them.
        tempo = Math.round(tempo * 100) / 100.0;
        loudnessLufs = loudnessLufs == null ? null : Math.round(loudnessLufs * 10) / 10.0;
    }

    /** True when nothing but the plain sum of the stems is asked for. */
    public boolean isPlain() {
        return tempo == 1.0 && transpose == 0 && !click && loudnessLufs == null;
    }

    /**
     * The options as a file-name part ({@code "tempo80_transpose-2_click_lufs-14.0"}), empty for the
     * plain mix, so that every rendering has its own mix file.
     */
    public String fileTag() {
        StringBuilder s = new StringBuilder();
        if (tempo != 1.0) {
            s.append("tempo").append(Math.round(tempo * 100));
        }
        if (transpose != 0) {
            s.append(s.isEmpty() ? "" : "_").append("transpose").append(transpose);
        }
        if (click) {
            s.append(s.isEmpty() ? "" : "_").append("click");
        }
        if (loudnessLufs != null) {
            s.append(s.isEmpty() ? "" : "_").append(String.format(Locale.ROOT, "lufs%.1f", loudnessLufs));
        }
        return s.toString();
    }

    /**
     * Reads the render fields of a process body's object form ({@code tempo}, {@code transpose},
     * {@code click}, {@code loudness_lufs}); absent fields keep their defaults, other fields are
     * ignored (they are the selection's).
     *
     * @throws IllegalArgumentException with a message for the client when a field has the wrong type
     *     or is out of range
     */
    public static RenderOptions fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            return PLAIN;
        }
        double tempo = 1.0;
        int transpose = 0;
        boolean click = false;
        Double lufs = null;
        JsonNode t = body.get("tempo");
        if (t != null && !t.isNull()) {
            if (!t.isNumber()) {
                throw new IllegalArgumentException("tempo must be a number between 0.5 and 1.5");
            }
            tempo = t.asDouble();
        }
        JsonNode p = body.get("transpose");
        if (p != null && !p.isNull()) {
            if (!p.isIntegralNumber() && !(p.isNumber() && p.asDouble() == Math.rint(p.asDouble()))) {
                throw new IllegalArgumentException("transpose must be a whole number of semitones between -12 and 12");
            }
            if (Math.abs(p.asDouble()) > MAX_TRANSPOSE) {
                throw new IllegalArgumentException("transpose must be between -12 and 12 semitones: " + p.asText());
            }
            transpose = p.asInt();
        }
        JsonNode c = body.get("click");
        if (c != null && !c.isNull()) {
            if (!c.isBoolean()) {
                throw new IllegalArgumentException("click must be true or false");
            }
            click = c.asBoolean();
        }
        JsonNode l = body.get("loudness_lufs");
        if (l != null && !l.isNull()) {
            if (!l.isNumber()) {
                throw new IllegalArgumentException("loudness_lufs must be a number between -36 and -6");
            }
            lufs = l.asDouble();
        }
        return new RenderOptions(tempo, transpose, click, lufs);
    }
}
