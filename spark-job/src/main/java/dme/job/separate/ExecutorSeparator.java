package dme.job.separate;

import dme.core.DmeConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-executor separator holder: the one piece of static mutable state in dme.
 *
 * <p>Loading a model costs seconds and hundreds of megabytes, so each executor JVM creates its
 * separator once, on first use, and every task thread of that JVM shares it (separators are
 * thread-safe). Each configuration (separator kind, model) gets its own, kept for the JVM's life
 * (an executor serves one configuration; tests switch between several). {@link #loads()} counts
 * how often the current separator was created in this JVM, recorded on every job row so that "once
 * per executor" is checkable.
 */
public final class ExecutorSeparator {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSeparator.class);

    private static final java.util.Map<String, Separator> BY_KEY = new java.util.HashMap<>();
    private static final java.util.Map<String, Integer> LOADS = new java.util.HashMap<>();
    private static String currentKey;

    private ExecutorSeparator() {}

    public static synchronized Separator get(DmeConfig config, Configuration hadoopConf) {
        String key = SeparatorFactory.key(config);
        currentKey = key;
        Separator existing = BY_KEY.get(key);
        if (existing != null) {
            return existing;
        }
        long t0 = System.nanoTime();
        Separator created = SeparatorFactory.create(config, hadoopConf);
        BY_KEY.put(key, created);
        int n = LOADS.merge(key, 1, Integer::sum);
        LOG.info("separator {} loaded in {} ms in JVM {} (load #{})", created.name(),
                (System.nanoTime() - t0) / 1_000_000, jvmId(), n);
        return created;
    }

    /** How many times the current separator was created in this JVM (1 when loaded once). */
    public static synchronized int loads() {
        return currentKey == null ? 0 : LOADS.getOrDefault(currentKey, 0);
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
