package dme.job.stage;

import dme.core.format.ChunkRecord;
import java.io.Serializable;

/**
 * What a separator task returns to the driver; the stems themselves wait in storage scratch
 * ({@link dme.core.StorageLayout#chunkScratch}) for the stitcher.
 *
 * @param error why separation failed, or null
 * @param job timing of this chunk, a row of the jobs table
 * @param jvm the executor JVM that separated it ({@code pid@host})
 * @param separatorLoads how many times that JVM had loaded a separator (1 when it is loaded once)
 */
public record SeparatedChunk(int index, String error, ChunkRecord job, String jvm, int separatorLoads) implements Serializable {}
