package dme.job;

import dme.core.DecodeLimitException;
import dme.core.DecodeLimits;
import dme.core.LocalScratch;
import dme.core.SongStats;
import dme.core.Storage;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioFiles;
import dme.core.audio.LocalFile;
import dme.core.audio.AudioReader;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.PcmCodec;
import dme.core.format.SongState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a song (on an executor) and emits its chunk rows.
 *
 * <p>Decoding streams the audio once into a local scratch file of interleaved float32 while it
 * accumulates the mono mixture's mean and standard deviation; the chunks are then read back from that
 * file, so the song is never held in memory and every chunk carries the whole-song statistics the
 * model normalises with. A song that cannot be decoded, or that passes a {@link DecodeLimits} limit
 * while it decodes (too long, too large decoded, too much scratch), is marked failed here, its scratch
 * removed, and yields no chunks. A killed task (cancelled job) stops decoding within one buffer.
 */
final class ChunkSource implements FlatMapFunction<SongTask, ChunkRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChunkSource.class);
    static final int SAMPLE_RATE = 44_100;
    private static final int BUFFER_FRAMES = 8192;
    /** Free space is asked of the file system once per this many frames written (64 MiB of scratch). */
    private static final long FREE_SPACE_CHECK_FRAMES = 8L << 20;

    private final JobContext ctx;

    ChunkSource(JobContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Iterator<ChunkRow> call(SongTask song) throws Exception {
        Storage storage = ctx.storage();
        StatusWriter status = new StatusWriter(storage);
        Path scratch = Files.createTempFile(ctx.config().localTmp(), LocalScratch.PCM_PREFIX + song.musicId() + "-", ".f32");
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> deleteQuietly(scratch));
        }
        Decoded decoded;
        try {
            decoded = decodeToScratch(storage, song, scratch, task);
        } catch (TaskKilledException | InterruptedException e) {
            deleteQuietly(scratch);
            LOG.info("song {}: decoding stopped, the task was cancelled", song.musicId());
            throw e;
        } catch (DecodeLimitException e) {
            deleteQuietly(scratch);
            LOG.warn("song {} failed: {}", song.musicId(), e.getMessage());
            status.song(song, SongState.FAILED, 0, 0, null, null, null, e.getMessage());
            return Collections.emptyIterator();
        } catch (AudioDecodeException | RuntimeException e) {
            deleteQuietly(scratch);
            stopIfKilled(task); // an interrupted read is no verdict on the song
            // AudioDecodeException messages start with the file name already.
            String message = "cannot decode " + e.getMessage();
            LOG.warn("song {} failed: {}", song.musicId(), message);
            status.song(song, SongState.FAILED, 0, 0, null, null, null, message);
            return Collections.emptyIterator();
        }
        if (decoded.frames == 0) {
            deleteQuietly(scratch);
            status.song(song, SongState.FAILED, 0, 0, null, null, null,
                    "the file " + song.originalFile() + " holds no audio samples");
            return Collections.emptyIterator();
        }
        ChunkPlan plan = ChunkPlan.of(decoded.frames, ctx.config().chunkSeconds(), ctx.config().chunkOverlap(), SAMPLE_RATE);
        status.song(song, SongState.SEPARATING, plan.chunkCount(), decoded.frames / (double) SAMPLE_RATE,
                null, null, null, null);
        LOG.info("song {} decoded: {} s, {} chunks", song.musicId(),
                String.format("%.1f", decoded.frames / (double) SAMPLE_RATE), plan.chunkCount());
        return new ChunkIterator(song, plan, decoded.stats, scratch);
    }

    private record Decoded(long frames, SongStats stats) {}

    /**
     * Streams the decoded song into {@code scratch}, counting as it goes: every buffer is checked
     * against the limits and for a kill of the task, so neither a lying file nor a cancelled job keeps
     * the decoder running.
     */
    private Decoded decodeToScratch(Storage storage, SongTask song, Path scratch, TaskContext task)
            throws IOException, InterruptedException {
        org.apache.hadoop.fs.Path original = new org.apache.hadoop.fs.Path(
                storage.layout().songDir(song.musicId()), song.originalFile());
        DecodeLimits limits = ctx.config().decodeLimits();
        limits.checkFreeSpace(scratch.getParent(), 0);
        try (LocalFile local = AudioFiles.localCopy(storage.fs(), original, ctx.config().localTmp());
                AudioReader reader = AudioReader.open(local.path());
                FileChannel out = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
            long copyBytes = local.temporary() ? Files.size(local.path()) : 0;
            float[][] buf = new float[2][BUFFER_FRAMES];
            ByteBuffer bytes = ByteBuffer.allocateDirect(BUFFER_FRAMES * 8).order(ByteOrder.LITTLE_ENDIAN);
            long frames = 0;
            long nextFreeSpaceCheck = FREE_SPACE_CHECK_FRAMES;
            double sum = 0;
            double sumSq = 0;
            for (int n; (n = reader.read(buf, 0, buf[0].length)) > 0; ) {
                stopIfKilled(task);
                limits.check(frames + n, SAMPLE_RATE, reader.decodedSourceSamples(), copyBytes + (frames + n) * 8);
                if (frames + n >= nextFreeSpaceCheck) {
                    limits.checkFreeSpace(scratch.getParent(), frames / (double) SAMPLE_RATE);
                    nextFreeSpaceCheck += FREE_SPACE_CHECK_FRAMES;
                }
                bytes.clear();
                for (int i = 0; i < n; i++) {
                    float l = buf[0][i];
                    float r = buf[1][i];
                    bytes.putFloat(l).putFloat(r);
                    double mono = (l + r) * 0.5;
                    sum += mono;
                    sumSq += mono * mono;
                }
                bytes.flip();
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                frames += n;
            }
            double mean = frames == 0 ? 0 : sum / frames;
            // torch.std is the unbiased estimate; Demucs normalises with it.
            double var = frames < 2 ? 0 : (sumSq - frames * mean * mean) / (frames - 1);
            float std = (float) Math.sqrt(Math.max(var, 0));
            return new Decoded(frames, new SongStats((float) mean, std));
        }
    }

    /** Spark kills a task by flagging it and interrupting its thread; either ends the decoding. */
    private static void stopIfKilled(TaskContext task) throws InterruptedException {
        if (task != null) {
            task.killTaskIfInterrupted();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("decoding interrupted");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // scratch space; the OS temp cleaner has the last word
        }
    }

    /** Marks the scratch file as in use, for the sweeper that removes stale scratch by its age. */
    private static void touch(Path scratch) {
        try {
            Files.setLastModifiedTime(scratch, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads chunks back from the scratch file one at a time. */
    private static final class ChunkIterator implements Iterator<ChunkRow> {
        private final SongTask song;
        private final ChunkPlan plan;
        private final SongStats stats;
        private final Path scratch;
        private int next;

        ChunkIterator(SongTask song, ChunkPlan plan, SongStats stats, Path scratch) {
            this.song = song;
            this.plan = plan;
            this.stats = stats;
            this.scratch = scratch;
        }

        @Override
        public boolean hasNext() {
            if (next >= plan.chunkCount()) {
                deleteQuietly(scratch);
                return false;
            }
            return true;
        }

        @Override
        public ChunkRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int index = next++;
            int len = plan.length(index);
            touch(scratch);
            ByteBuffer bytes = ByteBuffer.allocate(len * 8).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel in = FileChannel.open(scratch, StandardOpenOption.READ)) {
                long pos = plan.offset(index) * 8;
                while (bytes.hasRemaining()) {
                    int n = in.read(bytes, pos + bytes.position());
                    if (n < 0) {
                        throw new IOException("scratch file ended early at chunk " + index);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes.flip();
            float[][] pcm = new float[2][len];
            for (int i = 0; i < len; i++) {
                pcm[0][i] = bytes.getFloat();
                pcm[1][i] = bytes.getFloat();
            }
            return new ChunkRow(song, plan, index, stats, PcmCodec.encode(pcm, len));
        }
    }
}
