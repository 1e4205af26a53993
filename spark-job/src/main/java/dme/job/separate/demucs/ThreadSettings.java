package dme.job.separate.demucs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * libtorch thread counts for one executor JVM.
 *
 * <p>Every Spark task thread that calls the model gets its own OpenMP team of {@code intraOp}
 * threads, so an executor running {@code tasks} tasks at once uses {@code tasks × intraOp} cores.
 * The derived setting keeps that product within the executor's cores: with 2 cores and 1 CPU per
 * task, two tasks run at once with one thread each (tasks in parallel scale better than threads in
 * one convolution); with 8 cores and {@code spark.task.cpus=4}, two tasks get four threads each.
 * Inter-op threads only serve TorchScript {@code fork}s, which Demucs has none of: one is enough.
 *
 * @param intraOp {@code ai.djl.pytorch.num_threads}
 * @param interOp {@code ai.djl.pytorch.num_interop_threads}
 */
public record ThreadSettings(int intraOp, int interOp) {

    private static final Pattern LOCAL_MASTER = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    public ThreadSettings {
        if (intraOp < 1 || interOp < 1) {
            throw new IllegalArgumentException("thread counts must be >= 1, got " + intraOp + "/" + interOp);
        }
    }

    /**
     * @param executorCores cores of the executor ({@code spark.executor.cores}, or the local master's N)
     * @param taskCpus {@code spark.task.cpus}
     * @param availableProcessors CPUs this JVM may actually use
     * @param requestedIntra explicit intra-op threads, 0 to derive
     * @param requestedInter explicit inter-op threads, 0 for 1
     */
    public static ThreadSettings derive(int executorCores, int taskCpus, int availableProcessors, int requestedIntra,
            int requestedInter) {
        int cores = Math.max(1, Math.min(executorCores, availableProcessors));
        int concurrentTasks = Math.max(1, executorCores / Math.max(1, taskCpus));
        int intra = requestedIntra > 0 ? requestedIntra : Math.max(1, cores / concurrentTasks);
        int inter = requestedInter > 0 ? requestedInter : 1;
        return new ThreadSettings(intra, inter);
    }

    /**
     * Settings for this JVM: from the Spark executor's configuration when running inside Spark,
     * else as if one task had all the machine's processors (command line, tests).
     */
    public static ThreadSettings forThisJvm(DemucsOptions options) {
        int processors = Runtime.getRuntime().availableProcessors();
        SparkEnv env = SparkEnv.get();
        int cores = processors;
        int taskCpus = processors;
        if (env != null) {
            SparkConf conf = env.conf();
            taskCpus = conf.getInt("spark.task.cpus", 1);
            cores = executorCores(conf.get("spark.master", ""), conf.getInt("spark.executor.cores", 0), processors);
        }
        return derive(cores, taskCpus, processors, options.numThreads(), options.interopThreads());
    }

    /** Cores of an executor: {@code spark.executor.cores} if set, else N of {@code local[N]}, else all. */
    static int executorCores(String master, int configuredCores, int processors) {
        if (configuredCores > 0) {
            return configuredCores;
        }
        Matcher m = LOCAL_MASTER.matcher(master.trim());
        if (m.matches()) {
            String n = m.group(1);
            return n == null ? 1 : "*".equals(n) ? processors : Integer.parseInt(n);
        }
        return processors;
    }
}
