package dme.core.format;

import dme.core.Mix;
import dme.core.Stem;
import java.util.List;
import java.util.Map;

/**
 * A request to separate a song (if its stems do not exist yet) and mix the selected tracks.
 * The gateway writes one per {@code POST /music/{id}} under {@code requests/}; the stream reads them.
 *
 * @param seq increasing per song, so a new selection never overwrites an older request file
 * @param tracks selected track ids (see {@link Stem#trackId()})
 * @param format output format name (wav, wav24, wav-float, flac, mp3); null for the configured one
 * @param requestedAt epoch milliseconds
 * @param gains gain per selected track id (as text, the JSON key), 0 to {@value Mix#MAX_GAIN}; absent = 1
 * @param bitrate MP3 bit rate in kbps (32 to 320); null for the configured one
 * @param twoStems a stem id (e.g. {@code vocals}) for two-stem outputs: that stem and the rest of
 *     the song without it ({@code no_vocals}, the karaoke track); null for the four stems
 * @param render how the mix is rendered for practice (tempo, transposition, click, loudness); null
 *     for the plain mix
 */
public record ProcessRequest(long musicId, long seq, List<Integer> tracks, String format, long requestedAt,
        Map<String, Double> gains, Integer bitrate, String twoStems, RenderOptions render) implements java.io.Serializable {

    public ProcessRequest {
        tracks = List.copyOf(tracks);
        gains = gains == null ? Map.of() : Map.copyOf(gains);
    }

    /** A request at unity gains, default bit rate, four stems. */
    public ProcessRequest(long musicId, long seq, List<Integer> tracks, String format, long requestedAt) {
        this(musicId, seq, tracks, format, requestedAt, Map.of(), null, null, null);
    }

    /** A request with output options and the plain mix. */
    public ProcessRequest(long musicId, long seq, List<Integer> tracks, String format, long requestedAt,
            Map<String, Double> gains, Integer bitrate, String twoStems) {
        this(musicId, seq, tracks, format, requestedAt, gains, bitrate, twoStems, null);
    }

    /** The render options, {@link RenderOptions#PLAIN} when none were asked for. */
    public RenderOptions renderOrPlain() {
        return render == null ? RenderOptions.PLAIN : render;
    }

    /** The selected stems; unknown track ids are a caller error. */
    public List<Stem> stems() {
        return mix().stems();
    }

    /** The selection with its gains; throws {@link IllegalArgumentException} on a bad track id or gain. */
    public Mix mix() {
        return Mix.of(tracks, gains);
    }

    /** Checks every field but the format (which the caller resolves against its default). */
    public void validate() {
        mix();
        checkBitrate(bitrate);
        twoStem(twoStems);
    }

    public static void checkBitrate(Integer kbps) {
        if (kbps != null && (kbps < 32 || kbps > 320)) {
            throw new IllegalArgumentException("the MP3 bit rate must be 32 to 320 kbps, not " + kbps);
        }
    }

    /** The stem of two-stem mode, or null for four stems. */
    public static Stem twoStem(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        return Stem.byId(id).orElseThrow(() -> new IllegalArgumentException(
                "two_stems must be one of drums, bass, other, vocals, not '" + (id.length() > 20 ? id.substring(0, 20) : id) + "'"));
    }
}
