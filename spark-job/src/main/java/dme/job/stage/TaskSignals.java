package dme.job.stage;

/**
 * What a stage needs to know of the task it runs in, so that the stages themselves do not depend on
 * Spark: {@link SparkTask} answers for a Spark task, {@link #NONE} outside Spark (unit tests).
 */
public interface TaskSignals {
    /** Which attempt of the task this is (0 for the first). */
    int attempt();

    /** The executor running it, as the jobs table records it. */
    String executor();

    /** Throws when the task was killed (its song stopped), so the stage ends within one block. */
    void stopIfKilled() throws InterruptedException;

    /** True when the task was killed: an error then is no verdict on the song. */
    boolean killed();

    /** Outside Spark: a first attempt on the calling thread, stopped by interrupting it. */
    TaskSignals NONE = new TaskSignals() {
        @Override
        public int attempt() {
            return 0;
        }

        @Override
        public String executor() {
            return "driver";
        }

        @Override
        public void stopIfKilled() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException("stage interrupted");
            }
        }

        @Override
        public boolean killed() {
            return Thread.currentThread().isInterrupted();
        }
    };
}
