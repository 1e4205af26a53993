package dme.job.driver;

import dme.core.DmeConfig;
import dme.core.ScratchSweeper;
import dme.core.Storage;
import dme.core.audio.Mp3Encoder;
import dme.job.separate.SeparatorFactory;
import dme.job.stage.HadoopConf;
import dme.job.stage.JobContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        SeparatorFactory.validate(config, spark.sparkContext().hadoopConfiguration());
        LOG.info("MP3 encoder (on the driver's machine): {}", Mp3Encoder.resolve(config.mp3Encoder()));
        Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
        storage.fs().mkdirs(config.layout().requestsDir());
        new ScratchSweeper(storage, config).sweep(); // crash leftovers of earlier runs
        JobContext ctx = new JobContext(config, new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        TableUpkeep upkeep = new TableUpkeep(spark, ctx);
        SongScheduler scheduler = new SongScheduler(spark, ctx, upkeep);
        scheduler.start();
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
                .foreachBatch(new Admission(scheduler))
                .start();
        return new DmeJob(query, scheduler, upkeep, once);
    }
}
