package dme.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The output options of a process request row (see {@code StreamingJob.REQUEST_SCHEMA}): gains, MP3
 * bit rate, two-stem mode. Absent or null fields are the defaults; values are checked later, per
 * song ({@link SongTask#selection()}), so a bad one fails only its song.
 */
final class RequestFields {
    private RequestFields() {}

    static Map<String, Double> gains(Row r) {
        int i = r.fieldIndex("gains");
        if (r.isNullAt(i)) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : r.<Object, Object>getJavaMap(i).entrySet()) {
            // a value that is not a number reads as null, which the gain check reports
            out.put(String.valueOf(e.getKey()), e.getValue() == null ? Double.NaN : ((Number) e.getValue()).doubleValue());
        }
        return out;
    }

    static Integer bitrate(Row r) {
        int i = r.fieldIndex("bitrate");
        if (r.isNullAt(i)) {
            return null;
        }
        long v = r.getLong(i);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    static String twoStems(Row r) {
        int i = r.fieldIndex("two_stems");
        return r.isNullAt(i) ? null : r.getString(i);
    }
}
