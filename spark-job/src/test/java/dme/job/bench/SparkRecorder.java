package dme.job.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.storage.RDDInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Records what Spark did while the benchmark ran: jobs, stages (with the call sites of their RDDs, to
 * tell the job's stages apart) and every task's timing and metrics. Listener events arrive on Spark's
 * listener thread; readers copy under the lock.
 */
final class SparkRecorder extends SparkListener {
    record Job(int id, long start, long end, List<Integer> stages) {}

    /** @param callSites per RDD of the stage: its name and the operation that made it ({@code name@scope}) */
    record Stage(int id, String name, List<String> callSites, long submitted, long completed, int tasks) {}

    /**
     * @param runMs executor run time; {@code scheduling} = launch-to-finish time not spent running,
     *     deserialising or serialising the result: the scheduler's and the launch's share
     */
    record Task(int stage, int index, String executor, long launch, long finish, long runMs, long cpuNs, long gcMs,
            long deserMs, long resultSerMs, long shuffleWriteBytes, long shuffleWriteRecords, long shuffleWriteNs,
            long shuffleReadBytes, long fetchWaitMs) {
        long schedulingMs() {
            return Math.max(0, finish - launch - runMs - deserMs - resultSerMs);
        }
    }

    private final List<Job> jobs = new ArrayList<>();
    private final List<Stage> stages = new ArrayList<>();
    private final List<Task> tasks = new ArrayList<>();
    private final java.util.Map<Integer, long[]> jobStarts = new java.util.HashMap<>();
    private final java.util.Map<Integer, List<Integer>> jobStages = new java.util.HashMap<>();

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
        jobStarts.put(e.jobId(), new long[] {e.time()});
        List<Integer> ids = new ArrayList<>();
        for (StageInfo s : CollectionConverters.asJava(e.stageInfos())) {
            ids.add(s.stageId());
        }
        jobStages.put(e.jobId(), ids);
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd e) {
        long[] start = jobStarts.remove(e.jobId());
        jobs.add(new Job(e.jobId(), start == null ? e.time() : start[0], e.time(),
                jobStages.getOrDefault(e.jobId(), List.of())));
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
        StageInfo s = e.stageInfo();
        List<String> sites = new ArrayList<>();
        for (RDDInfo r : CollectionConverters.asJava(s.rddInfos())) {
            sites.add(r.name() + "@" + (r.scope().isDefined() ? r.scope().get().name() : "-"));
        }
        long submitted = s.submissionTime().isDefined() ? (Long) s.submissionTime().get() : 0;
        long completed = s.completionTime().isDefined() ? (Long) s.completionTime().get() : submitted;
        stages.add(new Stage(s.stageId(), s.name(), sites, submitted, completed, s.numTasks()));
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        TaskInfo i = e.taskInfo();
        TaskMetrics m = e.taskMetrics();
        if (i == null || m == null) {
            return;
        }
        tasks.add(new Task(e.stageId(), i.index(), i.executorId(), i.launchTime(), i.finishTime(), m.executorRunTime(),
                m.executorCpuTime(), m.jvmGCTime(), m.executorDeserializeTime(), m.resultSerializationTime(),
                m.shuffleWriteMetrics().bytesWritten(), m.shuffleWriteMetrics().recordsWritten(),
                m.shuffleWriteMetrics().writeTime(), m.shuffleReadMetrics().totalBytesRead(),
                m.shuffleReadMetrics().fetchWaitTime()));
    }

    synchronized List<Job> jobs(long from, long to) {
        return jobs.stream().filter(j -> j.start >= from && j.end <= to).toList();
    }

    synchronized List<Stage> stages(long from, long to) {
        return stages.stream().filter(s -> s.submitted >= from && s.completed <= to).toList();
    }

    synchronized List<Task> tasks(int stage) {
        return tasks.stream().filter(t -> t.stage == stage).toList();
    }
}
