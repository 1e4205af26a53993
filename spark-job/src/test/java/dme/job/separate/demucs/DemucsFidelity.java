package dme.job.separate.demucs;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import dme.core.audio.TestAudio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How close one way of running a Demucs model comes to another on real mixtures, for
 * scripts/bench_demucs_fidelity.sh and scripts/bench_demucs_gpu.sh.
 *
 * <p>Usage: {@code DemucsFidelity MODEL.pt SECONDS REFERENCE CANDIDATE SONG...}, where REFERENCE and
 * CANDIDATE are {@code DEVICE:PRECISION} ({@code cpu:fp32}, {@code cpu:bf16}, {@code gpu:fp32}, ...).
 * From the middle of each song one chunk of SECONDS is separated by both, as the job does (song
 * statistics, {@link DemucsSeparator}); prints one JSON line per song with the SDR of the candidate's
 * stems against the reference's (dB, per stem and worst), then one line with the worst over all songs.
 */
public final class DemucsFidelity {
    private DemucsFidelity() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: DemucsFidelity MODEL.pt SECONDS REFERENCE CANDIDATE SONG...  "
                    + "(REFERENCE/CANDIDATE = cpu:fp32 | cpu:bf16 | gpu:fp32 | gpu:N:fp32 ...)");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        DemucsOptions base = DemucsOptions.defaults().withSegmentSeconds(seconds)
                .withThreads(Runtime.getRuntime().availableProcessors(), 1);
        DemucsSeparator reference = DemucsSeparator.load(model, options(base, args[2]));
        DemucsSeparator candidate = DemucsSeparator.load(model, options(base, args[3]));
        List<Double> worst = new ArrayList<>();
        for (int k = 4; k < args.length; k++) {
            Path song = Path.of(args[k]);
            float[][] all = TestAudio.read(song);
            SongStats stats = monoStats(all);
            int n = Math.min(all[0].length, (int) Math.round(seconds * PcmFormat.SAMPLE_RATE));
            int from = (all[0].length - n) / 2;
            float[][] chunk = {Arrays.copyOfRange(all[0], from, from + n), Arrays.copyOfRange(all[1], from, from + n)};
            long t0 = System.nanoTime();
            float[][][] ref = reference.separate(chunk, stats);
            long t1 = System.nanoTime();
            float[][][] cand = candidate.separate(chunk, stats);
            long t2 = System.nanoTime();
            double[] perStem = new double[ref.length];
            for (int s = 0; s < ref.length; s++) {
                perStem[s] = PrecisionChoice.worstStemSdr(new float[][][] {ref[s]}, new float[][][] {cand[s]});
            }
            double w = Arrays.stream(perStem).min().orElse(Double.NaN);
            worst.add(w);
            System.out.println(String.format(Locale.ROOT,
                    "{\"song\": \"%s\", \"seconds\": %.2f, \"reference\": \"%s\", \"candidate\": \"%s\", "
                            + "\"sdr_db\": {\"drums\": %.2f, \"bass\": %.2f, \"other\": %.2f, \"vocals\": %.2f}, "
                            + "\"worst_db\": %.2f, \"reference_s\": %.2f, \"candidate_s\": %.2f}",
                    song, n / (double) PcmFormat.SAMPLE_RATE, reference.name(), candidate.name(), perStem[0],
                    perStem[1], perStem[2], perStem[3], w, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
        }
        double[] sorted = worst.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.println(String.format(Locale.ROOT,
                "{\"songs\": %d, \"worst_db\": %.2f, \"median_worst_db\": %.2f}", sorted.length, sorted[0],
                sorted[sorted.length / 2]));
    }

    private static DemucsOptions options(DemucsOptions base, String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected DEVICE:PRECISION, got " + spec);
        }
        return base.withDevice(spec.substring(0, colon)).withPrecision(spec.substring(colon + 1));
    }

    /** The song's mono mean and standard deviation, as the job's chunk source computes them. */
    static SongStats monoStats(float[][] audio) {
        int n = audio[0].length;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double m = (audio[0][i] + audio[1][i]) / 2.0;
            sum += m;
            sq += m * m;
        }
        double mean = sum / Math.max(1, n);
        double var = n > 1 ? (sq - n * mean * mean) / (n - 1) : 0;
        return new SongStats((float) mean, (float) Math.sqrt(Math.max(0, var)));
    }
}
