package dme.job;

import dme.core.chunk.ChunkPlan;
import dme.core.format.ChunkRecord;
import java.io.Serializable;

/**
 * A separated segment on its way to the stitcher.
 *
 * @param stems where the separated chunk waits for the stitcher (planar float32, 8 rows: 4 stems × 2
 *     channels in {@link dme.core.Stem} order); null on error. Stems travel through storage, not the
 *     shuffle: a sort of megabyte rows would hold one row per spill file in memory when merging, so
 *     memory would grow with the song; the shuffle only orders these small rows.
 * @param error why separation failed, or null
 * @param job timing of this chunk, a row of the jobs table
 * @param jvm the executor JVM that separated it ({@code pid@host})
 * @param separatorLoads how many times that JVM had loaded a separator (1 when it is loaded once)
 */
record SeparatedChunk(SongTask song, ChunkPlan plan, int index, String stems, String error, ChunkRecord job,
        String jvm, int separatorLoads) implements Serializable {}
