package dme.job.separate;

import dme.core.DmeConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-executor separator holder: the one piece of static mutable state in dme.
 *
 * <p>Loading a model costs seconds and hundreds of megabytes, so each executor JVM creates its
 * separator once, on first use, and every task thread of that JVM shares it (separators are
 * thread-safe). Each configuration gets its own, kept for the JVM's life (an executor serves one
 * configuration; tests switch between several); a Demucs model file that was replaced is a new
 * configuration ({@link SeparatorFactory#key}). The driver's start-up check goes through here too,
 * so in local mode the model it loaded is the one the tasks use.
 */
public final class ExecutorSeparator {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSeparator.class);

    /** Guarded by the class lock. */
    private static final Map<String, Held> BY_KEY = new HashMap<>();

    private ExecutorSeparator() {}

    /**
     * A shared separator, and how many times this JVM created one for its configuration (recorded
     * on every job row, so that "loaded once per executor" is checkable).
     */
    public record Held(Separator separator, int loads) {}

    /** The separator {@code config} asks for, created on first use in this JVM. */
    public static synchronized Held get(DmeConfig config, Configuration hadoopConf) {
        String key = SeparatorFactory.key(config, hadoopConf);
        Held existing = BY_KEY.get(key);
        if (existing != null) {
            return existing;
        }
        long t0 = System.nanoTime();
        Held created = new Held(SeparatorFactory.create(config, hadoopConf), 1);
        BY_KEY.put(key, created);
        LOG.info("separator {} loaded in {} ms in JVM {}", created.separator().name(),
                (System.nanoTime() - t0) / 1_000_000, jvmId());
        return created;
    }

    /** {@code pid@host} of this JVM. */
    public static String jvmId() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
