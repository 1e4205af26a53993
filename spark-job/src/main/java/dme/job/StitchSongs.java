package dme.job;

import dme.core.Storage;
import dme.core.format.SongState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Stitches separated chunks, which arrive sorted by (song, chunk), into stems and the mix, one song
 * at a time, and returns the songs' job rows. A song with a failed or missing chunk is marked
 * failed; the other songs of the partition are unaffected.
 */
final class StitchSongs implements FlatMapFunction<Iterator<Tuple2<ChunkKey, SeparatedChunk>>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StitchSongs.class);

    private final JobContext ctx;
    private final long batchId;

    StitchSongs(JobContext ctx, long batchId) {
        this.ctx = ctx;
        this.batchId = batchId;
    }

    @Override
    public Iterator<Row> call(Iterator<Tuple2<ChunkKey, SeparatedChunk>> chunks) throws IOException {
        Storage storage = ctx.storage();
        StatusWriter status = new StatusWriter(storage);
        List<Row> jobs = new ArrayList<>();
        SongOutput out = null;
        SeparatedChunk first = null;
        long failedSong = -1;
        int expected = 0;
        try {
            while (chunks.hasNext()) {
                SeparatedChunk c = chunks.next()._2();
                jobs.add(Tables.jobRow(c, batchId));
                if (first != null && first.song().musicId() != c.song().musicId()) {
                    fail(status, out, first, "chunks " + expected + " to " + (first.plan().chunkCount() - 1) + " are missing");
                    out = null;
                    first = null;
                }
                if (c.song().musicId() == failedSong) {
                    continue;
                }
                if (c.index() == 0) {
                    first = c;
                    expected = 0;
                    out = new SongOutput(ctx, c.song(), c.plan());
                }
                if (first == null || c.index() != expected) {
                    failedSong = c.song().musicId();
                    fail(status, out, first != null ? first : c, "chunk " + (first == null ? 0 : expected) + " is missing");
                    out = null;
                    first = null;
                    continue;
                }
                if (c.error() != null) {
                    failedSong = c.song().musicId();
                    fail(status, out, first, c.error());
                    out = null;
                    first = null;
                    continue;
                }
                try {
                    out.add(storage, c);
                } catch (IOException | RuntimeException e) {
                    failedSong = c.song().musicId();
                    fail(status, out, first, "writing outputs failed: " + e.getMessage());
                    out = null;
                    first = null;
                    continue;
                }
                expected++;
                if (expected == c.plan().chunkCount()) {
                    complete(storage, status, out, c);
                    out = null;
                    first = null;
                }
            }
            if (first != null) {
                fail(status, out, first, "chunks " + expected + " to " + (first.plan().chunkCount() - 1) + " are missing");
                out = null;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        return jobs.iterator();
    }

    private void complete(Storage storage, StatusWriter status, SongOutput out, SeparatedChunk last) throws IOException {
        SongTask song = last.song();
        try (out; ScratchCleanup cleanup = new ScratchCleanup(storage, song)) {
            if (!status.songExists(song.musicId())) {
                LOG.info("song {} was deleted while processing; its results are discarded", song.musicId());
                return;
            }
            SongRenderer.Published p = out.finishAndPublish(storage);
            if (discardIfDeleted(storage, status, song)) {
                return;
            }
            double seconds = last.plan().totalFrames() / (double) ChunkSource.SAMPLE_RATE;
            status.song(song, SongState.DONE, last.plan().chunkCount(), seconds, last.job().separator(),
                    p.stems(), p.mixFile(), null);
            LOG.info("song {} done: {} stems and {} written", song.musicId(), p.stems().size(), p.mixFile());
        } catch (IOException | RuntimeException e) {
            status.song(song, SongState.FAILED, last.plan().chunkCount(), 0, last.job().separator(), null, null,
                    "writing outputs failed: " + e.getMessage());
            LOG.warn("song {} failed while writing outputs: {}", song.musicId(), e.toString());
        }
    }

    /** A reset or delete that came while the outputs were being published: remove what was written. */
    static boolean discardIfDeleted(Storage storage, StatusWriter status, SongTask song) throws IOException {
        if (status.songExists(song.musicId())) {
            return false;
        }
        storage.deleteRecursively(storage.layout().songDir(song.musicId()));
        storage.deleteRecursively(storage.layout().statusDir(song.musicId()));
        LOG.info("song {} was deleted while its outputs were written; they are removed", song.musicId());
        return true;
    }

    /** Deletes a song's separated chunks from scratch storage once it is stitched or has failed. */
    private record ScratchCleanup(Storage storage, SongTask song) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            storage.deleteRecursively(storage.layout().chunkScratchDir(song.musicId(), song.seq()));
        }
    }

    private static void fail(StatusWriter status, SongOutput out, SeparatedChunk chunk, String message) throws IOException {
        if (out != null) {
            out.close();
        }
        try {
            new ScratchCleanup(status.storage(), chunk.song()).close();
        } catch (IOException e) {
            LOG.warn("song {}: separated chunks not removed from scratch: {}", chunk.song().musicId(), e.toString());
        }
        LOG.warn("song {} failed: {}", chunk.song().musicId(), message);
        status.song(chunk.song(), SongState.FAILED, chunk.plan().chunkCount(), 0, chunk.job().separator(), null, null, message);
    }
}
