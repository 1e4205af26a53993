package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * One thread's buffers for {@link SpectralSeparator}: grown to the longest input that thread has
 * seen and reused, so a call allocates only its output. About 72 bytes per input sample (32 MB
 * for a 10 s chunk), about 14 more with the short STFT and about 4 more with the repeating model
 * (its similarities span at most 10 s, so this too is per sample, not per sample squared).
 */
final class Workspace {
    final FloatFFT_1D fft = new FloatFFT_1D(N);
    final float[] frame = new float[N];
    final float[] medianWindow = new float[SpectralSeparator.FREQ_MEDIAN];
    final float[] medianWindows = new float[BINS * SpectralSeparator.TIME_MEDIAN];
    /** Packed spectra of the left and right channel, {@code frames * N}. */
    float[] left = new float[0];
    float[] right = new float[0];
    /** Per-bin arrays, {@code frames * BINS}: magnitude, then the vocals mask. */
    float[] magnitude = new float[0];
    /** Harmonic (time) median, then the drums mask. */
    float[] harmonic = new float[0];
    /** Percussive (frequency) median, then the bass mask. */
    float[] percussive = new float[0];
    /** Per frame: the bass pitch (bins) and its confidence. */
    float[] bassF0 = new float[0];
    float[] bassConfidence = new float[0];
    /** Per frame: how much it looks like a kick's burst. */
    float[] kick = new float[0];
    final float[] comb = new float[BINS];
    /** One frame's centred sustained magnitude and the voice comb. */
    final float[] centred = new float[BINS];
    final float[] voiceComb = new float[BINS];
    /** Spatial covariances and their weights, per source and bin, and one frame's stem spectra. */
    final float[] covariance = new float[16 * BINS];
    final float[] covarianceWeight = new float[4 * BINS];
    final float[] covarianceNext = new float[16 * BINS];
    /** The spectral prior's energy per stem and bin, and its weights. */
    final double[] stemEnergy = new double[4 * BINS];
    final float[] stemPrior = new float[4 * BINS];
    /** Other's weight during EM steps, {@code frames * BINS}. */
    float[] other = new float[0];
    final float[][][] stemFrame = new float[3][2][N];
    /** The short STFT ({@link ShortHpss}): one frame, its medians' scratch, per-short-bin arrays. */
    final FloatFFT_1D shortFft = new FloatFFT_1D(ShortHpss.N);
    final float[] shortFrame = new float[ShortHpss.N];
    final float[] shortRatio = new float[ShortHpss.BINS_SHORT];
    float[] shortWindows = new float[0];
    float[] shortWindow = new float[0];
    /** {@code shortFrames * hpss.bins}: magnitude (then energy), time median (then transient energy), frequency median. */
    float[] shortMagnitude = new float[0];
    float[] shortHarmonic = new float[0];
    float[] shortPercussive = new float[0];
    /** The short STFT's transient fraction on the long grid, {@code frames * BINS}. */
    float[] shortTransient = new float[0];

    /** The repeating model ({@link RepeatingModel}): fractions, features, similarity band, neighbours. */
    float[] repeating = new float[0];
    float[] repeatFeature = new float[0];
    float[] repeatSimilarity = new float[0];
    int[] repeatChosen = new int[0];
    float[] repeatValues = new float[0];

    void ensureRepeating(int frames, RepeatingModel model) {
        if (repeating.length < frames * model.bins) {
            repeating = new float[frames * model.bins];
            repeatFeature = new float[frames * model.features];
            repeatSimilarity = new float[frames * (model.maxLag + 1)];
        }
        if (repeatChosen.length < model.neighbours) {
            repeatChosen = new int[model.neighbours];
            repeatValues = new float[model.neighbours];
        }
    }

    void ensureShort(int frames, int shortFrames, ShortHpss hpss) {
        if (shortWindows.length < hpss.bins * hpss.timeWidth) {
            shortWindows = new float[hpss.bins * hpss.timeWidth];
        }
        if (shortWindow.length < hpss.freqWidth) {
            shortWindow = new float[hpss.freqWidth];
        }
        if (shortMagnitude.length < shortFrames * hpss.bins) {
            shortMagnitude = new float[shortFrames * hpss.bins];
            shortHarmonic = new float[shortFrames * hpss.bins];
            shortPercussive = new float[shortFrames * hpss.bins];
        }
        if (shortTransient.length < frames * BINS) {
            shortTransient = new float[frames * BINS];
        }
    }

    void ensure(int frames) {
        if (harmonic.length >= frames * BINS) {
            return;
        }
        left = new float[frames * N];
        right = new float[frames * N];
        magnitude = new float[frames * BINS];
        harmonic = new float[frames * BINS];
        percussive = new float[frames * BINS];
        bassF0 = new float[frames];
        other = new float[frames * BINS];
        bassConfidence = new float[frames];
        kick = new float[frames];
    }
}
