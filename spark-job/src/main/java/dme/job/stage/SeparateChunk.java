package dme.job.stage;

import dme.core.SongStats;
import dme.core.Storage;
import dme.core.audio.PcmFormat;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.PcmCodec;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.job.separate.ExecutorSeparator;
import dme.job.separate.Separator;
import java.io.IOException;
import java.io.Serializable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Separates one chunk of a song (one task per chunk) with the executor's one separator: reads the
 * chunk from the decoded mixture, writes its stems to storage scratch for the stitcher and a progress
 * record, and returns the chunk's job record. A separator error fails only this chunk's song.
 */
public final class SeparateChunk implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeparateChunk.class);

    private final JobContext ctx;
    private final SongTask song;
    private final ChunkPlan plan;
    private final SongStats stats;

    public SeparateChunk(JobContext ctx, SongTask song, ChunkPlan plan, SongStats stats) {
        this.ctx = ctx;
        this.song = song;
        this.plan = plan;
        this.stats = stats;
    }

    /** Separates chunk {@code index}; a killed task ends with Spark's TaskKilledException or an interrupt. */
    public SeparatedChunk separate(int index, TaskSignals task) throws InterruptedException {
        ExecutorSeparator.Held held = ExecutorSeparator.get(ctx.config(), ctx.hadoopConf().get());
        Separator separator = held.separator();
        Storage storage = ctx.storage();
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String error = null;
        try {
            float[][][] stems = separator.separate(DecodedMixture.readChunk(storage, song, plan, index), stats);
            task.stopIfKilled(); // a stopped song's chunk is not worth storing
            store(storage, index, stems);
        } catch (IOException e) {
            error = "chunk " + index + " could not be read or stored: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            error = "separator " + separator.name() + " failed on chunk " + index + ": " + e;
        }
        if (error != null) {
            if (task.killed()) {
                task.stopIfKilled(); // its song was stopped: not the chunk's fault
                throw new InterruptedException("its song was stopped");
            }
            LOG.warn("song {} chunk {}: {}", song.musicId(), index, error);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ChunkRecord job = new ChunkRecord(JobIds.of(song.musicId(), index), song.musicId(), song.seq(), index,
                plan.chunkCount(), PcmFormat.seconds(plan.offset(index)), PcmFormat.seconds(plan.length(index)),
                (long) plan.length(index) * DecodedMixture.FRAME_BYTES, started, System.currentTimeMillis(), ms,
                task.executor(), ExecutorSeparator.host(), separator.name(), task.attempt());
        if (error == null) {
            try {
                ChunkProgress.record(storage, job);
            } catch (IOException e) {
                LOG.warn("song {} chunk {}: progress record not written: {}", job.musicId(), job.chunkIndex(), e.toString());
            }
            LOG.info("song {} chunk {}/{} separated in {} ms on executor {}", job.musicId(),
                    job.chunkIndex() + 1, job.totalChunks(), ms, job.executorId());
        }
        return new SeparatedChunk(index, error, job, ExecutorSeparator.jvmId(), held.loads());
    }

    private void store(Storage storage, int index, float[][][] stems) throws IOException {
        storage.writeAtomically(storage.layout().chunkScratch(song.musicId(), song.seq(), index),
                PcmCodec.encode(Separator.rows(stems), stems[0][0].length));
    }
}
