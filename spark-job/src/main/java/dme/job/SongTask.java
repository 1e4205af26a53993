package dme.job;

import dme.core.Stem;
import dme.core.format.ProcessRequest;
import dme.core.format.SongMeta;
import java.io.Serializable;
import java.util.List;

/**
 * One song to process in a batch: the request (which stems to mix, output format) joined with what
 * the gateway stored about the upload.
 */
record SongTask(
        long musicId,
        long seq,
        List<Integer> tracks,
        String format,
        String name,
        String band,
        String originalFile,
        long submittedAt) implements Serializable {

    SongTask {
        tracks = List.copyOf(tracks);
    }

    static SongTask of(ProcessRequest request, SongMeta meta, String format) {
        return new SongTask(request.musicId(), request.seq(), request.tracks(), format,
                meta.name(), meta.band(), meta.originalFile(), meta.submittedAt());
    }

    List<Stem> selection() {
        return new ProcessRequest(musicId, seq, tracks, format, 0).stems();
    }
}
