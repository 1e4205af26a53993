package dme.job;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Records when Spark launched and finished each task, by the job group of its job (what a song's
 * work runs in).
 */
final class TaskLaunches extends SparkListener {
    record Launch(String group, long launchedAt) {}

    private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();
    private final List<Launch> launches = new CopyOnWriteArrayList<>();
    private final List<Launch> ends = new CopyOnWriteArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
        if (group != null) {
            scala.jdk.javaapi.CollectionConverters.asJava(start.stageIds())
                    .forEach(id -> groupOfStage.put((Integer) id, group));
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart task) {
        String group = groupOfStage.get(task.stageId());
        if (group != null) {
            launches.add(new Launch(group, task.taskInfo().launchTime()));
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        String group = groupOfStage.get(task.stageId());
        if (group != null) {
            ends.add(new Launch(group, task.taskInfo().finishTime()));
        }
    }

    /** Launch times of the tasks of one song's request (its job group). */
    List<Long> of(long musicId, long seq) {
        return times(launches, musicId, seq);
    }

    /** Finish times (as the driver saw them) of the ended tasks of one song's request. */
    List<Long> endsOf(long musicId, long seq) {
        return times(ends, musicId, seq);
    }

    private static List<Long> times(List<Launch> events, long musicId, long seq) {
        String group = "dme-song-" + musicId + "-" + seq;
        return events.stream().filter(l -> l.group().equals(group)).map(Launch::launchedAt).toList();
    }
}
