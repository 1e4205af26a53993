package dme.job.stage;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.Submissions;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.ProcessRequest;
import dme.core.format.SongMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** A storage root with songs stored as the gateway stores them, for the stages' tests (no Spark). */
final class StageFixture {
    final Path dir;
    final DmeConfig config;
    final JobContext ctx;
    final Storage storage;

    StageFixture(Path dir, Map<String, String> settings) throws IOException {
        this.dir = dir;
        Map<String, String> all = new java.util.HashMap<>(Map.of(DmeConfig.ROOT, dir.resolve("root").toUri().toString(),
                DmeConfig.LOCAL_TMP, Files.createDirectories(dir.resolve("tmp")).toString(), DmeConfig.CHUNK_SECONDS, "2",
                DmeConfig.SEPARATOR, "spectral", DmeConfig.OUTPUT_FORMAT, "wav-float"));
        all.putAll(settings);
        this.config = DmeConfig.of(all);
        this.ctx = new JobContext(config, new HadoopConf(new Configuration()));
        this.storage = ctx.storage();
    }

    /** Stores {@code audio} as a FLAC upload; returns the song's first request, for all four stems. */
    SongTask store(float[][] audio, List<Integer> tracks) throws IOException {
        Path f = TestAudio.write(Files.createTempFile(dir, "song-", ".flac"), audio, OutputFormat.FLAC, 0);
        return storeFile(f, "flac", tracks);
    }

    SongTask storeFile(Path file, String ext, List<Integer> tracks) throws IOException {
        Submissions s = new Submissions(storage);
        long id = s.issueId();
        String stored;
        try (InputStream in = Files.newInputStream(file)) {
            stored = s.storeOriginal(id, ext, in, Long.MAX_VALUE);
        }
        SongMeta meta = new SongMeta(id, "Song " + id, "Band", stored, Files.size(file), 0, 44_100, 2, "test",
                System.currentTimeMillis());
        s.storeMeta(meta);
        return SongTask.of(new ProcessRequest(id, 1, tracks, null, 0), meta, "wav-float");
    }

    /** The files now in the local scratch folder (the stages must leave none). */
    List<Path> localScratch() throws IOException {
        try (var files = Files.list(config.localTmp())) {
            return files.toList();
        }
    }
}
