package dme.job;

import dme.core.DmeConfig;
import dme.core.Storage;
import dme.core.audio.Mp3Encoder;
import dme.job.separate.SeparatorFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dme job: a Structured Streaming query over the process requests under {@code requests/},
 * each micro-batch handled by {@link BatchProcessor}. With {@code --once} it processes what is
 * pending ({@code Trigger.AvailableNow}) and exits: the same job serves as a batch CLI.
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    /** Process requests as written by the gateway; a streaming file source needs its schema. */
    static final StructType REQUEST_SCHEMA = new StructType()
            .add("music_id", DataTypes.LongType)
            .add("seq", DataTypes.LongType)
            .add("tracks", DataTypes.createArrayType(DataTypes.LongType))
            .add("format", DataTypes.StringType)
            .add("requested_at", DataTypes.LongType)
            // output options (RequestFields reads them)
            .add("gains", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("bitrate", DataTypes.LongType)
            .add("two_stems", DataTypes.StringType);

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
        StreamingQuery query = start(spark, config, once);
        LOG.info("dme job {} on {} with storage {}", once ? "(batch)" : "(streaming)", spark.sparkContext().master(), config.root());
        query.awaitTermination();
        spark.stop();
    }

    /**
     * Starts the query; the separator and an explicitly named MP3 encoder program are checked first so a
     * broken model or program fails here, once, not per song.
     */
    public static StreamingQuery start(SparkSession spark, DmeConfig config, boolean once)
            throws IOException, TimeoutException {
        SeparatorFactory.validate(config, spark.sparkContext().hadoopConfiguration());
        LOG.info("MP3 encoder (on the driver's machine): {}", Mp3Encoder.resolve(config.mp3Encoder()));
        Storage storage = Storage.open(config.layout(), spark.sparkContext().hadoopConfiguration());
        storage.fs().mkdirs(config.layout().requestsDir());
        JobContext ctx = new JobContext(config, new HadoopConf(spark.sparkContext().hadoopConfiguration()));
        String checkpoint = config.layout().checkpointDir().toString();
        return spark.readStream()
                .schema(REQUEST_SCHEMA)
                .option("maxFilesPerTrigger", config.maxFilesPerTrigger())
                .json(config.layout().requestsDir().toString())
                .writeStream()
                .queryName("dme-" + Integer.toHexString(config.root().hashCode()))
                .option("checkpointLocation", checkpoint)
                .trigger(once ? Trigger.AvailableNow()
                        : Trigger.ProcessingTime((long) (config.triggerSeconds() * 1000), TimeUnit.MILLISECONDS))
                .foreachBatch(new BatchProcessor(ctx, checkpoint))
                .start();
    }
}
