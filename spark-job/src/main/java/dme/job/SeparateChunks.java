package dme.job;

import dme.core.SongStats;
import dme.core.Storage;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.PcmCodec;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.job.separate.ExecutorSeparator;
import dme.job.separate.Separator;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Separates one chunk of a song per task with the executor's one separator: reads the chunk from
 * the decoded song in storage, writes its stems to storage scratch for the stitcher and a progress
 * record, and returns the chunk's job record. A separator error fails only this chunk's song.
 */
final class SeparateChunks implements Function<Integer, SeparatedChunk> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeparateChunks.class);

    private final JobContext ctx;
    private final SongTask song;
    private final ChunkPlan plan;
    private final SongStats stats;

    SeparateChunks(JobContext ctx, SongTask song, ChunkPlan plan, SongStats stats) {
        this.ctx = ctx;
        this.song = song;
        this.plan = plan;
        this.stats = stats;
    }

    @Override
    public SeparatedChunk call(Integer index) {
        Separator separator = ExecutorSeparator.get(ctx.config(), ctx.hadoopConf().get());
        Storage storage = ctx.storage();
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String error = null;
        long inputBytes = (long) plan.length(index) * ChunkSource.FRAME_BYTES;
        try {
            float[][] mix = ChunkSource.readChunk(storage, song, plan, index);
            float[][][] out = separator.separate(mix, stats);
            storage.writeAtomically(storage.layout().chunkScratch(song.musicId(), song.seq(), index),
                    PcmCodec.encode(Separator.rows(out), mix[0].length));
        } catch (java.io.IOException e) {
            if (task != null && task.isInterrupted()) {
                throw new org.apache.spark.TaskKilledException("its song was stopped"); // not the chunk's fault
            }
            error = "chunk " + index + " could not be read or stored: " + e.getMessage();
            LOG.warn("song {} chunk {}: {}", song.musicId(), index, error);
        } catch (RuntimeException | LinkageError e) {
            if (task != null && task.isInterrupted()) {
                throw new org.apache.spark.TaskKilledException("its song was stopped");
            }
            error = "separator " + separator.name() + " failed on chunk " + index + ": " + e;
            LOG.warn("song {} chunk {}: {}", song.musicId(), index, error);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ChunkRecord job = new ChunkRecord(JobIds.of(song.musicId(), index), song.musicId(), song.seq(), index,
                plan.chunkCount(), plan.offset(index) / (double) ChunkSource.SAMPLE_RATE,
                plan.length(index) / (double) ChunkSource.SAMPLE_RATE, inputBytes, started,
                System.currentTimeMillis(), ms, executor, ExecutorSeparator.host(), separator.name(), attempt);
        if (error == null) {
            try {
                SongLifecycle.recordChunk(storage, job);
            } catch (java.io.IOException e) {
                LOG.warn("song {} chunk {}: progress record not written: {}", job.musicId(), job.chunkIndex(), e.toString());
            }
            LOG.info("song {} chunk {}/{} separated in {} ms on executor {}", job.musicId(),
                    job.chunkIndex() + 1, job.totalChunks(), ms, executor);
        }
        return new SeparatedChunk(index, error, job, ExecutorSeparator.jvmId(), ExecutorSeparator.loads());
    }
}
