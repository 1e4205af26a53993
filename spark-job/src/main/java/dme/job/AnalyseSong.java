package dme.job;

import dme.core.Storage;
import dme.job.analysis.AnalysisOutput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.api.java.function.Function;

/**
 * Tempo, beats and key of a separated song (on an executor), from the decoded mixture still in
 * storage scratch, once the song is published: the analysis is off the song's critical path, and a
 * failure only leaves it without tempo and key. It reads the first {@value #MAX_SECONDS} s (the beat
 * grid is carried on to the end at the detected tempo): the task holds a slot for seconds, not for
 * minutes of a long song while other songs wait (analysis runs at ~18x real time per core).
 */
final class AnalyseSong implements Function<SongTask, Boolean> {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK = 65_536;
    static final int MAX_SECONDS = 180;

    private final JobContext ctx;

    AnalyseSong(JobContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Boolean call(SongTask song) throws IOException {
        Storage storage = ctx.storage();
        AnalysisOutput analysis = new AnalysisOutput(song.musicId(), ChunkSource.SAMPLE_RATE);
        byte[] raw = new byte[BLOCK * ChunkSource.FRAME_BYTES];
        float[][] pcm = new float[2][BLOCK];
        long limit = (long) MAX_SECONDS * ChunkSource.SAMPLE_RATE;
        long read = 0;
        double songSeconds = 0;
        try (DataInputStream in = new DataInputStream(
                storage.fs().open(storage.layout().decodedPcm(song.musicId(), song.seq())))) {
            songSeconds = storage.fs().getFileStatus(storage.layout().decodedPcm(song.musicId(), song.seq())).getLen()
                    / (double) ChunkSource.FRAME_BYTES / ChunkSource.SAMPLE_RATE;
            while (read < limit) {
                int got = readBlock(in, raw);
                if (got == 0) {
                    break;
                }
                int frames = got / ChunkSource.FRAME_BYTES;
                ByteBuffer b = ByteBuffer.wrap(raw, 0, frames * ChunkSource.FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < frames; i++) {
                    pcm[0][i] = b.getFloat();
                    pcm[1][i] = b.getFloat();
                }
                int used = (int) Math.min(frames, limit - read);
                analysis.accept(pcm, 0, used); // two rows: the mixture is the sum of the stems
                read += used;
            }
        }
        return analysis.publish(storage, songSeconds) != null;
    }

    /** Fills {@code buf} as far as the stream goes; returns the bytes read (0 at the end). */
    private static int readBlock(DataInputStream in, byte[] buf) throws IOException {
        int total = 0;
        while (total < buf.length) {
            int n = in.read(buf, total, buf.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total - total % ChunkSource.FRAME_BYTES;
    }
}
