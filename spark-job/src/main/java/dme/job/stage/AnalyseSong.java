package dme.job.stage;

import dme.core.Storage;
import dme.core.audio.PcmFormat;
import dme.job.analysis.AnalysisOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * Tempo, beats and key of a separated song (on an executor), from the decoded mixture still in
 * storage scratch, once the song is published: the analysis is off the song's critical path, and a
 * failure only leaves it without tempo and key. It reads the first {@value #MAX_SECONDS} s (the beat
 * grid is carried on to the end at the detected tempo): the task holds a slot for seconds, not for
 * minutes of a long song while other songs wait (analysis runs at ~140x real time per core).
 */
public final class AnalyseSong implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK = 65_536;
    static final int MAX_SECONDS = 180;

    private final JobContext ctx;

    public AnalyseSong(JobContext ctx) {
        this.ctx = ctx;
    }

    /** Analyses and publishes; false when nothing was published (the song was deleted meanwhile). */
    public boolean analyse(SongTask song) throws IOException {
        Storage storage = ctx.storage();
        AnalysisOutput analysis = new AnalysisOutput(song.musicId(), PcmFormat.SAMPLE_RATE);
        org.apache.hadoop.fs.Path decoded = storage.layout().decodedPcm(song.musicId(), song.seq());
        double songSeconds = PcmFormat.seconds(DecodedMixture.frames(storage.fs().getFileStatus(decoded).getLen()));
        float[][] pcm = new float[2][BLOCK];
        long limit = (long) MAX_SECONDS * PcmFormat.SAMPLE_RATE;
        long read = 0;
        try (DecodedMixture.Reader in = new DecodedMixture.Reader(storage, song, BLOCK)) {
            for (int frames; read < limit && (frames = in.read(pcm)) > 0; ) {
                int used = (int) Math.min(frames, limit - read);
                analysis.accept(pcm, 0, used); // two rows: the mixture is the sum of the stems
                read += used;
            }
        }
        if (!storage.songExists(song.musicId())) {
            return false; // deleted meanwhile: nothing of it may reappear
        }
        return analysis.publish(storage, songSeconds) != null;
    }
}
