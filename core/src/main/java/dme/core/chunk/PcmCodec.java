package dme.core.chunk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Planar float PCM carried in Spark rows: {@code rows[r][0..n)} one after the other, little-endian
 * float32. Rows of a chunk row are the two channels; rows of a separated row are 4 stems × 2.
 */
public final class PcmCodec {
    private PcmCodec() {}

    public static byte[] encode(float[][] rows, int len) {
        ByteBuffer buf = ByteBuffer.allocate(rows.length * len * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer fb = buf.asFloatBuffer();
        for (float[] row : rows) {
            fb.put(row, 0, len);
        }
        return buf.array();
    }

    public static float[][] decode(byte[] bytes, int rows) {
        int total = bytes.length / Float.BYTES;
        if (total % rows != 0) {
            throw new IllegalArgumentException("PCM of " + bytes.length + " bytes does not split into " + rows + " rows");
        }
        int len = total / rows;
        FloatBuffer fb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[][] out = new float[rows][len];
        for (float[] row : out) {
            fb.get(row);
        }
        return out;
    }
}
