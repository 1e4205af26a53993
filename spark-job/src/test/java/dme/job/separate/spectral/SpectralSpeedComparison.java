package dme.job.separate.spectral;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Benchmark (not a test): speed of two tunings of {@link SpectralSeparator} side by side on one
 * thread, in seconds of audio per second of this thread's CPU time, on 10 s chunks of
 * {@link SpectralSeparatorBench#syntheticMix}. The rounds alternate A and B so that drifts of a
 * shared machine hit both; the medians are printed.
 * <pre>
 * SpectralSpeedComparison ROUNDS CALLS-PER-ROUND SPEC-A SPEC-B    (SPEC: name=value,... or "-" for the default)
 * </pre>
 */
public final class SpectralSpeedComparison {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        String[] specs = {args[2], args[3]};
        double seconds = 10;
        float[][] mix = SpectralSeparatorBench.syntheticMix((int) Math.round(seconds * PcmFormat.SAMPLE_RATE), 7);
        SpectralSeparator[] seps = new SpectralSeparator[2];
        for (int s = 0; s < 2; s++) {
            Tuning t = DevsetCrossValidation.override(Tuning.DEFAULT, specs[s].equals("-") ? "" : specs[s]);
            seps[s] = new SpectralSeparator(PcmFormat.SAMPLE_RATE, t);
            for (int i = 0; i < 10; i++) {
                seps[s].separate(mix, SongStats.IDENTITY);
            }
        }
        double[][] speed = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < 2; s++) {
                int which = r % 2 == 0 ? s : 1 - s;
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    seps[which].separate(mix, SongStats.IDENTITY);
                }
                speed[which][r] = calls * seconds / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
            }
        }
        for (int s = 0; s < 2; s++) {
            double[] sorted = speed[s].clone();
            Arrays.sort(sorted);
            System.out.printf("%-40s median %.1f x real time per core (rounds: %s)%n", specs[s],
                    sorted[rounds / 2], Arrays.toString(Arrays.stream(speed[s]).map(v -> Math.round(v * 10) / 10.0).toArray()));
        }
    }
}
