package dme.core.audio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Prints encode and decode speed (times real time) per format for a 60 s stereo signal; measures,
 * asserts nothing. Not a unit test: run it on a quiet machine with
 * <pre>
 * mvn -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/cp.txt):core/target/classes:core/target/test-classes" dme.core.audio.AudioThroughput
 * </pre>
 */
public final class AudioThroughput {
    private static final int SECONDS = 60;
    private static final int BLOCK = 8192;
    private static final int ROUNDS = 3;

    private AudioThroughput() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("dme-audio-throughput");
        int n = SECONDS * TestAudio.RATE;
        float[][] x = TestAudio.music(n, 42);
        System.out.printf(Locale.ROOT, "%d s of 44.1 kHz stereo, blocks of %d frames, x real time per CPU second, best of %d%n", SECONDS, BLOCK, ROUNDS);
        System.out.printf(Locale.ROOT, "%-26s %10s %10s %10s%n", "format", "encode x", "decode x", "file MB");
        for (OutputFormat format : OutputFormat.values()) {
            Path f = dir.resolve("t-" + format + "." + format.extension());
            double enc = best(() -> encode(f, x, format));
            double dec = best(() -> decode(f));
            System.out.printf(Locale.ROOT, "%-26s %10.0f %10.0f %10.1f%n", format + (format == OutputFormat.MP3 ? " 320k" : ""),
                    SECONDS / enc, SECONDS / dec, Files.size(f) / 1e6);
        }
        // Sources the reader must convert: resampling, and a codec whose output is already FLTP 44.1 kHz.
        float[][] at48 = {TestAudio.tone(1000, 0.5, SECONDS * 48_000, 48_000), TestAudio.tone(700, 0.5, SECONDS * 48_000, 48_000)};
        Path wav48 = TestAudio.encode(dir.resolve("48k.wav"), "wav", avcodec.AV_CODEC_ID_PCM_S16LE, avutil.AV_SAMPLE_FMT_S16,
                48_000, at48, 0, Map.of());
        System.out.printf(Locale.ROOT, "%-26s %10s %10.0f%n", "decode 48 kHz s16 wav", "", SECONDS / best(() -> decode(wav48)));
        Path ogg = TestAudio.encode(dir.resolve("v.ogg"), "ogg", avcodec.AV_CODEC_ID_VORBIS, avutil.AV_SAMPLE_FMT_FLTP,
                TestAudio.RATE, x, 192_000, Map.of());
        System.out.printf(Locale.ROOT, "%-26s %10s %10.0f%n", "decode ogg vorbis", "", SECONDS / best(() -> decode(ogg)));
        for (Path p : Files.list(dir).toList()) {
            Files.delete(p);
        }
        Files.delete(dir);
    }

    interface Job {
        void run() throws Exception;
    }

    /**
     * CPU seconds of the cheapest of ROUNDS runs, after one warm-up run. CPU time of this thread (FFmpeg
     * decodes and encodes audio in the calling thread) rather than wall time, so a busy machine
     * disturbs the figures less.
     */
    private static double best(Job job) throws Exception {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        job.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            job.run();
            best = Math.min(best, (cpu.getCurrentThreadCpuTime() - t0) / 1e9);
        }
        return best;
    }

    private static void encode(Path f, float[][] x, OutputFormat format) throws Exception {
        try (AudioWriter w = AudioWriter.open(f, format, 320)) {
            for (int off = 0; off < x[0].length; off += BLOCK) {
                w.write(x, off, Math.min(BLOCK, x[0].length - off));
            }
        }
    }

    private static long decode(Path f) throws Exception {
        float[][] buf = new float[2][BLOCK];
        long frames = 0;
        try (AudioReader r = AudioReader.open(f)) {
            for (int got; (got = r.read(buf, 0, BLOCK)) > 0; ) {
                frames += got;
            }
        }
        return frames;
    }
}
