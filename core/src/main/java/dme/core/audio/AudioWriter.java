package dme.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Streaming encoder of 44.1 kHz stereo to a local file (then copied to storage by the caller).
 *
 * <p>Samples are staged in two direct planar buffers reused for the writer's life, so JavaCV hands
 * FFmpeg native memory without a copy per call; integer formats are clamped to [-1, 1] on the way.
 */
public final class AudioWriter implements AutoCloseable {
    private static final int BLOCK = 8192;

    private final FFmpegFrameRecorder recorder;
    private final boolean clamp;
    private final FloatBuffer left;
    private final FloatBuffer right;
    private long frames;
    private boolean closed;

    private AudioWriter(FFmpegFrameRecorder recorder, boolean clamp) {
        this.recorder = recorder;
        this.clamp = clamp;
        this.left = direct(BLOCK);
        this.right = direct(BLOCK);
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps) throws IOException {
        Ffmpeg.init();
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
        try {
            r.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            try {
                r.release();
            } catch (FrameRecorder.Exception ignored) {
                // nothing was written
            }
            throw new IOException("cannot start the " + format + " encoder for " + localFile.getFileName()
                    + ": " + AudioReader.firstLine(e.getMessage()), e);
        }
        return new AudioWriter(r, format != OutputFormat.WAV_FLOAT);
    }

    /** Writes tags (e.g. title, artist) before the first samples; call right after open. */
    public void metadata(Map<String, String> tags) {
        recorder.setMetadata(tags);
    }

    /** Encodes {@code src[0..1][off..off+len)}. */
    public void write(float[][] src, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
            int n = Math.min(BLOCK, len - done);
            left.clear();
            right.clear();
            if (clamp) {
                for (int i = 0; i < n; i++) {
                    left.put(clip(src[0][off + done + i]));
                    right.put(clip(src[1][off + done + i]));
                }
            } else {
                left.put(src[0], off + done, n);
                right.put(src[1], off + done, n);
            }
            left.flip();
            right.flip();
            try {
                recorder.recordSamples(Ffmpeg.SAMPLE_RATE, Ffmpeg.CHANNELS, left, right);
            } catch (FrameRecorder.Exception e) {
                throw new IOException("encoding failed: " + AudioReader.firstLine(e.getMessage()), e);
            }
            done += n;
        }
        frames += len;
    }

    private static float clip(float v) {
        return v > 1f ? 1f : (v < -1f ? -1f : v);
    }

    public long framesWritten() {
        return frames;
    }

    /** Flushes the encoder and finishes the file; safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
            recorder.release();
        } catch (FrameRecorder.Exception e) {
            throw new IOException("finishing the file failed: " + AudioReader.firstLine(e.getMessage()), e);
        }
    }
}
