package dme.job;

import dme.core.chunk.PcmCodec;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.job.separate.ExecutorSeparator;
import dme.job.separate.Separator;
import java.util.Iterator;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Separates chunk rows on an executor with the executor's one separator, writes a progress record
 * per finished chunk, and passes the stems on. A separator error fails only that chunk's song.
 */
final class SeparateChunks implements FlatMapFunction<Iterator<ChunkRow>, SeparatedChunk> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeparateChunks.class);

    private final JobContext ctx;

    SeparateChunks(JobContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Iterator<SeparatedChunk> call(Iterator<ChunkRow> rows) {
        Separator separator = ExecutorSeparator.get(ctx.config(), ctx.hadoopConf().get());
        dme.core.Storage storage = ctx.storage();
        StatusWriter status = new StatusWriter(storage);
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
        String host = ExecutorSeparator.host();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public SeparatedChunk next() {
                ChunkRow row = rows.next();
                long started = System.currentTimeMillis();
                long t0 = System.nanoTime();
                String stems = null;
                String error = null;
                try {
                    float[][] mix = PcmCodec.decode(row.pcm(), 2);
                    float[][][] out = separator.separate(mix, row.stats());
                    int len = mix[0].length;
                    org.apache.hadoop.fs.Path scratch = storage.layout().chunkScratch(
                            row.song().musicId(), row.song().seq(), row.index());
                    storage.writeAtomically(scratch, PcmCodec.encode(Separator.rows(out), len));
                    stems = scratch.toString();
                } catch (java.io.IOException e) {
                    error = "chunk " + row.index() + " could not be stored for stitching: " + e.getMessage();
                    LOG.warn("song {} chunk {}: {}", row.song().musicId(), row.index(), error);
                } catch (RuntimeException | LinkageError e) {
                    error = "separator " + separator.name() + " failed on chunk " + row.index() + ": " + e;
                    LOG.warn("song {} chunk {}: {}", row.song().musicId(), row.index(), error);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                ChunkRecord job = new ChunkRecord(JobIds.of(row.song().musicId(), row.index()),
                        row.song().musicId(), row.song().seq(), row.index(), row.plan().chunkCount(),
                        row.plan().offset(row.index()) / (double) ChunkSource.SAMPLE_RATE,
                        row.plan().length(row.index()) / (double) ChunkSource.SAMPLE_RATE,
                        row.pcm().length, started, System.currentTimeMillis(), ms, executor, host,
                        separator.name(), attempt);
                if (error == null) {
                    try {
                        status.chunk(job);
                    } catch (java.io.IOException e) {
                        LOG.warn("song {} chunk {}: progress record not written: {}", job.musicId(), job.chunkIndex(), e.toString());
                    }
                    LOG.info("song {} chunk {}/{} separated in {} ms on executor {}", job.musicId(),
                            job.chunkIndex() + 1, job.totalChunks(), ms, executor);
                }
                return new SeparatedChunk(row.song(), row.plan(), row.index(), stems, error, job,
                        ExecutorSeparator.jvmId(), ExecutorSeparator.loads());
            }
        };
    }
}
