package dme.job.separate.spectral;

import static dme.job.separate.spectral.Stft.BINS;
import static dme.job.separate.spectral.Stft.N;

/**
 * Multichannel Wiener filter on top of the soft masks (Duong, Vincent and Gribonval 2010; the
 * filter Open-Unmix applies with norbert). Each source j gets a power {@code v_j = m_j·(|L|²+|R|²)/2}
 * per bin and one 2×2 spatial covariance {@code R_j(f) = Σ_t m_j x xᴴ / Σ_t v_j} per frequency over
 * the chunk; its stereo estimate is {@code y_j = v_j R_j (Σ_k v_k R_k + δI)⁻¹ x}. Where the sources
 * sit in the same place (all centred) this is the plain mask again; where they are panned apart
 * (a hard-left piano under a centred voice) the filter takes each one from the channel mix where
 * the others are weakest, which a real mask shared by both channels cannot.
 *
 * <p>The weights are the masks themselves (not their squares), so a bin with one source gives the
 * plain mask. Bins from {@link #bins} up keep the plain masks (few panned partials there, and
 * it saves time). Covariances are per call (per chunk), so memory does not grow with the song.
 */
final class SpatialWiener {
    /** Regularisation of the mixture covariance, relative to its trace. */
    static final float RIDGE = 1e-3f;
    private static final float TINY = 1e-30f;
    /** Bins that get the filter: 1 .. bins-1 (DC is real and left to the masks). */
    final int bins;

    SpatialWiener(int sampleRate, double maxHz) {
        bins = Math.min(BINS - 1, (int) Math.ceil(maxHz * N / sampleRate));
    }

    /**
     * Spatial covariances of the 4 sources into {@code cov} (4 floats per source and bin:
     * R11, R22, Re R12, Im R12; at least {@code 16 * BINS}), from the drums, bass and vocals masks
     * (other is one minus their sum).
     */
    void estimate(float[] left, float[] right, int frames, float[] drums, float[] bass, float[] vocals, float[] cov,
            float[] weight) {
        java.util.Arrays.fill(cov, 0, 16 * BINS, 0f);
        java.util.Arrays.fill(weight, 0, 4 * BINS, 0f);
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            for (int k = 1, i = row + 2; k < bins; k++, i += 2) {
                float lr = left[i];
                float li = left[i + 1];
                float rr = right[i];
                float ri = right[i + 1];
                float ll = lr * lr + li * li;
                float rrp = rr * rr + ri * ri;
                // L R*: (lr + i li)(rr - i ri)
                float re = lr * rr + li * ri;
                float im = li * rr - lr * ri;
                float p = 0.5f * (ll + rrp);
                float md = drums[m + k];
                float mb = bass[m + k];
                float mv = vocals[m + k];
                float mo = Math.max(0f, 1f - md - mb - mv);
                accumulate(cov, weight, 0, k, md, ll, rrp, re, im, p);
                accumulate(cov, weight, 1, k, mb, ll, rrp, re, im, p);
                accumulate(cov, weight, 2, k, mo, ll, rrp, re, im, p);
                accumulate(cov, weight, 3, k, mv, ll, rrp, re, im, p);
            }
        }
        normalise(cov, weight);
    }

    private static void accumulate(float[] cov, float[] weight, int j, int k, float mask, float ll, float rr,
            float re, float im, float p) {
        int c = (j * BINS + k) * 4;
        cov[c] += mask * ll;
        cov[c + 1] += mask * rr;
        cov[c + 2] += mask * re;
        cov[c + 3] += mask * im;
        weight[j * BINS + k] += mask * p;
    }

    /**
     * Writes frame {@code f}'s drums, bass and vocals estimates for both channels into
     * {@code out[stem][channel]} (packed spectra of {@code N} floats; stems in the order drums,
     * bass, vocals): the filter below {@link #bins}, the plain masks from there up.
     */
    void filterFrame(float[] left, float[] right, int f, float[] drums, float[] bass, float[] vocals, float[] other,
            float[] cov, float[][][] out) {
        int row = f * N;
        int m = f * BINS;
        float[] z = new float[4];
        float[] y = new float[4];
        float[][] masks = {drums, bass, vocals};
        for (int s = 0; s < 3; s++) {
            float[] mask = masks[s];
            float[] ol = out[s][0];
            float[] or = out[s][1];
            ol[0] = left[row] * mask[m];
            or[0] = right[row] * mask[m];
            ol[1] = left[row + 1] * mask[m + BINS - 1];
            or[1] = right[row + 1] * mask[m + BINS - 1];
            for (int k = bins, i = 2 * bins; k < BINS - 1; k++, i += 2) {
                float g = mask[m + k];
                ol[i] = left[row + i] * g;
                ol[i + 1] = left[row + i + 1] * g;
                or[i] = right[row + i] * g;
                or[i + 1] = right[row + i + 1] * g;
            }
        }
        for (int k = 1, i = 2; k < bins; k++, i += 2) {
            float ar = left[row + i];
            float ai = left[row + i + 1];
            float br = right[row + i];
            float bi = right[row + i + 1];
            float p = 0.5f * (ar * ar + ai * ai + br * br + bi * bi);
            float md = drums[m + k];
            float mb = bass[m + k];
            float mv = vocals[m + k];
            float mo = other == null ? Math.max(0f, 1f - md - mb - mv) : other[m + k];
            int cd = k * 4;
            int cb = (BINS + k) * 4;
            int co = (2 * BINS + k) * 4;
            int cv = (3 * BINS + k) * 4;
            float vd = md * p;
            float vb = mb * p;
            float vo = mo * p;
            float vv = mv * p;
            float c11 = vd * cov[cd] + vb * cov[cb] + vo * cov[co] + vv * cov[cv];
            float c22 = vd * cov[cd + 1] + vb * cov[cb + 1] + vo * cov[co + 1] + vv * cov[cv + 1];
            float c12r = vd * cov[cd + 2] + vb * cov[cb + 2] + vo * cov[co + 2] + vv * cov[cv + 2];
            float c12i = vd * cov[cd + 3] + vb * cov[cb + 3] + vo * cov[co + 3] + vv * cov[cv + 3];
            solve(c11, c22, c12r, c12i, ar, ai, br, bi, z);
            project(vd, cov, cd, z, y);
            store(out[0], i, y);
            project(vb, cov, cb, z, y);
            store(out[1], i, y);
            project(vv, cov, cv, z, y);
            store(out[2], i, y);
        }
    }

    /**
     * One EM step (as norbert's): filters every frame with the current weights and covariances,
     * then sets each source's weight to its estimate's power over the mixture power, {@code
     * (|y_L|² + |y_R|²) / (|L|² + |R|²)}, and its covariance to {@code Σ_t y yᴴ / Σ_t v} from
     * those estimates (into {@code next}, then swapped into {@code cov}). {@code other} holds
     * other's weight afterwards.
     */
    void reestimate(float[] left, float[] right, int frames, float[] drums, float[] bass, float[] vocals,
            float[] other, boolean otherIsRemainder, float[] cov, float[] next, float[] weight) {
        java.util.Arrays.fill(next, 0, 16 * BINS, 0f);
        java.util.Arrays.fill(weight, 0, 4 * BINS, 0f);
        float[][] w = {drums, bass, other, vocals};
        float[] z = new float[4];
        float[] y = new float[4];
        for (int f = 0; f < frames; f++) {
            int row = f * N;
            int m = f * BINS;
            for (int k = 1, i = row + 2; k < bins; k++, i += 2) {
                float ar = left[i];
                float ai = left[i + 1];
                float br = right[i];
                float bi = right[i + 1];
                float p = 0.5f * (ar * ar + ai * ai + br * br + bi * bi);
                if (otherIsRemainder) {
                    other[m + k] = Math.max(0f, 1f - drums[m + k] - bass[m + k] - vocals[m + k]);
                }
                float c11 = 0f;
                float c22 = 0f;
                float c12r = 0f;
                float c12i = 0f;
                for (int j = 0; j < 4; j++) {
                    float v = w[j][m + k] * p;
                    int c = (j * BINS + k) * 4;
                    c11 += v * cov[c];
                    c22 += v * cov[c + 1];
                    c12r += v * cov[c + 2];
                    c12i += v * cov[c + 3];
                }
                solve(c11, c22, c12r, c12i, ar, ai, br, bi, z);
                float pinv = p > TINY ? 1f / p : 0f;
                for (int j = 0; j < 4; j++) {
                    float v = w[j][m + k] * p;
                    int c = (j * BINS + k) * 4;
                    project(v, cov, c, z, y);
                    float y1r = y[0];
                    float y1i = y[1];
                    float y2r = y[2];
                    float y2i = y[3];
                    float yl = y1r * y1r + y1i * y1i;
                    float yr = y2r * y2r + y2i * y2i;
                    float vNew = 0.5f * (yl + yr);
                    next[c] += yl;
                    next[c + 1] += yr;
                    next[c + 2] += y1r * y2r + y1i * y2i;
                    next[c + 3] += y1i * y2r - y1r * y2i;
                    weight[j * BINS + k] += vNew;
                    w[j][m + k] = vNew * pinv;
                }
            }
        }
        normalise(next, weight);
        System.arraycopy(next, 0, cov, 0, 16 * BINS);
    }

    private void normalise(float[] cov, float[] weight) {
        for (int j = 0; j < 4; j++) {
            for (int k = 1; k < bins; k++) {
                float wsum = weight[j * BINS + k];
                int c = (j * BINS + k) * 4;
                if (wsum <= TINY) {
                    cov[c] = 1f;
                    cov[c + 1] = 1f;
                    cov[c + 2] = 0f;
                    cov[c + 3] = 0f;
                    continue;
                }
                float inv = 1f / wsum;
                cov[c] *= inv;
                cov[c + 1] *= inv;
                cov[c + 2] *= inv;
                cov[c + 3] *= inv;
            }
        }
    }

    /**
     * z = C⁻¹ x for the mixture x = (a, b) of one bin and its 2×2 Hermitian covariance C (ridged so
     * it stays invertible): z1 = (c22 a - c12 b) / det, z2 = (c11 b - conj(c12) a) / det, into
     * {@code z} = (z1r, z1i, z2r, z2i).
     */
    private static void solve(float c11, float c22, float c12r, float c12i, float ar, float ai, float br, float bi,
            float[] z) {
        float ridge = RIDGE * (c11 + c22) + TINY;
        c11 += ridge;
        c22 += ridge;
        float det = c11 * c22 - (c12r * c12r + c12i * c12i);
        float inv = det > TINY ? 1f / det : 0f;
        z[0] = (c22 * ar - (c12r * br - c12i * bi)) * inv;
        z[1] = (c22 * ai - (c12r * bi + c12i * br)) * inv;
        z[2] = (c11 * br - (c12r * ar + c12i * ai)) * inv;
        z[3] = (c11 * bi - (c12r * ai - c12i * ar)) * inv;
    }

    /**
     * y = v R z for a source of weight {@code v} and spatial covariance R ({@code cov} at
     * {@code c}): y1 = r11 z1 + r12 z2, y2 = conj(r12) z1 + r22 z2, into {@code y} = (y1r, y1i, y2r, y2i).
     */
    private static void project(float v, float[] cov, int c, float[] z, float[] y) {
        float r11 = cov[c];
        float r22 = cov[c + 1];
        float r12r = cov[c + 2];
        float r12i = cov[c + 3];
        y[0] = v * (r11 * z[0] + r12r * z[2] - r12i * z[3]);
        y[1] = v * (r11 * z[1] + r12r * z[3] + r12i * z[2]);
        y[2] = v * (r12r * z[0] + r12i * z[1] + r22 * z[2]);
        y[3] = v * (r12r * z[1] - r12i * z[0] + r22 * z[3]);
    }

    /** Bin {@code i} of both channels of a source's spectra from y. */
    private static void store(float[][] out, int i, float[] y) {
        out[0][i] = y[0];
        out[0][i + 1] = y[1];
        out[1][i] = y[2];
        out[1][i + 1] = y[3];
    }
}
