package dme.job.separate;

import dme.core.SongStats;
import dme.core.Stem;
import dme.core.audio.PcmFormat;

/**
 * Splits a stereo 44.1 kHz mixture into the four stems of {@link dme.core.Stem}.
 *
 * <p>Implementations are created once per executor JVM and shared by that executor's task threads,
 * so {@link #separate} must be safe to call concurrently.
 */
public interface Separator extends AutoCloseable {

    /**
     * @param mixture planar samples, {@code mixture[channel][sample]}, two channels of equal length n
     * @param stats whole-song statistics of the mono mixture (for model input normalisation)
     * @return {@code stems[stem][channel][sample]}: four stems in {@link dme.core.Stem} order, each
     *     {@code [2][n]}
     */
    float[][][] separate(float[][] mixture, SongStats stats);

    /** Planar rows of a separated chunk: two channels per stem. */
    int ROWS = Stem.COUNT * PcmFormat.CHANNELS;

    /**
     * The stems as the {@link #ROWS} planar rows the stitcher, {@code PcmCodec} and the scratch files carry: drums
     * left, drums right, bass left, ... (no copy: the rows are the stems' own arrays).
     */
    static float[][] rows(float[][][] stems) {
        float[][] rows = new float[2 * stems.length][];
        for (int s = 0; s < stems.length; s++) {
            rows[2 * s] = stems[s][0];
            rows[2 * s + 1] = stems[s][1];
        }
        return rows;
    }

    /** Name recorded in the jobs table, e.g. {@code spectral-hpss-v1} or {@code demucs:model.pt:bf16}. */
    String name();

    @Override
    default void close() {}
}
