package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dme.core.SongStats;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tiny committed HDemucs through real DJL/libtorch, offline. */
class DemucsSeparatorTest {
    /** A 1 s segment keeps the tiny model fast; the pipeline's default is 10 s. fp32: the exact path. */
    static final DemucsOptions OPTIONS = DemucsOptions.defaults().withSegmentSeconds(1.0).withDevice("cpu").withThreads(1, 1)
            .withPrecision("fp32");

    @BeforeEach
    void offline() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests must run DJL offline");
    }

    @Test
    void separatesChunksShorterEqualAndLongerThanOneSegment() {
        DemucsSeparator separator = DemucsSeparator.load(DemucsFixtures.tinyModel(), OPTIONS);
        assertEquals("demucs:tiny-hdemucs.pt:fp32", separator.name());
        assertEquals(44_100, separator.segmentFrames());
        SongStats stats = new SongStats(0.01f, 0.2f);
        for (int n : new int[] {13_230, 44_100, 101_430}) {
            float[][][] stems = separator.separate(DemucsFixtures.mixture(n, n), stats);
            assertEquals(4, stems.length);
            for (float[][] stem : stems) {
                assertEquals(2, stem.length);
                for (float[] row : stem) {
                    assertEquals(n, row.length, "frames for input of " + n);
                    for (float v : row) {
                        assertTrue(Float.isFinite(v));
                    }
                }
            }
            assertTrue(energy(stems[0][0]) > 0, "a model output is not all zero");
            assertEquals("true", System.getProperty("ai.djl.offline"));
        }
        float[][][] none = separator.separate(new float[2][0], stats);
        assertEquals(4, none.length);
        assertEquals(0, none[3][1].length);
    }

    @Test
    void longChunkIsOverlapAddOfSegments() {
        DemucsSeparator separator = DemucsSeparator.load(DemucsFixtures.tinyModel(), OPTIONS);
        SongStats stats = new SongStats(0f, 0.25f);
        int segment = separator.segmentFrames();
        float[][] song = DemucsFixtures.mixture(2 * segment + 1234, 7);
        float[][] first = {java.util.Arrays.copyOf(song[0], segment), java.util.Arrays.copyOf(song[1], segment)};
        float[][][] whole = separator.separate(song, stats);
        float[][][] alone = separator.separate(first, stats);
        int stride = (int) Math.round(segment * (1 - DemucsSeparator.OVERLAP));
        for (int s = 0; s < 4; s++) {
            for (int c = 0; c < 2; c++) {
                // only the first segment covers [0, stride): the blend must give exactly its output
                assertArrayEquals(java.util.Arrays.copyOf(alone[s][c], stride),
                        java.util.Arrays.copyOf(whole[s][c], stride), "stem " + s + " channel " + c);
                // where the second segment overlaps, the blend differs from the first segment alone
                double diff = DemucsFixtures.maxAbsDiff(java.util.Arrays.copyOfRange(alone[s][c], stride, segment),
                        java.util.Arrays.copyOfRange(whole[s][c], stride, segment));
                assertTrue(diff > 0, "overlap region blends two segments");
            }
        }
    }

    @Test
    void matchesPythonOutputOfTheSameTorchScript() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(DemucsFixtures.resource("reference.json").toFile());
        int frames = ref.get("frames").asInt();
        int segment = ref.get("segmentFrames").asInt();
        float[][] input = DemucsFixtures.readS16(DemucsFixtures.resource(ref.at("/input/file").asText()), 2, frames,
                ref.at("/input/scale").asDouble());
        float[][] expected = DemucsFixtures.readF32(DemucsFixtures.resource(ref.at("/output/file").asText()), 8,
                frames);
        SongStats stats = new SongStats((float) ref.get("mean").asDouble(), (float) ref.get("std").asDouble());
        DemucsSeparator separator = DemucsSeparator.load(DemucsFixtures.resource(ref.get("model").asText()),
                OPTIONS.withSegmentSeconds((double) segment / DemucsFixtures.RATE));
        assertEquals(segment, separator.segmentFrames());

        float[][][] stems = separator.separate(input, stats);
        double worst = 0;
        double largest = 0;
        for (int r = 0; r < 8; r++) {
            float[] actual = stems[r / 2][r % 2];
            worst = Math.max(worst, DemucsFixtures.maxAbsDiff(expected[r], actual));
            for (float v : expected[r]) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        System.out.printf("Java vs Python (torch %s): max abs diff %.3g, max |output| %.3g%n",
                ref.get("torch").asText(), worst, largest);
        assertTrue(largest > 1e-2, "the reference is not trivially small");
        assertTrue(worst <= 1e-4, "max abs difference Java vs Python " + worst);
    }

    private static double energy(float[] x) {
        double e = 0;
        for (float v : x) {
            e += (double) v * v;
        }
        return e;
    }
}
