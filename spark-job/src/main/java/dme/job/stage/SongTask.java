package dme.job.stage;

import dme.core.Mix;
import dme.core.Stem;
import dme.core.format.ProcessRequest;
import dme.core.format.RenderOptions;
import dme.core.format.SongMeta;
import java.io.Serializable;
import java.util.List;

/**
 * One request of one song, as every stage gets it: the request (stems and gains, output format, MP3
 * bit rate, two-stem mode, rendering) with its format resolved, and what the gateway stored about the
 * upload.
 */
public record SongTask(ProcessRequest request, SongMeta meta) implements Serializable {

    /** The request with {@code format} (the request's own or the configured default) filled in. */
    public static SongTask of(ProcessRequest r, SongMeta meta, String format) {
        return new SongTask(new ProcessRequest(r.musicId(), r.seq(), r.tracks(), format, r.requestedAt(), r.gains(),
                r.bitrate(), r.twoStems(), r.render()), meta);
    }

    public long musicId() {
        return request.musicId();
    }

    public long seq() {
        return request.seq();
    }

    public List<Integer> tracks() {
        return request.tracks();
    }

    public String format() {
        return request.format();
    }

    public String name() {
        return meta.name();
    }

    public String originalFile() {
        return meta.originalFile();
    }

    /**
     * The selected stems. Checks the whole request (track ids, gains, bit rate, two-stem mode) and
     * throws {@link IllegalArgumentException} naming what is wrong, so that song alone fails.
     */
    public List<Stem> selection() {
        request.validate();
        return request.stems();
    }

    /** The selection with its gains. */
    public Mix mix() {
        return request.mix();
    }

    RenderOptions renderOrPlain() {
        return request.renderOrPlain();
    }

    /** The stem of two-stem mode, or null for four stems. */
    Stem twoStem() {
        return ProcessRequest.twoStem(request.twoStems());
    }

    /** The request's MP3 bit rate, else the configured one. */
    int mp3Kbps(int configured) {
        return request.bitrate() != null ? request.bitrate() : configured;
    }
}
