package dme.job;

import java.io.Serializable;

/** Shuffle key of the stitch stage: rows of one song together, in chunk order. */
record ChunkKey(long musicId, int index) implements Comparable<ChunkKey>, Serializable {
    @Override
    public int compareTo(ChunkKey o) {
        int c = Long.compare(musicId, o.musicId);
        return c != 0 ? c : Integer.compare(index, o.index);
    }
}
