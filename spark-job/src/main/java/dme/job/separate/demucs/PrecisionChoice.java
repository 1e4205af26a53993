package dme.job.separate.demucs;

import dme.core.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which precision a loaded model runs in, from {@code dme.djl.precision}:
 * {@code fp32}; {@code bf16} (the file must have {@code forward_bf16}); or {@code auto}: bf16 when
 * the CPU has bf16 instructions, the file has the bf16 twin and, on a short probe, the bf16 output
 * is within {@link #MIN_SDR_DB} of the fp32 output; fp32 otherwise.
 *
 * @param precision what the model runs in
 * @param sdrDb SDR of the bf16 probe output against the fp32 one (worst stem), NaN when not probed
 * @param reason one line for the executor log
 */
record PrecisionChoice(Precision precision, double sdrDb, String reason) {

    /** Fidelity auto asks of bf16 against fp32 on the probe (the bar docs/PERFORMANCE.md measures). */
    static final double MIN_SDR_DB = 30.0;

    static final String FP32 = "fp32";
    static final String BF16 = "bf16";
    static final String AUTO = "auto";

    /** Normalises and checks a {@code dme.djl.precision} value. */
    static String checkSetting(String value) {
        String v = value == null ? AUTO : value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(FP32) && !v.equals(BF16) && !v.equals(AUTO)) {
            throw new IllegalArgumentException("Demucs precision (dme.djl.precision) must be fp32, bf16 or auto, got '"
                    + value + "'");
        }
        return v;
    }

    /**
     * Decides for {@code model} (loaded, contract checked). {@code fp32Probe} is the model's fp32
     * output for {@code probe}; on a GPU, auto stays fp32 (bf16 is measured for the CPU only).
     */
    static PrecisionChoice choose(String setting, DemucsModel model, boolean onCpu, float[][] probe,
            float[][][] fp32Probe) {
        boolean hasTwin = model.hasMethod(Precision.BF16.method());
        switch (setting) {
            case FP32:
                return new PrecisionChoice(Precision.FP32, Double.NaN, "dme.djl.precision=fp32");
            case BF16: {
                if (!hasTwin) {
                    throw new ModelLoadException("dme.djl.precision=bf16 but " + model.file().getFileName()
                            + " has no forward_bf16 method: export it again with scripts/export_demucs.py "
                            + "(without --no-bf16), or use fp32/auto");
                }
                double sdr = probeSdr(model, probe, fp32Probe);
                return new PrecisionChoice(Precision.BF16, sdr, String.format(Locale.ROOT,
                        "dme.djl.precision=bf16 (probe: %.1f dB SDR against fp32)", sdr));
            }
            default: {
                if (!onCpu) {
                    return new PrecisionChoice(Precision.FP32, Double.NaN, "auto: fp32 on " + model.device());
                }
                if (!cpuHasBf16()) {
                    return new PrecisionChoice(Precision.FP32, Double.NaN,
                            "auto: fp32, this CPU has no bf16 instructions (avx512_bf16, amx_bf16)");
                }
                if (!hasTwin) {
                    return new PrecisionChoice(Precision.FP32, Double.NaN,
                            "auto: fp32, the model file has no forward_bf16 (exported with --no-bf16 or before it)");
                }
                double sdr = probeSdr(model, probe, fp32Probe);
                Precision p = sdr >= MIN_SDR_DB ? Precision.BF16 : Precision.FP32;
                return new PrecisionChoice(p, sdr, String.format(Locale.ROOT,
                        "auto: %s, bf16 probe %.1f dB SDR against fp32 (needs >= %.0f dB)", p.label(), sdr,
                        MIN_SDR_DB));
            }
        }
    }

    /** Worst-stem SDR of the bf16 output for {@code probe} against {@code fp32Probe}. */
    static double probeSdr(DemucsModel model, float[][] probe, float[][][] fp32Probe) {
        float[][][] bf16;
        try {
            bf16 = model.forward(probe, probe[0].length, Precision.BF16);
        } catch (RuntimeException e) {
            throw new ModelLoadException("Demucs model " + model.file() + " fails in bf16 (forward_bf16): "
                    + Messages.firstLine(e), e);
        }
        return worstStemSdr(fp32Probe, bf16);
    }

    /** min over stems of 10·log10(Σ ref² / Σ (ref − est)²); +∞ for identical stems. */
    static double worstStemSdr(float[][][] reference, float[][][] estimate) {
        double worst = Double.POSITIVE_INFINITY;
        for (int s = 0; s < reference.length; s++) {
            double signal = 0;
            double error = 0;
            for (int c = 0; c < reference[s].length; c++) {
                for (int i = 0; i < reference[s][c].length; i++) {
                    double r = reference[s][c][i];
                    double d = r - estimate[s][c][i];
                    signal += r * r;
                    error += d * d;
                }
            }
            double sdr = error == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / error);
            worst = Math.min(worst, Double.isNaN(sdr) ? Double.NEGATIVE_INFINITY : sdr);
        }
        return worst;
    }

    /** Whether this CPU advertises bf16 arithmetic (Linux x86: avx512_bf16 or amx_bf16; ARM: bf16). */
    static boolean cpuHasBf16() {
        return flagsHaveBf16(readCpuInfo());
    }

    static boolean flagsHaveBf16(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("flags") || l.startsWith("features")) {
                for (String flag : l.substring(l.indexOf(':') + 1).trim().split("\\s+")) {
                    if (flag.equals("avx512_bf16") || flag.equals("amx_bf16") || flag.equals("bf16")) {
                        return true;
                    }
                }
                return false; // every processor lists the same flags
            }
        }
        return false;
    }

    private static String readCpuInfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: no way to tell, stay fp32
        }
    }
}
