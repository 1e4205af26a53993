package dme.job;

import dme.core.Storage;
import dme.core.chunk.ChunkPlan;
import java.io.IOException;
import org.apache.spark.api.java.function.Function;

/**
 * Stitches a separated song (on an executor): reads its chunks from storage scratch in order, one at
 * a time, through the overlap-add into the stems and the mix, and publishes them.
 */
final class StitchSong implements Function<SongTask, SongRenderer.Published> {
    private static final long serialVersionUID = 1L;

    private final JobContext ctx;
    private final ChunkPlan plan;

    StitchSong(JobContext ctx, ChunkPlan plan) {
        this.ctx = ctx;
        this.plan = plan;
    }

    @Override
    public SongRenderer.Published call(SongTask song) throws IOException {
        Storage storage = ctx.storage();
        try (SongOutput out = new SongOutput(ctx, song, plan)) {
            for (int i = 0; i < plan.chunkCount(); i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("song " + song.musicId() + ": stitching interrupted");
                }
                out.add(storage, i, storage.layout().chunkScratch(song.musicId(), song.seq(), i));
            }
            return out.finishAndPublish(storage);
        }
    }
}
