package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * How much of each bin a repeating background explains (REPET-SIM, Rafii and Pardo 2012): music
 * repeats (a drum bar, a bass riff, a guitar's chords) while a sung line mostly does not. For each
 * frame, the frames most like it (cosine similarity of the magnitude spectrum, pooled to 43 Hz
 * bands below {@code FEATURE_HZ}, at least {@code MIN_GAP_SECONDS} apart) are found; the median
 * of their magnitudes is the repeating model {@code R}, and {@code min(R, |X|) / |X|} the bin's
 * repeating fraction. A bin that the other bars of the chunk hold too is unlikely to be the voice.
 *
 * <p>Similarities are kept only between frames at most {@code MAX_LAG_SECONDS} apart (a band of the
 * similarity matrix), so memory stays linear in the input's length. Read-only after construction;
 * the caller owns the scratch ({@link Workspace}).
 */
final class RepeatingModel {
    static final double FEATURE_HZ = 5_000;
    static final int POOL = 4;
    static final double MIN_GAP_SECONDS = 1;
    static final double MAX_LAG_SECONDS = 10;
    /** The exponent of the fraction where the masks use it ({@link SourceMasks}). */
    static final int SHARPNESS = 8;
    private static final float TINY = 1e-30f;

    /** Bins that get a repeating fraction (from 0). */
    final int bins;
    final int neighbours;
    final int features;
    final int minGap;
    final int maxLag;

    RepeatingModel(int sampleRate, double maxHz, int neighbours) {
        if (neighbours < 2) {
            throw new IllegalArgumentException("the repeating model needs at least 2 neighbours");
        }
        bins = Math.min(BINS, (int) Math.ceil(maxHz * N / sampleRate));
        this.neighbours = neighbours;
        // Bins 1 .. features·POOL, never past the last bin at a low sample rate.
        features = Math.max(1, Math.min((BINS - 1) / POOL, (int) Math.ceil(FEATURE_HZ * N / sampleRate) / POOL));
        minGap = Math.max(1, (int) Math.round(MIN_GAP_SECONDS * sampleRate / Stft.HOP));
        maxLag = Math.max(minGap, (int) Math.round(MAX_LAG_SECONDS * sampleRate / Stft.HOP));
    }

    /**
     * Writes the repeating fraction of bins {@code 0..bins-1} of every frame into {@code repeating}
     * ({@code frames * bins}). Scratch: {@code feature} of {@code frames * features},
     * {@code similarity} of {@code frames * (maxLag + 1)}, {@code chosen} of {@code neighbours} ints,
     * {@code values} of {@code neighbours} floats.
     */
    void fraction(float[] magnitude, int frames, float[] repeating, float[] feature, float[] similarity,
            int[] chosen, float[] values) {
        for (int f = 0; f < frames; f++) {
            int m = f * BINS;
            int o = f * features;
            double norm = 0;
            for (int j = 0; j < features; j++) {
                float s = 0f;
                for (int k = 1 + j * POOL, end = k + POOL; k < end; k++) {
                    s += magnitude[m + k];
                }
                feature[o + j] = s;
                norm += (double) s * s;
            }
            float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int j = 0; j < features; j++) {
                feature[o + j] *= inv;
            }
        }
        int width = maxLag + 1;
        for (int f = 0; f < frames; f++) {
            int a = f * features;
            for (int lag = 0; lag <= maxLag && f + lag < frames; lag++) {
                int b = (f + lag) * features;
                float dot = 0f;
                for (int j = 0; j < features; j++) {
                    dot += feature[a + j] * feature[b + j];
                }
                similarity[f * width + lag] = dot;
            }
        }
        for (int f = 0; f < frames; f++) {
            int count = choose(similarity, frames, f, width, chosen);
            int out = f * bins;
            int m = f * BINS;
            for (int k = 0; k < bins; k++) {
                for (int c = 0; c < count; c++) {
                    float x = magnitude[chosen[c] * BINS + k];
                    int p = c;
                    while (p > 0 && values[p - 1] > x) {
                        values[p] = values[p - 1];
                        p--;
                    }
                    values[p] = x;
                }
                float r = (count & 1) != 0 ? values[count / 2] : 0.5f * (values[count / 2 - 1] + values[count / 2]);
                float x = magnitude[m + k];
                repeating[out + k] = x > TINY ? Math.min(r, x) / x : 1f;
            }
        }
    }

    /**
     * Frame f itself and up to {@code neighbours − 1} others, most similar first, each at least
     * {@code minGap} from every one already chosen; returns how many.
     */
    private int choose(float[] similarity, int frames, int f, int width, int[] chosen) {
        chosen[0] = f;
        int count = 1;
        int lo = Math.max(0, f - maxLag);
        int hi = Math.min(frames - 1, f + maxLag);
        while (count < neighbours) {
            int best = -1;
            float bestSim = 0f;
            for (int g = lo; g <= hi; g++) {
                float s = g < f ? similarity[g * width + (f - g)] : similarity[f * width + (g - f)];
                if (s <= bestSim) {
                    continue;
                }
                boolean far = true;
                for (int c = 0; c < count && far; c++) {
                    far = Math.abs(g - chosen[c]) >= minGap;
                }
                if (far) {
                    best = g;
                    bestSim = s;
                }
            }
            if (best < 0) {
                break;
            }
            chosen[count++] = best;
        }
        return count;
    }
}
