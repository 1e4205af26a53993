package dme.job.analysis;

import java.util.Arrays;

/**
 * Onset strength per frame: spectral flux, the mean over mel bands of the rise in log-compressed band
 * magnitude since the previous frame (rises only: a note that ends is no onset). Bands rather than
 * bins, so the many high-frequency bins of a quiet hi-hat do not outweigh the kick and snare that
 * carry the beat.
 */
final class OnsetEnvelope implements MagnitudeFramer.Sink {
    static final int BANDS = 40;
    private static final double LOW_HZ = 30;
    private static final double HIGH_HZ = 16_000;
    /** Log compression {@code log(1 + GAMMA * |X|)}: about 60 dB of range counts. */
    private static final float GAMMA = 1000f;

    /** Band of each bin, -1 outside the range. */
    private final int[] band;
    private final int[] binsInBand = new int[BANDS];
    private final double[] sums = new double[BANDS];
    private final float[] previous = new float[BANDS];
    private float[] values = new float[1024];
    private int frames;

    OnsetEnvelope(int bins, int frameSize, int sampleRate) {
        band = new int[bins];
        double lowMel = mel(LOW_HZ);
        double highMel = mel(Math.min(HIGH_HZ, sampleRate / 2.0));
        for (int k = 0; k < bins; k++) {
            double m = mel(k * (double) sampleRate / frameSize);
            int b = (int) Math.floor((m - lowMel) / (highMel - lowMel) * BANDS);
            band[k] = b >= 0 && b < BANDS ? b : -1;
            if (band[k] >= 0) {
                binsInBand[band[k]]++;
            }
        }
    }

    /** Bins below this one are all it reads: the spectrum above {@link #HIGH_HZ} need not be computed. */
    int usedBins() {
        return StreamingHpss.usedBins(band);
    }

    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    @Override
    public void frame(float[] magnitude) {
        Arrays.fill(sums, 0);
        for (int k = 0; k < band.length; k++) {
            if (band[k] >= 0) {
                sums[band[k]] += magnitude[k];
            }
        }
        double flux = 0;
        int used = 0;
        for (int b = 0; b < BANDS; b++) {
            if (binsInBand[b] == 0) {
                continue;
            }
            used++;
            float level = (float) Math.log1p(GAMMA * sums[b] / binsInBand[b]);
            float rise = level - previous[b];
            if (rise > 0 && frames > 0) {
                flux += rise;
            }
            previous[b] = level;
        }
        if (frames == values.length) {
            values = Arrays.copyOf(values, frames * 2);
        }
        values[frames++] = (float) (flux / Math.max(1, used));
    }

    /**
     * The envelope with its slow trend removed (minus a moving mean over about {@code trendFrames}),
     * half-wave rectified and scaled to unit RMS, so scores do not depend on level.
     */
    float[] detrended(int trendFrames) {
        float[] o = new float[frames];
        int half = Math.max(1, trendFrames / 2);
        double[] prefix = new double[frames + 1];
        for (int i = 0; i < frames; i++) {
            prefix[i + 1] = prefix[i] + values[i];
        }
        double sumSq = 0;
        for (int i = 0; i < frames; i++) {
            int a = Math.max(0, i - half);
            int b = Math.min(frames, i + half + 1);
            double mean = (prefix[b] - prefix[a]) / (b - a);
            o[i] = (float) Math.max(0, values[i] - mean);
            sumSq += o[i] * (double) o[i];
        }
        double rms = Math.sqrt(sumSq / Math.max(1, frames));
        if (rms > 0) {
            for (int i = 0; i < frames; i++) {
                o[i] /= (float) rms;
            }
        }
        return o;
    }
}
