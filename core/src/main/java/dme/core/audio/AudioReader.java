package dme.core.audio;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Streaming decoder: any format FFmpeg reads, delivered as 44.1 kHz stereo float, planar. FFmpeg's
 * resampler converts rate and layout (mono is duplicated, surround is downmixed with the standard
 * matrix), so callers see one format only.
 */
public final class AudioReader implements AutoCloseable {
    private final Path file;
    private final FFmpegFrameGrabber grabber;
    private final AudioInfo info;
    /** Samples of the current frame not yet handed out: interleaved (1 buffer) or planar (2). */
    private FloatBuffer[] pending = new FloatBuffer[0];
    private boolean ended;

    private AudioReader(Path file, FFmpegFrameGrabber grabber, AudioInfo info) {
        this.file = file;
        this.grabber = grabber;
        this.info = info;
    }

    public static AudioReader open(Path localFile) throws AudioDecodeException {
        Ffmpeg.init();
        String name = localFile.getFileName().toString();
        try {
            if (!Files.isRegularFile(localFile)) {
                throw new AudioDecodeException(name + ": no such file");
            }
            if (Files.size(localFile) == 0) {
                throw new AudioDecodeException(name + ": the file is empty");
            }
        } catch (java.io.IOException e) {
            throw new AudioDecodeException(name + ": " + e.getMessage(), e);
        }
        FFmpegFrameGrabber g;
        try {
            g = start(localFile, null);
        } catch (FrameGrabber.Exception | RuntimeException probeFailed) {
            // A damaged file can defeat content probing; its extension names the demuxer to try.
            String hint = demuxerFor(name);
            try {
                if (hint == null) {
                    throw probeFailed;
                }
                g = start(localFile, hint);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new AudioDecodeException(name + " is not a readable audio file ("
                        + reason(probeFailed) + ")", e);
            }
        }
        if (g.getAudioStream() < 0 || g.getAudioChannels() <= 0) {
            release(g);
            throw new AudioDecodeException(name + " has no audio stream");
        }
        AudioInfo info = new AudioInfo(
                g.getFormat(),
                g.getAudioCodecName(),
                sourceRate(g),
                sourceChannels(g),
                g.getLengthInTime() > 0 ? g.getLengthInTime() / 1e6 : 0,
                tag(g, "title"),
                tag(g, "artist"));
        return new AudioReader(localFile, g, info);
    }

    private static FFmpegFrameGrabber start(Path file, String format) throws FrameGrabber.Exception {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        if (format != null) {
            g.setFormat(format);
        }
        g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
        g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
        g.setSampleRate(Ffmpeg.SAMPLE_RATE);
        g.setAudioChannels(Ffmpeg.CHANNELS);
        // Bounded probing: a garbage file is rejected quickly instead of being scanned at length.
        g.setOption("probesize", "10000000");
        g.setOption("analyzeduration", "10000000");
        try {
            g.start(false);
            return g;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(g);
            throw e;
        }
    }

    private static String demuxerFor(String fileName) {
        String ext = fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "mp3", "wav", "flac", "ogg", "aac" -> ext;
            default -> null;
        };
    }

    private static int sourceRate(FFmpegFrameGrabber g) {
        var ctx = g.getFormatContext();
        var st = ctx.streams(g.getAudioStream());
        return st.codecpar().sample_rate();
    }

    private static int sourceChannels(FFmpegFrameGrabber g) {
        var st = g.getFormatContext().streams(g.getAudioStream());
        return st.codecpar().ch_layout().nb_channels();
    }

    private static String tag(FFmpegFrameGrabber g, String key) {
        for (Map<String, String> m : new Map[] {g.getMetadata(), g.getAudioMetadata()}) {
            if (m == null) {
                continue;
            }
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(key) && e.getValue() != null && !e.getValue().isBlank()) {
                    return e.getValue().strip();
                }
            }
        }
        return null;
    }

    /** Information about the source file (its own rate and channels, not the decoded ones). */
    public AudioInfo info() {
        return info;
    }

    /**
     * Decodes up to {@code len} frames into {@code dst[0]} and {@code dst[1]} from {@code off}.
     *
     * @return frames decoded, or -1 at the end of the audio
     */
    public int read(float[][] dst, int off, int len) throws AudioDecodeException {
        int done = 0;
        while (done < len) {
            if (remaining() == 0) {
                if (ended || !nextFrame()) {
                    break;
                }
                continue;
            }
            int n = Math.min(len - done, remaining());
            if (pending.length == 1) {
                FloatBuffer b = pending[0];
                float[] l = dst[0];
                float[] r = dst[1];
                int o = off + done;
                for (int i = 0; i < n; i++) {
                    l[o + i] = b.get();
                    r[o + i] = b.get();
                }
            } else {
                pending[0].get(dst[0], off + done, n);
                pending[1].get(dst[1], off + done, n);
            }
            done += n;
        }
        return done == 0 && len > 0 ? -1 : done;
    }

    private int remaining() {
        if (pending.length == 0) {
            return 0;
        }
        return pending.length == 1 ? pending[0].remaining() / 2 : pending[0].remaining();
    }

    private boolean nextFrame() throws AudioDecodeException {
        while (true) {
            Frame f;
            try {
                f = grabber.grabSamples();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new AudioDecodeException(file.getFileName() + ": decoding failed (" + reason(e) + ")", e);
            }
            if (f == null) {
                ended = true;
                pending = new FloatBuffer[0];
                return false;
            }
            Buffer[] s = f.samples;
            if (s == null || s.length == 0 || !(s[0] instanceof FloatBuffer)) {
                continue;
            }
            if (s.length == 1) {
                pending = new FloatBuffer[] {((FloatBuffer) s[0]).duplicate()};
            } else {
                pending = new FloatBuffer[] {((FloatBuffer) s[0]).duplicate(), ((FloatBuffer) s[1]).duplicate()};
            }
            if (remaining() > 0) {
                return true;
            }
        }
    }

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // closing a grabber that failed to start
        }
    }

    /** FFmpeg's reason without JavaCV's advice about setFormat() and log callbacks. */
    private static String reason(Throwable e) {
        String m = firstLine(e.getMessage());
        if (m.contains("-1094995529")) {
            return "FFmpeg recognises no audio format in it";
        }
        int cut = m.indexOf(". (");
        return cut > 0 ? m.substring(0, cut) : m;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
