package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.SongStats;
import org.junit.jupiter.api.Test;

/** dme.djl.precision on the tiny committed model (which has the bf16 twin) through real libtorch. */
class PrecisionTest {
    /**
     * bf16 against fp32 on the tiny model: measured 49.3-55.5 dB per stem for this mixture on an
     * AVX-512 BF16 CPU, 48.5 dB on the load-time probe; the floor leaves room for other CPUs' kernels.
     */
    static final double TINY_BF16_FLOOR_DB = 40.0;

    static final DemucsOptions OPTIONS = DemucsOptions.defaults().withSegmentSeconds(1.0).withDevice("cpu").withThreads(1, 1);

    @Test
    void bf16StaysWithinItsFloorOfFp32AndIsNamedSo() {
        DemucsSeparator fp32 = DemucsSeparator.load(DemucsFixtures.tinyModel(), OPTIONS.withPrecision("fp32"));
        DemucsSeparator bf16 = DemucsSeparator.load(DemucsFixtures.tinyModel(), OPTIONS.withPrecision("bf16"));
        assertEquals("demucs:tiny-hdemucs.pt:fp32", fp32.name());
        assertEquals("demucs:tiny-hdemucs.pt:bf16", bf16.name());
        SongStats stats = new SongStats(0.01f, 0.2f);
        float[][] mix = DemucsFixtures.mixture(70_000, 3); // one full segment and an overlapped one
        float[][][] reference = fp32.separate(mix, stats);
        float[][][] reduced = bf16.separate(mix, stats);
        for (int s = 0; s < 4; s++) {
            double sdr = PrecisionChoice.worstStemSdr(new float[][][] {reference[s]}, new float[][][] {reduced[s]});
            System.out.printf("tiny model, stem %d: bf16 vs fp32 %.1f dB SDR%n", s, sdr);
            assertTrue(sdr >= TINY_BF16_FLOOR_DB, "stem " + s + ": bf16 vs fp32 " + sdr + " dB");
            assertTrue(Double.isFinite(sdr), "bf16 is a different computation, not the fp32 one");
        }
    }

    @Test
    void autoRunsBf16ExactlyWhereTheCpuHasIt() {
        DemucsSeparator auto = DemucsSeparator.load(DemucsFixtures.tinyModel(), OPTIONS.withPrecision("auto"));
        String expected = PrecisionChoice.cpuHasBf16() ? "bf16" : "fp32";
        assertEquals("demucs:tiny-hdemucs.pt:" + expected, auto.name(), "tiny model's probe passes the 30 dB bar");
    }

    @Test
    void readsBf16FromCpuFlags() {
        assertTrue(PrecisionChoice.flagsHaveBf16("processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16 avx512_vnni\n"));
        assertTrue(PrecisionChoice.flagsHaveBf16("flags\t\t: fpu amx_bf16 amx_tile\n"));
        assertTrue(PrecisionChoice.flagsHaveBf16("Features\t: fp asimd bf16 i8mm\n"));
        assertFalse(PrecisionChoice.flagsHaveBf16("flags\t\t: fpu avx2 avx512f avx512_vnni\n"));
        assertFalse(PrecisionChoice.flagsHaveBf16(""));
        float[][][] a = {{{1f, -1f}}};
        assertEquals(Double.POSITIVE_INFINITY, PrecisionChoice.worstStemSdr(a, a));
        assertNotEquals(Double.POSITIVE_INFINITY, PrecisionChoice.worstStemSdr(a, new float[][][] {{{1f, -0.9f}}}));
    }
}
