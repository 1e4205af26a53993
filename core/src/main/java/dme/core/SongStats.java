package dme.core;

import java.io.Serializable;

/**
 * Whole-song statistics of the mono mixture, computed once at decode time and carried on every
 * chunk, so that a model normalises every chunk of a song the same way (as Demucs' apply does).
 */
public record SongStats(float mean, float std) implements Serializable {
    /** Used where no statistics are known; normalising with it is the identity. */
    public static final SongStats IDENTITY = new SongStats(0f, 1f);
}
