package dme.job;

import dme.core.Mix;
import dme.core.Stem;
import dme.core.format.ProcessRequest;
import dme.core.format.RenderOptions;
import dme.core.format.SongMeta;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One song to process in a batch: the request (which stems to mix with which gains, output format,
 * MP3 bit rate, two-stem mode) joined with what the gateway stored about the upload.
 */
record SongTask(
        long musicId,
        long seq,
        List<Integer> tracks,
        String format,
        String name,
        String band,
        String originalFile,
        long submittedAt,
        Map<String, Double> gains,
        Integer bitrate,
        String twoStems,
        RenderOptions render) implements Serializable {

    SongTask {
        tracks = List.copyOf(tracks);
        gains = gains == null ? Map.of() : Map.copyOf(gains);
    }

    static SongTask of(ProcessRequest request, SongMeta meta, String format) {
        return new SongTask(request.musicId(), request.seq(), request.tracks(), format,
                meta.name(), meta.band(), meta.originalFile(), meta.submittedAt(),
                request.gains(), request.bitrate(), request.twoStems(), request.render());
    }

    private ProcessRequest request() {
        return new ProcessRequest(musicId, seq, tracks, format, 0, gains, bitrate, twoStems, render);
    }

    /**
     * The selected stems. Checks the whole request (track ids, gains, bit rate, two-stem mode) and
     * throws {@link IllegalArgumentException} naming what is wrong, so the batch fails that song alone.
     */
    List<Stem> selection() {
        ProcessRequest r = request();
        r.validate();
        return r.stems();
    }

    /** The selection with its gains. */
    Mix mix() {
        return request().mix();
    }

    /** How the mix is rendered for practice; plain when nothing was asked for. */
    RenderOptions renderOrPlain() {
        return render == null ? RenderOptions.PLAIN : render;
    }

    /** The stem of two-stem mode, or null for four stems. */
    Stem twoStem() {
        return ProcessRequest.twoStem(twoStems);
    }

    /** The request's MP3 bit rate, else the configured one. */
    int mp3Kbps(int configured) {
        return bitrate != null ? bitrate : configured;
    }
}
