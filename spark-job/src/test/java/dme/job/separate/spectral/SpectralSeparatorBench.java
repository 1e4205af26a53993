package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;

import dme.core.SongStats;
import dme.core.audio.PcmFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Benchmark (not a test): speed of {@link SpectralSeparator} on one thread, in seconds of audio per
 * second of this thread's CPU time, for 10 s chunks of a synthetic stereo mix, plus the share of
 * each stage.
 * <pre>
 * java -cp ... dme.job.separate.spectral.SpectralSeparatorBench [seconds-per-chunk] [iterations]
 * </pre>
 */
public final class SpectralSeparatorBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int n = (int) Math.round(seconds * PcmFormat.SAMPLE_RATE);
        float[][] mix = syntheticMix(n, 7);
        SpectralSeparator sep = new SpectralSeparator();
        for (int i = 0; i < 10; i++) {
            sep.separate(mix, SongStats.IDENTITY);
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long process0 = processCpuNanos();
        long wall0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            sep.separate(mix, SongStats.IDENTITY);
        }
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double process = (processCpuNanos() - process0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double audio = iterations * seconds;
        System.out.printf("separate: %d x %.1f s chunks: %.1f ms CPU per chunk: %.1f x real time per core"
                + " (this thread's CPU time); %.1f x counting the whole JVM's CPU (GC, JIT); wall %.1f x%n",
                iterations, seconds, cpu * 1e3 / iterations, audio / cpu, audio / process, audio / wall);
        stages(mix, iterations);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The same work as separate(), stage by stage, to show where the time goes. */
    private static void stages(float[][] mix, int iterations) {
        int n = mix[0].length;
        Stft stft = new Stft();
        SourceMasks masks = new SourceMasks(PcmFormat.SAMPLE_RATE, Tuning.DEFAULT);
        Workspace ws = new Workspace();
        int frames = Stft.frames(n);
        ws.ensure(frames);
        float[] y = new float[n];
        String[] names = {"forward STFT x2", "magnitude", "time median", "frequency median", "masks",
            "inverse STFT x6"};
        long[] cpu = new long[names.length];
        for (int it = -5; it < iterations; it++) {
            long t = THREADS.getCurrentThreadCpuTime();
            long[] marks = new long[names.length];
            stft.forward(mix[0], n, frames, ws.left, ws.fft);
            stft.forward(mix[1], n, frames, ws.right, ws.fft);
            marks[0] = THREADS.getCurrentThreadCpuTime();
            SourceMasks.magnitude(ws.left, ws.right, frames, ws.magnitude);
            marks[1] = THREADS.getCurrentThreadCpuTime();
            MedianFilter.alongTime(ws.magnitude, frames, BINS, SpectralSeparator.TIME_MEDIAN, ws.harmonic,
                    ws.medianWindows);
            marks[2] = THREADS.getCurrentThreadCpuTime();
            MedianFilter.alongFrequency(ws.magnitude, frames, BINS, SpectralSeparator.FREQ_MEDIAN, ws.percussive,
                    ws.medianWindow);
            marks[3] = THREADS.getCurrentThreadCpuTime();
            masks.compute(ws.left, ws.right, frames, ws.harmonic, ws.percussive, ws.magnitude, ws.bassF0,
                    ws.bassConfidence, ws.comb, ws.centred, ws.voiceComb, null, ws.kick, null, 0);
            marks[4] = THREADS.getCurrentThreadCpuTime();
            for (int s = 0; s < 3; s++) {
                stft.inverseAdd(ws.left, ws.harmonic, frames, y, n, ws.frame, ws.fft);
                stft.inverseAdd(ws.right, ws.harmonic, frames, y, n, ws.frame, ws.fft);
            }
            marks[5] = THREADS.getCurrentThreadCpuTime();
            if (it >= 0) {
                for (int i = 0; i < names.length; i++) {
                    cpu[i] += marks[i] - (i == 0 ? t : marks[i - 1]);
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf("  %-18s %6.1f ms per chunk%n", names[i], cpu[i] / 1e6 / iterations);
        }
    }

    /** Noise bursts, a low saw and a few sines, differently panned: a rough stand-in for music. */
    static float[][] syntheticMix(int n, long seed) {
        Random rnd = new Random(seed);
        float[][] mix = new float[2][n];
        double sr = PcmFormat.SAMPLE_RATE;
        for (int i = 0; i < n; i++) {
            double t = i / sr;
            double beat = (t * 2) % 1;
            double burst = Math.exp(-beat * 30) * rnd.nextGaussian() * 0.3;
            double bass = 0.2 * (((t * 55) % 1) * 2 - 1);
            double lead = 0.2 * Math.sin(2 * Math.PI * 440 * t + 0.3 * Math.sin(2 * Math.PI * 5 * t));
            double pad = 0.1 * Math.sin(2 * Math.PI * 330 * t);
            mix[0][i] = (float) (burst * 0.8 + bass + lead + pad);
            mix[1][i] = (float) (burst * 0.6 + bass + lead - 0.5 * pad);
        }
        return mix;
    }
}
