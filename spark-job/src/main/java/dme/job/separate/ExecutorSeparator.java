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
 * thread-safe). A changed configuration (a different model) replaces it. {@link #loads()} counts
 * how often the current separator was created in this JVM, recorded on every job row so that "once
 * per executor" is checkable.
 */
public final class ExecutorSeparator {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSeparator.class);

    private static Separator current;
    private static String currentKey;
    private static final java.util.Map<String, Integer> LOADS = new java.util.HashMap<>();

    private ExecutorSeparator() {}

    public static synchronized Separator get(DmeConfig config, Configuration hadoopConf) {
        String key = SeparatorFactory.key(config);
        if (current == null || !key.equals(currentKey)) {
            if (current != null) {
                current.close();
            }
            long t0 = System.nanoTime();
            current = SeparatorFactory.create(config, hadoopConf);
            currentKey = key;
            int n = LOADS.merge(key, 1, Integer::sum);
            LOG.info("separator {} loaded in {} ms in JVM {} (load #{})", current.name(),
                    (System.nanoTime() - t0) / 1_000_000, jvmId(), n);
        }
        return current;
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
