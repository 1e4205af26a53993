package dme.job.stage;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * The running Spark task as {@link TaskSignals}: the one place the stages meet Spark. Spark kills a
 * task by flagging it and interrupting its thread; {@link #stopIfKilled} turns either into Spark's
 * TaskKilledException (counted as killed, not failed).
 */
public final class SparkTask implements TaskSignals {
    private final TaskContext task;

    private SparkTask(TaskContext task) {
        this.task = task;
    }

    /** The task of the calling thread; {@link TaskSignals#NONE} when it runs outside a task. */
    public static TaskSignals current() {
        TaskContext t = TaskContext.get();
        return t == null ? NONE : new SparkTask(t);
    }

    @Override
    public int attempt() {
        return task.attemptNumber();
    }

    @Override
    public String executor() {
        return SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
    }

    @Override
    public void stopIfKilled() throws InterruptedException {
        task.killTaskIfInterrupted();
        if (Thread.interrupted()) {
            throw new InterruptedException("task interrupted");
        }
    }

    @Override
    public boolean killed() {
        return task.isInterrupted();
    }
}
