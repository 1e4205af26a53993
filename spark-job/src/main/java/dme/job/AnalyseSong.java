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
 * failure only leaves it without tempo and key.
 */
final class AnalyseSong implements Function<SongTask, Boolean> {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK = 65_536;

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
        try (DataInputStream in = new DataInputStream(
                storage.fs().open(storage.layout().decodedPcm(song.musicId(), song.seq())))) {
            while (true) {
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
                analysis.accept(pcm, 0, frames); // two rows: the mixture is the sum of the stems
            }
        }
        return analysis.publish(storage) != null;
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
