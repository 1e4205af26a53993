package dme.job.separate.spectral;

import dme.core.SongStats;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.chunk.ChunkPlan;
import dme.core.chunk.OverlapAddStitcher;
import dme.job.separate.Separator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Development tool (not a test): separates every {@code <devset>/songs/<song>/mixture.flac} with the
 * spectral separator in 10 s chunks with 25 % overlap, as the pipeline does, and writes float WAV
 * stems to {@code <out>/<song>/<stem>.wav} for shared/devset/sdr.py. Keep {@code <out>} outside the
 * repository. From the repository root:
 * <pre>
 * mvn -q -B -o -DbuildDir=target-spectral -pl spark-job -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/spectral-cp.txt -Dmdep.includeScope=test
 * java -cp spark-job/target-spectral/test-classes:spark-job/target-spectral/classes:core/target-spectral/classes:$(cat /tmp/spectral-cp.txt) \
 *     dme.job.separate.spectral.DevsetEval /work/shared/devset /tmp/spectral-eval
 * /usr/bin/python3 /work/shared/devset/sdr.py --ref-root /work/shared/devset/songs --est-root /tmp/spectral-eval --baseline
 * </pre>
 */
public final class DevsetEval {
    public static void main(String[] args) throws Exception {
        Path devset = Paths.get(args.length > 0 ? args[0] : "../shared/devset");
        Path out = Paths.get(args.length > 1 ? args[1] : "/tmp/dme-eval");
        SpectralSeparator sep = new SpectralSeparator();
        try (var songs = Files.list(devset.resolve("songs"))) {
            for (Path song : songs.sorted().toList()) {
                float[][] mix = TestAudio.read(song.resolve("mixture.flac"));
                int n = mix[0].length;
                ChunkPlan plan = ChunkPlan.of(n, 10, 0.25, 44_100);
                float[][] stems = new float[8][n];
                OverlapAddStitcher st = OverlapAddStitcher.into(plan, stems);
                long t0 = System.nanoTime();
                for (int k = 0; k < plan.chunkCount(); k++) {
                    int o = (int) plan.offset(k);
                    int len = plan.length(k);
                    float[][] chunk = {Arrays.copyOfRange(mix[0], o, o + len), Arrays.copyOfRange(mix[1], o, o + len)};
                    float[][][] s = sep.separate(chunk, SongStats.IDENTITY);
                    st.add(k, Separator.rows(s));
                }
                st.finish();
                double secs = (System.nanoTime() - t0) / 1e9;
                Path dir = out.resolve(song.getFileName());
                Files.createDirectories(dir);
                String[] names = {"drums", "bass", "other", "vocals"};
                for (int i = 0; i < 4; i++) {
                    TestAudio.write(dir.resolve(names[i] + ".wav"), new float[][] {stems[2 * i], stems[2 * i + 1]},
                            OutputFormat.WAV_FLOAT, 0);
                }
                System.out.printf("%s: %.1f s of audio in %.2f s (%.0fx real time, one thread)%n",
                        song.getFileName(), n / 44_100.0, secs, n / 44_100.0 / secs);
            }
        }
    }
}
