package dme.job.driver;

import dme.core.DmeConfig;
import dme.core.ScratchSweeper;
import dme.core.Storage;
import dme.core.audio.Mp3Encoder;
import dme.job.separate.SeparatorFactory;
import dme.job.stage.HadoopConf;
import dme.job.stage.JobContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dme job: a Structured Streaming query over the process requests under {@code requests/} admits
 * each request exactly once ({@link Admission}) and hands it to the {@link SongScheduler}, which runs
 * every song as Spark jobs of its own, sharing the executors fairly with the other songs in flight.
 * With {@code --once} it admits what is pending ({@code Trigger.AvailableNow}), finishes those songs
 * and exits: the same job serves as a batch CLI.
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    private StreamingJob() {}

    public static void main(String[] args) throws Exception {
        boolean once = false;
        for (String a : args) {
            if (a.equals("--once")) {
                once = true;
            } else {
                System.err.println("usage: StreamingJob [--once]   (settings: conf/dme.properties, DME_* env, -Ddme.*)");
                System.exit(2);
            }
        }
        DmeConfig config = DmeConfig.load();
        SparkSession spark = JobSession.create(config);
        DmeJob job = start(spark, config, once);
        LOG.info("dme job {} on {} with storage {}", once ? "(batch)" : "(streaming)", spark.sparkContext().master(), config.root());
        job.awaitTermination();
        spark.stop();
    }

    /**
     * Starts the job; the separator and an explicitly named MP3 encoder program are checked first so a
     * broken model or program fails here, once, not per song. Songs a previous run admitted and did not
     * finish are resumed first.
     */
    public static DmeJob start(SparkSession spark, DmeConfig config, boolean once) throws IOException, TimeoutException {
        Parts p = Parts.start(spark, config);
        // Whole files as text: each is parsed as a ProcessRequest by the one JSON mapping, so the
        // request's fields are written down once (the record) and a damaged file is one bad row.
        StreamingQuery query = spark.readStream()
                .option("wholetext", true)
                .option("maxFilesPerTrigger", config.maxFilesPerTrigger())
                .text(config.layout().requestsDir().toString())
                .writeStream()
                .queryName("dme-" + Integer.toHexString(config.root().hashCode()))
                .option("checkpointLocation", config.layout().checkpointDir().toString())
                .trigger(once ? Trigger.AvailableNow()
                        : Trigger.ProcessingTime((long) (config.triggerSeconds() * 1000), TimeUnit.MILLISECONDS))
                .foreachBatch(new Admission(p.scheduler()))
                .start();
        return new DmeJob(query, p.scheduler(), p.upkeep(), once);
    }

    /**
     * The job for one batch of work and no stream: the requests present now are admitted (the same
     * parsing and order as the stream's) and run; {@link DmeJob#awaitTermination} returns when they are
     * finished and recorded. For a one-off run such as the command line's, where the stream's start-up
     * and its checkpoint (which makes admission exactly-once across restarts) buy nothing.
     */
    public static DmeJob runPending(SparkSession spark, DmeConfig config) throws IOException {
        Parts p = Parts.start(spark, config);
        Storage storage = p.storage();
        List<String> files = new ArrayList<>();
        for (FileStatus f : storage.list(config.layout().requestsDir())) {
            String name = f.getPath().getName();
            if (f.isFile() && !name.startsWith(".") && !name.startsWith("_")) { // hidden, as the stream skips them
                files.add(new String(storage.readAll(f.getPath()), StandardCharsets.UTF_8));
            }
        }
        new Admission(p.scheduler()).admit(files, 0);
        return new DmeJob(null, p.scheduler(), p.upkeep(), true);
    }

    /** What every way of running the job starts: checks, a sweep of crash leftovers, scheduler, upkeep. */
    private record Parts(SongScheduler scheduler, TableUpkeep upkeep, Storage storage) {
        static Parts start(SparkSession spark, DmeConfig config) throws IOException {
            SeparatorFactory.validate(config, spark.sparkContext().hadoopConfiguration());
            LOG.info("MP3 encoder (on the driver's machine): {}", Mp3Encoder.resolve(config.mp3Encoder()));
            Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
            storage.fs().mkdirs(config.layout().requestsDir());
            new ScratchSweeper(storage, config).sweep(); // crash leftovers of earlier runs
            JobContext ctx = new JobContext(config, new HadoopConf(spark.sparkContext().hadoopConfiguration()));
            TableUpkeep upkeep = new TableUpkeep(spark, ctx);
            SongScheduler scheduler = new SongScheduler(spark, ctx, upkeep);
            scheduler.start();
            return new Parts(scheduler, upkeep, storage);
        }
    }
}
