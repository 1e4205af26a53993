package dme.core.audio;

import dme.core.Messages;
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
 * Encodes in process with JavaCV's FFmpeg. Samples go through two direct planar buffers reused for the
 * encoder's life, so JavaCV hands native memory to FFmpeg without another copy; FFmpeg converts to the
 * codec's sample format and cuts codec frames (1152 samples for MP3) itself.
 */
final class LibraryEncoder implements SampleEncoder {
    private final FFmpegFrameRecorder recorder;
    private final String name;
    private final FloatBuffer left = direct(AudioWriter.BLOCK);
    private final FloatBuffer right = direct(AudioWriter.BLOCK);

    private LibraryEncoder(FFmpegFrameRecorder recorder, String name) {
        this.recorder = recorder;
        this.name = name;
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    static LibraryEncoder start(Path localFile, OutputFormat format, int mp3BitrateKbps, Map<String, String> tags)
            throws IOException {
        Ffmpeg.init();
        String name = String.valueOf(localFile.getFileName());
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(localFile.toFile(), PcmFormat.CHANNELS);
        r.setSampleRate(PcmFormat.SAMPLE_RATE);
        r.setAudioChannels(PcmFormat.CHANNELS);
        switch (format) {
            case WAV16 -> {
                r.setFormat("wav");
                r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
            }
            case WAV24 -> {
                r.setFormat("wav");
                r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S24LE);
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_S32); // the codec's input; the file holds 24 bits
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
                r.setSampleFormat(avutil.AV_SAMPLE_FMT_FLTP); // LAME's own input format
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
                    + Messages.firstLine(e.getMessage()) + ")", e);
        }
        return new LibraryEncoder(r, name);
    }

    @Override
    public void encode(float[] l, float[] r, int off, int n) throws IOException {
        stage(left, l, off, n);
        stage(right, r, off, n);
        try {
            recorder.recordSamples(PcmFormat.SAMPLE_RATE, PcmFormat.CHANNELS, left, right);
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new IOException(name + ": encoding failed (" + Messages.firstLine(e.getMessage()) + ")", e);
        }
    }

    private static void stage(FloatBuffer dst, float[] src, int off, int n) {
        dst.clear();
        dst.put(src, off, n);
        dst.flip();
    }

    @Override
    public void finish() throws IOException {
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new IOException(name + ": finishing the file failed (" + Messages.firstLine(e.getMessage()) + ")", e);
        } finally {
            try {
                recorder.release();
            } catch (FrameRecorder.Exception | RuntimeException ignored) {
                // stop() already released, or its failure is being reported
            }
        }
    }
}
