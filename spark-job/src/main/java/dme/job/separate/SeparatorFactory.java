package dme.job.separate;

import dme.core.DmeConfig;
import dme.job.separate.demucs.DemucsOptions;
import dme.job.separate.demucs.DemucsSeparator;
import dme.job.separate.spectral.SpectralSeparator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Chooses and builds the separator from the configuration: {@code spectral}, {@code demucs} (needs
 * {@code dme.model}), or {@code auto} = Demucs when a model is configured, the built-in separator
 * otherwise. {@code dme.separator.class} names a separator class that replaces all of them (for
 * experiments and tests).
 */
public final class SeparatorFactory {
    private SeparatorFactory() {}

    /** The separator kind {@code auto} resolves to. */
    public static DmeConfig.SeparatorKind resolve(DmeConfig config) {
        DmeConfig.SeparatorKind kind = config.separator();
        if (kind == DmeConfig.SeparatorKind.AUTO) {
            return config.model().isPresent() ? DmeConfig.SeparatorKind.DEMUCS : DmeConfig.SeparatorKind.SPECTRAL;
        }
        if (kind == DmeConfig.SeparatorKind.DEMUCS && config.model().isEmpty()) {
            throw new IllegalArgumentException("dme.separator=demucs needs dme.model (a TorchScript file path)");
        }
        return kind;
    }

    /**
     * Identity of the separator a configuration asks for; a different key means a different
     * separator. A Demucs model is identified by its local file's real path, size and modification
     * time too, so a replaced file is loaded anew.
     */
    static String key(DmeConfig config, Configuration hadoopConf) {
        if (config.separatorClass().isPresent()) {
            return "class:" + config.separatorClass().get();
        }
        if (resolve(config) == DmeConfig.SeparatorKind.SPECTRAL) {
            return "spectral";
        }
        Path local = localModel(config, hadoopConf);
        String file;
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(local, java.nio.file.attribute.BasicFileAttributes.class);
            file = local.toRealPath() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            file = local.toString(); // missing or unreadable: loading it reports why
        }
        return "demucs|" + file + "|" + DemucsOptions.from(config);
    }

    public static Separator create(DmeConfig config, Configuration hadoopConf) {
        if (config.separatorClass().isPresent()) {
            return byClassName(config.separatorClass().get());
        }
        if (resolve(config) == DmeConfig.SeparatorKind.SPECTRAL) {
            return new SpectralSeparator();
        }
        Path local = localModel(config, hadoopConf);
        return DemucsSeparator.load(local, DemucsOptions.from(config));
    }

    private static Separator byClassName(String className) {
        try {
            Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            if (!Separator.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException(DmeConfig.SEPARATOR_CLASS + ": " + className + " is not a Separator");
            }
            return (Separator) c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(DmeConfig.SEPARATOR_CLASS + ": cannot create " + className + ": " + e, e);
        }
    }

    /**
     * Fails once, on the driver at start-up, when the configured model is missing or broken, rather
     * than on every chunk.
     */
    public static void validate(DmeConfig config, Configuration hadoopConf) {
        ExecutorSeparator.get(config, hadoopConf);
    }

    /** Copies the model from any Hadoop path to local disk once per JVM (libtorch loads local files). */
    static Path localModel(DmeConfig config, Configuration hadoopConf) {
        String model = config.model().orElseThrow();
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(model);
        try {
            FileSystem fs = src.getFileSystem(hadoopConf);
            if ("file".equals(fs.getUri().getScheme())) {
                return Path.of(fs.makeQualified(src).toUri());
            }
            Path dir = config.localTmp().resolve("dme-models");
            Files.createDirectories(dir);
            Path local = dir.resolve(Integer.toHexString(model.hashCode()) + "-" + src.getName());
            if (!Files.exists(local)) {
                Path part = Files.createTempFile(dir, "model-", ".part");
                Files.delete(part);
                fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(part.toUri()), true);
                Files.move(part, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return local;
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("model file " + model + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy model " + model + ": " + e.getMessage(), e);
        }
    }
}
