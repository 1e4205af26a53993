package dme.job;

import dme.core.SongStats;
import dme.core.chunk.ChunkPlan;
import java.io.Serializable;

/**
 * A segment of a song's mixture on its way to a separator.
 *
 * @param pcm planar little-endian float32 stereo ({@link dme.core.chunk.PcmCodec}), {@code plan.length(index)} frames
 * @param stats whole-song statistics, identical on every chunk of the song
 */
record ChunkRow(SongTask song, ChunkPlan plan, int index, SongStats stats, byte[] pcm) implements Serializable {}
