package dme.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Streaming encoder of 44.1 kHz stereo to a local file (the caller copies it to storage).
 *
 * <ul>
 *   <li>{@link OutputFormat#WAV16}: pcm_s16le, samples clamped to [-1, 1] and rounded to the nearest step;</li>
 *   <li>{@link OutputFormat#WAV_FLOAT}: pcm_f32le, bit-exact (no clamping);</li>
 *   <li>{@link OutputFormat#FLAC}: 16-bit FLAC, clamped like WAV16;</li>
 *   <li>{@link OutputFormat#MP3}: libmp3lame CBR at the given bit rate, fed float planar (LAME's own
 *       input format), clamped; the file gets a Xing/LAME header so decoders trim the encoder delay.</li>
 * </ul>
 * Samples go through two direct planar buffers reused for the writer's life, so JavaCV passes native
 * memory to FFmpeg without another copy; FFmpeg converts to the codec's sample format and cuts codec
 * frames (1152 samples for MP3) itself. NaN samples are written as silence in the clamped formats.
 * Not thread-safe.
 */
public final class AudioWriter implements AutoCloseable {
    private static final int BLOCK = 8192;

    private final Path file;
    private final OutputFormat format;
    private final int mp3BitrateKbps;
    private final String name;
    private final boolean clamp;
    private FFmpegFrameRecorder recorder;
    private final FloatBuffer left;
    private final FloatBuffer right;
    private final float[] scratch;
    private long frames;
    private boolean closed;

    private AudioWriter(FFmpegFrameRecorder recorder, Path file, OutputFormat format, int mp3BitrateKbps) {
        this.recorder = recorder;
        this.file = file;
        this.format = format;
        this.mp3BitrateKbps = mp3BitrateKbps;
        this.name = String.valueOf(file.getFileName());
        this.clamp = format != OutputFormat.WAV_FLOAT;
        this.left = direct(BLOCK);
        this.right = direct(BLOCK);
        this.scratch = clamp ? new float[BLOCK] : null;
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Creates (or overwrites) {@code localFile}.
     *
     * @param mp3BitrateKbps MP3 only: 32 to 320 (LAME uses the nearest standard rate); ignored otherwise
     */
    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps) throws IOException {
        return open(localFile, format, mp3BitrateKbps, Map.of());
    }

    /**
     * As {@link #open(Path, OutputFormat, int)}, with tags written into the file header (ID3 for MP3,
     * Vorbis comments for FLAC, a LIST/INFO chunk for WAV), e.g. {@code title} and {@code artist}.
     */
    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps, Map<String, String> tags)
            throws IOException {
        Objects.requireNonNull(format, "format");
        if (format == OutputFormat.MP3 && (mp3BitrateKbps < 32 || mp3BitrateKbps > 320)) {
            throw new IllegalArgumentException("MP3 bit rate must be 32 to 320 kbps, not " + mp3BitrateKbps);
        }
        return new AudioWriter(start(localFile, format, mp3BitrateKbps, tags), localFile, format, mp3BitrateKbps);
    }

    private static FFmpegFrameRecorder start(Path localFile, OutputFormat format, int mp3BitrateKbps,
            Map<String, String> tags) throws IOException {
        Ffmpeg.init();
        String name = String.valueOf(localFile.getFileName());
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(localFile.toFile(), Ffmpeg.CHANNELS);
        r.setSampleRate(Ffmpeg.SAMPLE_RATE);
        r.setAudioChannels(Ffmpeg.CHANNELS);
        switch (format) {
            case WAV16 -> {
                r.setFormat("wav");
                r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            }
            case WAV_FLOAT -> {
                r.setFormat("wav");
                r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_F32LE);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            }
            case FLAC -> {
                r.setFormat("flac");
                r.setAudioCodec(avcodec.AV_CODEC_ID_FLAC);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            }
            case MP3 -> {
                r.setFormat("mp3");
                r.setAudioCodec(avcodec.AV_CODEC_ID_MP3);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_FLTP);
                r.setAudioBitrate(mp3BitrateKbps * 1000);
            }
            default -> throw new IllegalArgumentException("unsupported format " + format);
        }
        if (tags != null && !tags.isEmpty()) {
            r.setMetadata(tags);
        }
        try {
            r.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            try {
                r.release();
            } catch (FrameRecorder.Exception | RuntimeException ignored) {
                // the start failure is the one to report
            }
            throw new IOException(name + ": cannot start the " + format + " encoder ("
                    + AudioReader.firstLine(e.getMessage()) + ")", e);
        }
        return r;
    }

    /**
     * Sets tags before the first samples (prefer {@link #open(Path, OutputFormat, int, Map)}): the header
     * is already written at open, so the file is started afresh with them.
     *
     * @throws IllegalStateException once samples have been written
     */
    public void metadata(Map<String, String> tags) throws IOException {
        if (closed) {
            throw new IllegalStateException(name + ": writer is closed");
        }
        if (frames > 0) {
            throw new IllegalStateException(name + ": tags must be set before the first samples");
        }
        closed = true; // until the fresh start succeeds
        finish(recorder);
        recorder = start(file, format, mp3BitrateKbps, tags);
        closed = false;
    }

    /** Encodes {@code src[0][off..off+len)} (left) and {@code src[1][off..off+len)} (right). */
    public void write(float[][] src, int off, int len) throws IOException {
        if (closed) {
            throw new IllegalStateException(name + ": writer is closed");
        }
        Objects.checkFromIndexSize(off, len, src[0].length);
        Objects.checkFromIndexSize(off, len, src[1].length);
        for (int done = 0; done < len; ) {
            int n = Math.min(BLOCK, len - done);
            stage(left, src[0], off + done, n);
            stage(right, src[1], off + done, n);
            try {
                recorder.recordSamples(Ffmpeg.SAMPLE_RATE, Ffmpeg.CHANNELS, left, right);
            } catch (FrameRecorder.Exception | RuntimeException e) {
                throw new IOException(name + ": encoding failed (" + AudioReader.firstLine(e.getMessage()) + ")", e);
            }
            done += n;
        }
        frames += len;
    }

    private void stage(FloatBuffer dst, float[] src, int off, int n) {
        dst.clear();
        if (clamp) {
            float[] s = scratch;
            for (int i = 0; i < n; i++) {
                float v = src[off + i];
                // NaN fails both comparisons and is written as 0.
                s[i] = v >= 1f ? 1f : (v <= -1f ? -1f : (v == v ? v : 0f));
            }
            dst.put(s, 0, n);
        } else {
            dst.put(src, off, n);
        }
        dst.flip();
    }

    /** Frames (stereo sample pairs) accepted so far. */
    public long framesWritten() {
        return frames;
    }

    /** Flushes the encoder, writes the trailer (WAV sizes, FLAC STREAMINFO, Xing header); safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        finish(recorder);
    }

    private void finish(FFmpegFrameRecorder r) throws IOException {
        try {
            r.stop();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new IOException(name + ": finishing the file failed (" + AudioReader.firstLine(e.getMessage()) + ")", e);
        } finally {
            try {
                r.release();
            } catch (FrameRecorder.Exception | RuntimeException ignored) {
                // stop() already released, or its failure is being reported
            }
        }
    }
}
