package dme.core.audio;

import java.io.IOException;

/** The codec end of an {@link AudioWriter}: takes stereo blocks that are already clamped as the format needs. */
interface SampleEncoder {
    /** Encodes {@code left[off..off+n)} and {@code right[off..off+n)}; {@code n} is at most {@link AudioWriter#BLOCK}. */
    void encode(float[] left, float[] right, int off, int n) throws IOException;

    /** Flushes the codec and completes the file; releases everything even when it fails. */
    void finish() throws IOException;
}
