package dme.core.audio;

import java.util.Arrays;

/**
 * Integrated loudness of a stereo stream in LUFS (ITU-R BS.1770-4 / EBU R128): K-weighting (a high
 * shelf and a high-pass, their coefficients derived for the sample rate), mean square over 400 ms
 * blocks every 100 ms, an absolute gate at -70 LUFS and a relative gate 10 LU below the ungated
 * loudness. Needed before a render to pick the gain; memory is 8 bytes per 100 ms of audio.
 */
public final class LoudnessMeter {
    private final double[] shelf;
    private final double[] highPass;
    /** Filter state per channel: two stages, two past inputs and outputs each. */
    private final double[][] state = new double[2][8];
    private final int step;
    private double stepSum;
    private int stepFill;
    private double[] steps = new double[256];
    private int stepCount;

    public LoudnessMeter(int sampleRate) {
        step = sampleRate / 10;
        double k = Math.tan(Math.PI * 1681.974450955533 / sampleRate);
        double q = 0.7071752369554196;
        double vh = Math.pow(10, 3.999843853973347 / 20);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1 + k / q + k * k;
        shelf = new double[] {(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
            2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
        k = Math.tan(Math.PI * 38.13547087602444 / sampleRate);
        q = 0.5003270373238773;
        a0 = 1 + k / q + k * k;
        highPass = new double[] {1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
    }

    /** Adds {@code len} frames of planar stereo from {@code off}. */
    public void accept(float[][] src, int off, int len) {
        for (int i = off; i < off + len; i++) {
            stepSum += square(0, src[0][i]) + square(1, src[src.length > 1 ? 1 : 0][i]);
            if (++stepFill == step) {
                if (stepCount == steps.length) {
                    steps = Arrays.copyOf(steps, stepCount * 2);
                }
                steps[stepCount++] = stepSum / step;
                stepSum = 0;
                stepFill = 0;
            }
        }
    }

    private double square(int c, double x) {
        double[] s = state[c];
        double y = shelf[0] * x + shelf[1] * s[0] + shelf[2] * s[1] - shelf[3] * s[2] - shelf[4] * s[3];
        s[1] = s[0];
        s[0] = x;
        s[3] = s[2];
        s[2] = y;
        double z = highPass[0] * y + highPass[1] * s[4] + highPass[2] * s[5] - highPass[3] * s[6] - highPass[4] * s[7];
        s[5] = s[4];
        s[4] = y;
        s[7] = s[6];
        s[6] = z;
        return z * z;
    }

    /** Integrated loudness so far in LUFS; {@code NaN} when under 400 ms or all below -70 LUFS. */
    public double integratedLufs() {
        int blocks = stepCount - 3;
        if (blocks <= 0) {
            return Double.NaN;
        }
        double[] power = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            power[b] = (steps[b] + steps[b + 1] + steps[b + 2] + steps[b + 3]) / 4;
        }
        double absolute = Math.pow(10, (-70 + 0.691) / 10);
        double relative = Math.pow(10, (lufs(gatedMean(power, absolute)) - 10 + 0.691) / 10);
        return lufs(gatedMean(power, Math.max(absolute, relative)));
    }

    private static double gatedMean(double[] power, double threshold) {
        double sum = 0;
        int n = 0;
        for (double p : power) {
            if (p > threshold) {
                sum += p;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double lufs(double power) {
        return -0.691 + 10 * Math.log10(power);
    }
}
