package dme.job.stage;

import dme.core.Storage;
import dme.core.chunk.ChunkPlan;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * The decoded song in storage scratch ({@link dme.core.StorageLayout#decodedPcm}): interleaved stereo
 * float32, little-endian, written once by {@link DecodeSong}, read by chunk by every separator task
 * and from the start by {@link AnalyseSong}.
 */
final class DecodedMixture {
    /** Bytes of one frame. */
    static final int FRAME_BYTES = 8;

    private DecodedMixture() {}

    /** Frames of a file of {@code bytes} bytes. */
    static long frames(long bytes) {
        return bytes / FRAME_BYTES;
    }

    /** Appends planar stereo blocks to a local file. */
    static final class Writer implements Closeable {
        private final FileChannel out;
        private final ByteBuffer bytes;

        Writer(Path file, int blockFrames) throws IOException {
            this.out = FileChannel.open(file, StandardOpenOption.WRITE);
            this.bytes = ByteBuffer.allocateDirect(blockFrames * FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }

        void write(float[][] pcm, int n) throws IOException {
            bytes.clear();
            for (int i = 0; i < n; i++) {
                bytes.putFloat(pcm[0][i]).putFloat(pcm[1][i]);
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Chunk {@code index} of a song's decoded mixture, as planar stereo. */
    static float[][] readChunk(Storage storage, SongTask song, ChunkPlan plan, int index) throws IOException {
        int len = plan.length(index);
        byte[] raw = new byte[len * FRAME_BYTES];
        try (FSDataInputStream in = storage.fs().open(storage.layout().decodedPcm(song.musicId(), song.seq()))) {
            in.readFully(plan.offset(index) * FRAME_BYTES, raw);
        }
        float[][] pcm = new float[2][len];
        toPlanar(raw, len, pcm);
        return pcm;
    }

    /** Reads the mixture from its start, block by block. */
    static final class Reader implements Closeable {
        private final DataInputStream in;
        private final byte[] raw;

        Reader(Storage storage, SongTask song, int blockFrames) throws IOException {
            this.in = new DataInputStream(storage.fs().open(storage.layout().decodedPcm(song.musicId(), song.seq())));
            this.raw = new byte[blockFrames * FRAME_BYTES];
        }

        /** Fills {@code pcm} (planar, at least a block long); returns the frames read, 0 at the end. */
        int read(float[][] pcm) throws IOException {
            int total = 0;
            while (total < raw.length) {
                int n = in.read(raw, total, raw.length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            int frames = total / FRAME_BYTES;
            toPlanar(raw, frames, pcm);
            return frames;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static void toPlanar(byte[] raw, int frames, float[][] pcm) {
        ByteBuffer b = ByteBuffer.wrap(raw, 0, frames * FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            pcm[0][i] = b.getFloat();
            pcm[1][i] = b.getFloat();
        }
    }
}
