package dme.job.separate;

import dme.core.SongStats;

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

    /** Name recorded in the jobs table, e.g. {@code spectral-hpss-v1} or {@code demucs:model.pt}. */
    String name();

    @Override
    default void close() {}
}
