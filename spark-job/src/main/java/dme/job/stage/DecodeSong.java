package dme.job.stage;

import dme.core.DecodeLimitException;
import dme.core.DecodeLimits;
import dme.core.LocalScratch;
import dme.core.SongStats;
import dme.core.Storage;
import dme.core.audio.AudioDecodeException;
import dme.core.audio.AudioFiles;
import dme.core.audio.AudioReader;
import dme.core.audio.LocalFile;
import dme.core.audio.PcmFormat;
import dme.core.chunk.ChunkPlan;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a song (on an executor) into storage scratch, where each separator task reads its chunk.
 *
 * <p>Decoding streams the audio once into a local file of interleaved float32 while it accumulates
 * the mono mixture's mean and standard deviation; the file is then published to the song's scratch
 * folder in storage. The song is never held in memory, every chunk carries the whole-song
 * statistics the model normalises with, and the chunk count is known before the separation job is
 * planned, so it gets one task per chunk (what lets songs share the executors fairly). A song that
 * cannot be decoded, or that passes a {@link DecodeLimits} limit while it decodes (too long, too large
 * decoded, too much scratch), comes back as a failure message with its scratch removed. A killed task
 * (a cancelled song) stops decoding within one buffer.
 */
public final class DecodeSong implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSong.class);
    private static final int SAMPLE_RATE = PcmFormat.SAMPLE_RATE;
    private static final int FRAME_BYTES = DecodedMixture.FRAME_BYTES;
    private static final int BUFFER_FRAMES = 8192;
    /** Free space is asked of the file system once per this many frames written (64 MiB of scratch). */
    private static final long FREE_SPACE_CHECK_FRAMES = 8L << 20;

    private final JobContext ctx;

    public DecodeSong(JobContext ctx) {
        this.ctx = ctx;
    }

    /** A decoded song: its chunk plan and statistics, or why it could not be decoded. */
    public record Decoded(ChunkPlan plan, SongStats stats, String error) implements Serializable {
        static Decoded failed(String error) {
            return new Decoded(null, null, error);
        }
    }

    /** Decodes {@code song}; a killed task ends with {@link InterruptedException} or Spark's own. */
    public Decoded decode(SongTask song, TaskSignals task) throws IOException, InterruptedException {
        Storage storage = ctx.storage();
        Path scratch = Files.createTempFile(ctx.config().localTmp(), LocalScratch.PCM_PREFIX + song.musicId() + "-", ".f32");
        try {
            Scan scan;
            try {
                scan = decodeToScratch(storage, song, scratch, task);
            } catch (DecodeLimitException e) {
                LOG.warn("song {} failed: {}", song.musicId(), e.getMessage());
                return Decoded.failed(e.getMessage());
            } catch (InterruptedException e) {
                LOG.info("song {}: decoding stopped, the task was cancelled", song.musicId());
                throw e;
            } catch (AudioDecodeException | RuntimeException e) {
                if (task.killed()) {
                    LOG.info("song {}: decoding stopped, the task was cancelled", song.musicId());
                    task.stopIfKilled(); // an interrupted read is no verdict on the song
                    throw new InterruptedException("decoding interrupted");
                }
                // AudioDecodeException messages start with the file name already.
                String message = "cannot decode " + e.getMessage();
                LOG.warn("song {} failed: {}", song.musicId(), message);
                return Decoded.failed(message);
            }
            if (scan.frames == 0) {
                return Decoded.failed("the file " + song.originalFile() + " holds no audio samples");
            }
            storage.copyFromLocal(scratch, storage.layout().decodedPcm(song.musicId(), song.seq()));
            ChunkPlan plan = ChunkPlan.of(scan.frames, ctx.config().chunkSeconds(), ctx.config().chunkOverlap(), SAMPLE_RATE);
            LOG.info("song {} decoded: {} s, {} chunks", song.musicId(),
                    String.format("%.1f", scan.frames / (double) SAMPLE_RATE), plan.chunkCount());
            return new Decoded(plan, scan.stats, null);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private record Scan(long frames, SongStats stats) {}

    /**
     * Streams the decoded song into {@code scratch}, counting as it goes: every buffer is checked
     * against the limits and for a kill of the task, so neither a lying file nor a cancelled song keeps
     * the decoder running.
     */
    private Scan decodeToScratch(Storage storage, SongTask song, Path scratch, TaskSignals task)
            throws IOException, InterruptedException {
        org.apache.hadoop.fs.Path original = new org.apache.hadoop.fs.Path(
                storage.layout().songDir(song.musicId()), song.originalFile());
        DecodeLimits limits = ctx.config().decodeLimits();
        limits.checkFreeSpace(scratch.getParent(), 0);
        try (LocalFile local = AudioFiles.localCopy(storage.fs(), original, ctx.config().localTmp());
                AudioReader reader = AudioReader.open(local.path());
                DecodedMixture.Writer out = new DecodedMixture.Writer(scratch, BUFFER_FRAMES)) {
            long copyBytes = local.temporary() ? Files.size(local.path()) : 0;
            float[][] buf = new float[2][BUFFER_FRAMES];
            long frames = 0;
            long nextFreeSpaceCheck = FREE_SPACE_CHECK_FRAMES;
            double sum = 0;
            double sumSq = 0;
            for (int n; (n = reader.read(buf, 0, buf[0].length)) > 0; ) {
                task.stopIfKilled();
                limits.check(frames + n, SAMPLE_RATE, reader.decodedSourceSamples(), copyBytes + (frames + n) * FRAME_BYTES);
                if (frames + n >= nextFreeSpaceCheck) {
                    limits.checkFreeSpace(scratch.getParent(), frames / (double) SAMPLE_RATE);
                    nextFreeSpaceCheck += FREE_SPACE_CHECK_FRAMES;
                }
                for (int i = 0; i < n; i++) {
                    double mono = (buf[0][i] + buf[1][i]) * 0.5;
                    sum += mono;
                    sumSq += mono * mono;
                }
                out.write(buf, n);
                frames += n;
            }
            double mean = frames == 0 ? 0 : sum / frames;
            // torch.std is the unbiased estimate; Demucs normalises with it.
            double var = frames < 2 ? 0 : (sumSq - frames * mean * mean) / (frames - 1);
            float std = (float) Math.sqrt(Math.max(var, 0));
            return new Scan(frames, new SongStats((float) mean, std));
        }
    }
}
