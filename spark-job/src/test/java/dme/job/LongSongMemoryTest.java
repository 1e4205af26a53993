package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import dme.core.audio.AudioReader;
import dme.core.audio.AudioWriter;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.job.cli.SeparateCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 60-minute song separated by a JVM whose heap (1 GB) is a fifth of the song's stems in memory
 * (5 GB as float): decoding, stitching and encoding stream, nothing holds the song. Tagged long: .ci/run
 * runs it in its own step.
 */
@Tag("long")
class LongSongMemoryTest {
    @TempDir
    Path dir;

    @Test
    void sixtyMinuteSongInASmallHeap() throws Exception {
        int minutes = Integer.getInteger("dme.test.long.minutes", 60);
        Path song = dir.resolve("long.flac");
        float[][] block = TestAudio.song(10, 1);
        long frames = 0;
        try (AudioWriter w = AudioWriter.open(song, OutputFormat.FLAC, 0)) {
            for (int i = 0; i < minutes * 6; i++) {
                w.write(block, 0, block[0].length);
                frames += block[0].length;
            }
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "../conf")).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "@" + conf.resolve("jvm.options"),
                "-Dlog4j2.configurationFile=" + conf.resolve("log4j2-test.properties"),
                "-cp", classpath, SeparateCli.class.getName(), song.toString(), "--stems", "drums,bass,other,vocals", "--out",
                dir.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
        pb.environment().put(DmeConfig.envName(DmeConfig.ROOT), dir.resolve("root").toUri().toString());
        pb.environment().put(DmeConfig.envName(DmeConfig.SPARK_MASTER), "local[2]");
        pb.environment().put(DmeConfig.envName(DmeConfig.LOCAL_TMP), Files.createDirectories(dir.resolve("tmp")).toString());
        Process p = pb.start();
        assertTrue(p.waitFor(40, TimeUnit.MINUTES), "finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("cli.log")));
        for (String stem : List.of("drums", "bass", "other", "vocals", "mix")) {
            long n = 0;
            try (AudioReader r = AudioReader.open(dir.resolve("out/long/" + stem + ".wav"))) {
                float[][] buf = new float[2][65_536];
                for (int got; (got = r.read(buf, 0, buf[0].length)) > 0; ) {
                    n += got;
                }
            }
            assertEquals(frames, n, stem + " holds the whole hour");
        }
    }
}
