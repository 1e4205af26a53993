package dme.job.separate.demucs;

import dme.core.DmeConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How a Demucs model runs in this JVM.
 *
 * @param segmentSeconds length the model sees per forward pass; shorter chunks are zero-padded to
 *     it, longer ones are cut into overlapping segments of it (Demucs' own default is about 10 s)
 * @param numThreads libtorch intra-op threads per task; 0 derives them from the executor's cores
 *     and concurrent tasks (see {@link ThreadSettings})
 * @param interopThreads libtorch inter-op threads; 0 means 1 (the model has no parallel branches)
 * @param device {@code auto} (a GPU when the CUDA native library is on the classpath and a GPU is
 *     present, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param cacheDir where DJL extracts libtorch (its {@code ENGINE_CACHE_DIR}); empty keeps DJL's
 *     default ({@code ~/.djl.ai}, or {@code ENGINE_CACHE_DIR}/{@code DJL_CACHE_DIR} when set)
 * @param precision {@code fp32}, {@code bf16} or {@code auto} (see {@link PrecisionChoice})
 * @param graphOptimizer whether TorchScript's graph executor optimises (profiles, then fuses) the
 *     model's graph: it costs each new input shape a few slow first calls
 */
public record DemucsOptions(double segmentSeconds, int numThreads, int interopThreads, String device,
        Optional<Path> cacheDir, String precision, boolean graphOptimizer) {

    public static final double DEFAULT_SEGMENT_SECONDS = 10.0;

    public DemucsOptions {
        if (!(segmentSeconds > 0 && segmentSeconds <= 600)) {
            throw new IllegalArgumentException("Demucs segment must be in (0, 600] seconds, got " + segmentSeconds);
        }
        if (numThreads < 0 || interopThreads < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0 = derive), got " + numThreads
                    + " and " + interopThreads);
        }
        device = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
        if (!device.matches("auto|cpu|gpu(:\\d+)?")) {
            throw new IllegalArgumentException("Demucs device must be auto, cpu, gpu or gpu:N, got '" + device + "'");
        }
        cacheDir = cacheDir == null ? Optional.empty() : cacheDir;
        precision = PrecisionChoice.checkSetting(precision);
    }

    /** 10 s segments, derived threads, automatic device, DJL's default cache, automatic precision, no graph optimisation. */
    public static DemucsOptions defaults() {
        return new DemucsOptions(DEFAULT_SEGMENT_SECONDS, 0, 0, "auto", Optional.empty(), PrecisionChoice.AUTO, false);
    }

    /** The options dme's configuration asks for ({@code dme.demucs.*}, {@code dme.djl.*}). */
    public static DemucsOptions from(DmeConfig config) {
        return new DemucsOptions(config.demucsSegmentSeconds(), config.djlThreads(), config.djlInteropThreads(),
                config.djlDevice(), config.djlCacheDir().map(Path::of), config.djlPrecision(), config.djlGraphOptimizer());
    }

    public DemucsOptions withSegmentSeconds(double seconds) {
        return new DemucsOptions(seconds, numThreads, interopThreads, device, cacheDir, precision, graphOptimizer);
    }

    public DemucsOptions withThreads(int intraOp, int interOp) {
        return new DemucsOptions(segmentSeconds, intraOp, interOp, device, cacheDir, precision, graphOptimizer);
    }

    public DemucsOptions withDevice(String newDevice) {
        return new DemucsOptions(segmentSeconds, numThreads, interopThreads, newDevice, cacheDir, precision, graphOptimizer);
    }

    public DemucsOptions withPrecision(String newPrecision) {
        return new DemucsOptions(segmentSeconds, numThreads, interopThreads, device, cacheDir, newPrecision, graphOptimizer);
    }

    public DemucsOptions withGraphOptimizer(boolean on) {
        return new DemucsOptions(segmentSeconds, numThreads, interopThreads, device, cacheDir, precision, on);
    }

    /** Segment length in frames at {@code sampleRate}. */
    public int segmentFrames(int sampleRate) {
        return (int) Math.round(segmentSeconds * sampleRate);
    }
}
