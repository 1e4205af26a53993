package dme.job.stage;

import dme.core.Storage;
import dme.core.chunk.ChunkPlan;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stitches a separated song (one task): reads its chunks from storage scratch in order, one at a
 * time, through the overlap-add into the stems' masters, and publishes the masters and what is
 * derived from them.
 */
public final class StitchSong implements Serializable {
    private static final long serialVersionUID = 1L;

    private final JobContext ctx;
    private final ChunkPlan plan;

    public StitchSong(JobContext ctx, ChunkPlan plan) {
        this.ctx = ctx;
        this.plan = plan;
    }

    public Published stitch(SongTask song, TaskSignals task) throws IOException, InterruptedException {
        Storage storage = ctx.storage();
        try (SongOutput out = new SongOutput(ctx, song, plan)) {
            for (int i = 0; i < plan.chunkCount(); i++) {
                task.stopIfKilled();
                out.add(storage, i, storage.layout().chunkScratch(song.musicId(), song.seq(), i));
            }
            return out.finishAndPublish(storage);
        }
    }
}
