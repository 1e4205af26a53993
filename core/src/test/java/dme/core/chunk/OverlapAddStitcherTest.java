package dme.core.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OverlapAddStitcherTest {
    private static final int SEGMENT = 1000;

    private static float[][] noise(int channels, int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][n];
        for (float[] c : x) {
            for (int i = 0; i < n; i++) {
                c[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
        return x;
    }

    /** Cuts {@code song} as the plan says, applies {@code perChunk} and stitches the results. */
    private static float[][] chunkProcessStitch(float[][] song, ChunkPlan plan, UnaryOperator<float[][]> perChunk)
            throws Exception {
        int rows = song.length;
        int n = song[0].length;
        float[][] out = new float[rows][n];
        int[] written = {0};
        OverlapAddStitcher st = new OverlapAddStitcher(plan, rows, (buf, off, len) -> {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(buf[r], off, out[r], written[0], len);
            }
            written[0] += len;
        });
        for (int k = 0; k < plan.chunkCount(); k++) {
            int o = (int) plan.offset(k);
            int len = plan.length(k);
            float[][] chunk = new float[rows][];
            for (int r = 0; r < rows; r++) {
                chunk[r] = Arrays.copyOfRange(song[r], o, o + len);
            }
            st.add(k, perChunk.apply(chunk));
        }
        st.finish();
        assertEquals(n, written[0], "every sample is emitted exactly once");
        return out;
    }

    @ParameterizedTest(name = "{0} samples")
    @ValueSource(ints = {1, 7, 999, 1000, 1001, 1750, 2500, 12_345})
    void stitchingUntouchedChunksIsTheIdentity(int n) throws Exception {
        float[][] song = noise(2, n, n);
        ChunkPlan plan = new ChunkPlan(n, SEGMENT, 750);
        float[][] out = chunkProcessStitch(song, plan, c -> c);
        for (int ch = 0; ch < 2; ch++) {
            assertArrayEquals(song[ch], out[ch], "channel " + ch + " must come back bit for bit");
        }
    }

    @ParameterizedTest(name = "overlap {0}")
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.75, 0.9})
    void identityHoldsForAnyOverlap(double overlap) throws Exception {
        int n = 44_100 * 3 + 17;
        float[][] song = noise(2, n, 3);
        ChunkPlan plan = ChunkPlan.of(n, 1.0, overlap, 44_100);
        float[][] out = chunkProcessStitch(song, plan, c -> c);
        assertArrayEquals(song[0], out[0]);
        assertArrayEquals(song[1], out[1]);
    }

    @ParameterizedTest(name = "{0} samples")
    @ValueSource(ints = {5, 1000, 4321})
    void perSampleSeparatorStitchesToItsWholeSongOutput(int n) throws Exception {
        // A per-sample "separator": 4 stems × 2 channels, each a different nonlinear function of x.
        UnaryOperator<float[][]> separator = mix -> {
            int len = mix[0].length;
            float[][] stems = new float[8][len];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < len; i++) {
                    float x = mix[c][i];
                    stems[c][i] = x * 0.5f;
                    stems[2 + c][i] = (float) Math.tanh(x);
                    stems[4 + c][i] = x * x;
                    stems[6 + c][i] = x - (float) Math.tanh(x) - x * 0.5f;
                }
            }
            return stems;
        };
        float[][] song = noise(2, n, 11);
        float[][] whole = separator.apply(song);
        float[][] stitched = new float[8][];
        // Stitch the 8 stem rows: the chunks are cut from the mixture, separated, then stitched.
        ChunkPlan plan = new ChunkPlan(n, SEGMENT, 750);
        float[][] out = new float[8][n];
        int[] pos = {0};
        OverlapAddStitcher st = new OverlapAddStitcher(plan, 8, (buf, off, len) -> {
            for (int r = 0; r < 8; r++) {
                System.arraycopy(buf[r], off, out[r], pos[0], len);
            }
            pos[0] += len;
        });
        for (int k = 0; k < plan.chunkCount(); k++) {
            int o = (int) plan.offset(k);
            int len = plan.length(k);
            st.add(k, separator.apply(new float[][] {
                Arrays.copyOfRange(song[0], o, o + len), Arrays.copyOfRange(song[1], o, o + len)}));
        }
        st.finish();
        for (int r = 0; r < 8; r++) {
            assertArrayEquals(whole[r], out[r], "stem row " + r);
        }
        assertEquals(n, pos[0]);
    }

    @Test
    void chunkWiseProcessingReallyBlendsNeighbours() throws Exception {
        // Guards the test above against a stitcher that only keeps one chunk per sample: scaling
        // chunk k by (k+1) must give a blend (not any single factor) inside overlaps.
        int n = 2500;
        float[][] ones = new float[1][n];
        Arrays.fill(ones[0], 1f);
        ChunkPlan plan = new ChunkPlan(n, SEGMENT, 750);
        int[] k = {0};
        float[][] out = chunkProcessStitch(ones, plan, c -> {
            float f = ++k[0];
            float[][] s = new float[1][c[0].length];
            for (int i = 0; i < s[0].length; i++) {
                s[0][i] = c[0][i] * f;
            }
            return s;
        });
        assertEquals(1f, out[0][0], 0f);
        // Sample 800 lies in chunk 0 (weight 200) and chunk 1 (weight 51): a weighted blend.
        double expected = (200 * 1.0 + 51 * 2.0) / (200 + 51);
        assertEquals(expected, out[0][800], 1e-6);
    }

    @Test
    void outOfOrderOrMissingChunksAreRejected() throws Exception {
        ChunkPlan plan = new ChunkPlan(2000, SEGMENT, 750);
        OverlapAddStitcher st = new OverlapAddStitcher(plan, 1, (b, o, l) -> {});
        assertThrows(IllegalStateException.class, () -> st.add(1, new float[1][1000]));
        st.add(0, new float[1][1000]);
        assertThrows(IllegalStateException.class, st::finish);
    }

    @Test
    void planMatchesDemucsSegmentation() {
        ChunkPlan plan = ChunkPlan.of(44_100 * 25, 10, 0.25, 44_100);
        assertEquals(441_000, plan.segmentFrames());
        assertEquals(330_750, plan.strideFrames());
        assertEquals(4, plan.chunkCount());
        assertEquals(3 * 330_750L, plan.offset(3));
        assertEquals(44_100 * 25 - 3 * 330_750, plan.length(3));
        assertEquals(1, plan.weight(0));
        assertEquals(220_500, plan.weight(220_499));
        assertEquals(220_500, plan.weight(220_500));
        assertEquals(1, plan.weight(440_999));
        assertEquals(0, ChunkPlan.of(0, 10, 0.25, 44_100).chunkCount());
    }
}
