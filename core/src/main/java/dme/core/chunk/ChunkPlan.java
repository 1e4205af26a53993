package dme.core.chunk;

import java.io.Serializable;

/**
 * How a song of {@code totalFrames} samples is cut into overlapping segments, as Demucs'
 * {@code apply_model} does: segments of {@code segmentFrames} start every {@code strideFrames}
 * ({@code stride = segment * (1 - overlap)}) until the end of the song; the last ones are shorter.
 *
 * <p>Weights are the Demucs triangle {@code [1, 2, ..., L/2, L - L/2, ..., 1]}, kept as integers so
 * that weighted overlap-add of unchanged chunks reproduces the input bit for bit (see
 * {@link OverlapAddStitcher}).
 */
public record ChunkPlan(long totalFrames, int segmentFrames, int strideFrames) implements Serializable {

    public ChunkPlan {
        if (totalFrames < 0 || segmentFrames < 1 || strideFrames < 1 || strideFrames > segmentFrames) {
            throw new IllegalArgumentException("bad chunk plan: total=" + totalFrames
                    + " segment=" + segmentFrames + " stride=" + strideFrames);
        }
    }

    public static ChunkPlan of(long totalFrames, double segmentSeconds, double overlap, int sampleRate) {
        int segment = (int) Math.round(segmentSeconds * sampleRate);
        int stride = Math.max(1, (int) Math.round(segment * (1 - overlap)));
        return new ChunkPlan(totalFrames, segment, Math.min(stride, segment));
    }

    public int chunkCount() {
        return (int) ((totalFrames + strideFrames - 1) / strideFrames);
    }

    public long offset(int index) {
        checkIndex(index);
        return (long) index * strideFrames;
    }

    public int length(int index) {
        checkIndex(index);
        return (int) Math.min(segmentFrames, totalFrames - offset(index));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount());
        }
    }

    /** Integer weight of position {@code i} inside a segment (Demucs' triangle, unnormalised). */
    public long weight(int i) {
        int half = segmentFrames / 2;
        return i < half ? i + 1 : segmentFrames - i;
    }

}
