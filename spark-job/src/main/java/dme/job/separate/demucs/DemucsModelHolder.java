package dme.job.separate.demucs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-executor Demucs model holder: with {@link dme.job.separate.ExecutorSeparator}, the one
 * piece of static mutable state in dme.
 *
 * <p>A full HDemucs costs ~340 MB and seconds to load, so each JVM loads a given model file once
 * and every task thread shares it. Models are keyed by the file's real path, size and modification
 * time (a replaced file is a new model), by the device and by the precision setting; they stay
 * loaded for the life of the JVM. The precision is decided once per load ({@link PrecisionChoice})
 * and logged with it. {@link #loads()} counts the loads in this JVM, so that tests and job rows can
 * check "once per executor".
 *
 * <p>The holder also starts DJL's PyTorch engine, once per JVM and before anything else touches
 * it: offline ({@code ai.djl.offline=true}: without it DJL may try the network), with libtorch
 * extracted to {@link DemucsOptions#cacheDir()} when given, and with the thread counts of
 * {@link ThreadSettings#forThisJvm}.
 */
public final class DemucsModelHolder {
    private static final Logger LOG = LoggerFactory.getLogger(DemucsModelHolder.class);
    static final String ENGINE = "PyTorch";

    /** Guarded by the class lock, like every field below. */
    private static final Map<String, DemucsModel> MODELS = new HashMap<>();
    private static final Map<Path, Integer> LOADS_BY_FILE = new HashMap<>();
    private static int loads;
    private static ThreadSettings engineThreads;

    private DemucsModelHolder() {}

    /** The model in {@code file} for {@code options.device()}, loaded on first use in this JVM. */
    static synchronized DemucsModel acquire(Path file, DemucsOptions options) {
        Path real = checkFile(file);
        Engine engine = startEngine(options);
        Device device = device(engine, options.device());
        String key;
        try {
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            key = real + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|" + device + "|"
                    + options.precision();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read Demucs model file " + file + ": " + e.getMessage(), e);
        }
        DemucsModel cached = MODELS.get(key);
        if (cached != null) {
            return cached;
        }
        long t0 = System.nanoTime();
        Model model = Model.newInstance("demucs", device, ENGINE);
        DemucsModel loaded;
        PrecisionChoice choice;
        try {
            model.load(real);
            loaded = new DemucsModel(real, model, (System.nanoTime() - t0) / 1_000_000);
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
                    + DemucsModel.firstLine(e) + "). Export one with scripts/export_demucs.py; a state_dict "
                    + "saved with torch.save is not enough.", e);
        }
        MODELS.put(key, loaded);
        LOADS_BY_FILE.merge(real, 1, Integer::sum);
        loads++;
        LOG.info("Demucs model {} loaded on {} in {} ms (model load #{} in this JVM), precision {}: {}",
                real.getFileName(), device, loaded.loadMillis(), loads, choice.precision().label(), choice.reason());
        return loaded;
    }

    /** Models loaded in this JVM so far. */
    public static synchronized int loads() {
        return loads;
    }

    /** Times {@code file} was loaded in this JVM (more than once only if the file changed or for another device). */
    public static synchronized int loads(Path file) {
        try {
            return LOADS_BY_FILE.getOrDefault(file.toRealPath(), 0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The thread settings libtorch was started with in this JVM; null before the first load. */
    public static synchronized ThreadSettings engineThreads() {
        return engineThreads;
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
    private static Engine startEngine(DemucsOptions options) {
        ThreadSettings wanted = ThreadSettings.forThisJvm(options);
        boolean first = engineThreads == null;
        if (first) {
            System.setProperty("ai.djl.offline", "true");
            options.cacheDir().ifPresent(dir -> System.setProperty("ENGINE_CACHE_DIR", dir.toAbsolutePath().toString()));
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(wanted.intraOp()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(wanted.interOp()));
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new ModelLoadException("DJL's PyTorch engine could not start offline (libtorch comes from "
                    + "ai.djl.pytorch:pytorch-native-cpu on the classpath; engine cache "
                    + options.cacheDir().map(Path::toString).orElse("DJL default") + "): " + DemucsModel.firstLine(e), e);
        }
        if (first) {
            // If something else started the engine before us, the intra-op count can still be set.
            if (JniUtils.getNumThreads() != wanted.intraOp()) {
                JniUtils.setNumThreads(wanted.intraOp());
            }
            engineThreads = new ThreadSettings(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
            LOG.info("DJL {} {} started offline: libtorch intra-op threads {}, inter-op threads {}", ENGINE,
                    engine.getVersion(), engineThreads.intraOp(), engineThreads.interOp());
        } else if (engineThreads.intraOp() != wanted.intraOp()) {
            LOG.warn("libtorch already runs with {} intra-op threads in this JVM; ignoring a request for {}",
                    engineThreads.intraOp(), wanted.intraOp());
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
