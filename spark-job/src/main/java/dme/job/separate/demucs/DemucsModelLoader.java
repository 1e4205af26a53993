package dme.job.separate.demucs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dme.core.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Demucs TorchScript file with DJL's PyTorch engine: checks the file first (clear messages
 * for a missing, empty or non-TorchScript file), checks the model's contract on a probe, and decides
 * the precision ({@link PrecisionChoice}), logged with the load. Nothing is cached here: the one
 * holder of loaded separators is {@link dme.job.separate.ExecutorSeparator}.
 *
 * <p>The first load starts DJL's PyTorch engine, once per JVM and before anything else touches it:
 * offline ({@code ai.djl.offline=true}: without it DJL may try the network), with libtorch extracted
 * to {@link DemucsOptions#cacheDir()} when given, and with the thread counts of
 * {@link ThreadSettings#forThisJvm}.
 */
final class DemucsModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(DemucsModelLoader.class);
    static final String ENGINE = "PyTorch";
    private static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";

    private DemucsModelLoader() {}

    /** The model in {@code file} for {@code options.device()}; the caller owns (and closes) it. */
    static DemucsModel load(Path file, DemucsOptions options) {
        Path real = checkFile(file);
        Engine engine = startEngine(options);
        Device device = device(engine, options.device());
        long t0 = System.nanoTime();
        Model model = Model.newInstance("demucs", device, ENGINE);
        DemucsModel loaded;
        PrecisionChoice choice;
        try {
            model.load(real);
            loaded = new DemucsModel(real, model, (System.nanoTime() - t0) / 1_000_000, options.graphOptimizer());
            float[][][] fp32Probe = loaded.checkContract();
            choice = PrecisionChoice.choose(options.precision(), loaded, Device.cpu().equals(device),
                    DemucsModel.probeInput(), fp32Probe);
            loaded = loaded.withPrecision(choice.precision());
        } catch (ModelLoadException e) {
            model.close();
            throw e;
        } catch (Exception e) {
            model.close();
            throw new ModelLoadException("Demucs model file " + file + " is not a loadable TorchScript module ("
                    + Messages.firstLine(e) + "). Export one with scripts/export_demucs.py; a state_dict "
                    + "saved with torch.save is not enough.", e);
        }
        LOG.info("Demucs model {} loaded on {} in {} ms, precision {}: {}",
                real.getFileName(), device, loaded.loadMillis(), choice.precision().label(), choice.reason());
        return loaded;
    }

    /** The thread counts libtorch runs with in this JVM (its pools are process-wide). */
    static ThreadSettings engineThreads() {
        return new ThreadSettings(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    private static Path checkFile(Path file) {
        if (file == null) {
            throw new ModelLoadException("no Demucs model file given (dme.model)");
        }
        if (!Files.exists(file)) {
            throw new ModelLoadException("Demucs model file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelLoadException("Demucs model file " + file + " is not a readable regular file");
        }
        byte[] magic = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, magic.length);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read Demucs model file " + file + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new ModelLoadException("Demucs model file " + file + " is empty");
        }
        // TorchScript files are zip archives; checking here gives a clearer message than libtorch's.
        if (n < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
            throw new ModelLoadException("Demucs model file " + file + " is not a TorchScript file (not a zip "
                    + "archive). Export one with scripts/export_demucs.py.");
        }
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new ModelLoadException("cannot resolve Demucs model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the engine with this JVM's settings on first use. libtorch's thread pools are
     * process-wide, so the first load decides them; a later load asking for other counts is logged
     * and otherwise ignored.
     */
    private static synchronized Engine startEngine(DemucsOptions options) {
        ThreadSettings wanted = ThreadSettings.forThisJvm(options);
        // The engine reads these when it starts: set by the first load of the process, kept after.
        boolean first = System.getProperty(INTRA_OP_PROPERTY) == null;
        if (first) {
            System.setProperty("ai.djl.offline", "true");
            options.cacheDir().ifPresent(dir -> System.setProperty("ENGINE_CACHE_DIR", dir.toAbsolutePath().toString()));
            System.setProperty(INTRA_OP_PROPERTY, Integer.toString(wanted.intraOp()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(wanted.interOp()));
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("DJL's PyTorch engine could not start offline (libtorch comes from "
                    + "ai.djl.pytorch:pytorch-native-cpu on the classpath; engine cache "
                    + options.cacheDir().map(Path::toString).orElse("DJL default") + "): " + Messages.firstLine(e), e);
        }
        if (first) {
            // If something else started the engine before us, the intra-op count can still be set.
            if (JniUtils.getNumThreads() != wanted.intraOp()) {
                JniUtils.setNumThreads(wanted.intraOp());
            }
            ThreadSettings now = engineThreads();
            LOG.info("DJL {} {} started offline: libtorch intra-op threads {}, inter-op threads {}", ENGINE,
                    engine.getVersion(), now.intraOp(), now.interOp());
        } else if (JniUtils.getNumThreads() != wanted.intraOp()) {
            LOG.warn("libtorch already runs with {} intra-op threads in this JVM; ignoring a request for {}",
                    JniUtils.getNumThreads(), wanted.intraOp());
        }
        return engine;
    }

    private static Device device(Engine engine, String wanted) {
        int gpus = engine.getGpuCount();
        if ("auto".equals(wanted)) {
            return gpus > 0 ? Device.gpu(Math.min(sparkAssignedGpu(), gpus - 1)) : Device.cpu();
        }
        if ("cpu".equals(wanted)) {
            return Device.cpu();
        }
        int id = wanted.startsWith("gpu:") ? Integer.parseInt(wanted.substring(4)) : sparkAssignedGpu();
        if (id >= gpus) {
            throw new ModelLoadException("dme.djl.device=" + wanted + " but DJL's PyTorch engine sees " + gpus
                    + " GPU(s): put ai.djl.pytorch:pytorch-native-cu* (linux-x86_64) on the classpath instead of "
                    + "pytorch-native-cpu, or use auto/cpu");
        }
        return Device.gpu(id);
    }

    /**
     * The GPU Spark's resource scheduling gave the running task ({@code spark.task.resource.gpu.amount},
     * docs/DEPLOY.md), so that executors sharing a machine use different GPUs; 0 outside a task or
     * without GPU scheduling. Executors keep one GPU each, so the first task's answer holds for the JVM.
     */
    private static int sparkAssignedGpu() {
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        if (task == null) {
            return 0;
        }
        org.apache.spark.resource.ResourceInformation gpu = task.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return 0;
        }
        try {
            return Integer.parseInt(gpu.addresses()[0].trim());
        } catch (NumberFormatException e) {
            return 0; // a discovery script that names GPUs otherwise: CUDA's first visible device
        }
    }
}
