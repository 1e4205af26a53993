package dme.job.driver;

import dme.core.Messages;
import dme.core.StorageLayout;
import dme.core.format.Json;
import dme.core.format.ProcessRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One micro-batch of the request stream: each file under {@code requests/} is parsed as a
 * {@link ProcessRequest} and handed to the {@link SongScheduler}, which records it durably and runs
 * the song as Spark jobs of its own; the batch never waits for separation. A file that is not a valid
 * request is skipped with a warning: one poisoned record never stops the stream.
 */
final class Admission implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** Lives on the driver with the query; the batch function is never shipped to executors. */
    private final transient SongScheduler scheduler;

    Admission(SongScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        admit(batch.select("value").as(Encoders.STRING()).collectAsList(), batchId);
    }

    /** Admits the requests these files hold (the newest per song), in arrival order. */
    void admit(List<String> files, long batchId) {
        Map<Long, ProcessRequest> latest = new LinkedHashMap<>();
        for (String text : files) {
            ProcessRequest r = parse(text);
            if (r != null) {
                // several requests for one song in a batch: the newest wins
                latest.merge(r.musicId(), r, (a, b) -> b.seq() >= a.seq() ? b : a);
            }
        }
        // arrival order: files come in no particular order within a batch
        List<ProcessRequest> arrived = new ArrayList<>(latest.values());
        arrived.sort(Comparator.comparingLong(ProcessRequest::requestedAt).thenComparingLong(ProcessRequest::musicId));
        for (ProcessRequest r : arrived) {
            scheduler.admit(r, batchId);
        }
        if (!latest.isEmpty()) {
            LOG.info("batch {}: {} requests admitted", batchId, latest.size());
        }
    }

    /** The request a file holds, or null (with a warning) when it is not one. */
    static ProcessRequest parse(String text) {
        try {
            ProcessRequest r = Json.read(text.getBytes(StandardCharsets.UTF_8), ProcessRequest.class);
            if (!StorageLayout.isValidId(r.musicId()) || r.seq() < 0) {
                throw new IllegalArgumentException("music_id " + r.musicId() + ", seq " + r.seq());
            }
            return r;
        } catch (java.io.IOException | RuntimeException e) {
            String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            LOG.warn("request file ignored, not a valid process request ({}): {}", Messages.firstLine(e.getMessage()),
                    shown.replaceAll("\\p{Cntrl}", " "));
            return null;
        }
    }
}
