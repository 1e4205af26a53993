package dme.core.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dme.core.Messages;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Streaming decoder: any audio FFmpeg reads (MP3, WAV of any sample format, FLAC, Ogg Vorbis, Opus,
 * AAC/M4A, ...), delivered as 44.1 kHz stereo float, planar. See {@link StereoConverter} for how rates
 * and layouts are converted (mono duplicated, surround downmixed without clipping).
 *
 * <p>Lossless 44.1 kHz stereo sources come out sample for sample: nothing is dropped at the end and
 * nothing is padded. Resampled sources are flushed, so they come out with
 * {@code round(frames * 44100 / rate)} frames give or take a couple. Lossy formats lose their encoder
 * delay and padding as far as the file records them (LAME/Xing header, Ogg granules, MP4 edit lists).
 *
 * <p>{@link #open} already decodes the first audio, so a file that merely looks like audio (text or an
 * image under an audio name) fails there with {@link AudioDecodeException}. Damaged data in the middle
 * is skipped by FFmpeg (an audible glitch); a truncated file yields what it holds. Not thread-safe: one
 * reader per thread.
 */
public final class AudioReader implements AutoCloseable {
    /** Bounds how much FFmpeg reads to recognise a file: a large garbage file is rejected quickly. */
    private static final String PROBE_BYTES = "5000000";
    private static final String PROBE_MICROS = "5000000";
    private static final int MAX_TAG_CHARS = 500;
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d{1,10})");
    private static final int AVERROR_INVALIDDATA = -1094995529; // FFERRTAG('I','N','D','A')
    private static final int AVERROR_EOF = -541478725; // FFERRTAG('E','O','F',' ')

    private final String name;
    private final FFmpegFrameGrabber grabber;
    private final StereoConverter converter = new StereoConverter();
    private AudioInfo info;
    /** Converted samples not yet handed out; null before the first frame. */
    private FloatBuffer left;
    private FloatBuffer right;
    private boolean ended;
    private boolean closed;
    private long framesOut;
    /** Samples the decoder produced, all channels, at the source's own rate: the decoded size. */
    private long sourceSamples;
    private int firstRate;
    private int firstChannels;

    private AudioReader(String name, FFmpegFrameGrabber grabber) {
        this.name = name;
        this.grabber = grabber;
    }

    /**
     * Opens a local file and decodes its first audio frame.
     *
     * @throws AudioDecodeException when the file is missing or empty, FFmpeg recognises no media format
     *     in it, it has no audio stream, or no audio in it decodes (corrupt or truncated)
     */
    public static AudioReader open(Path localFile) throws AudioDecodeException {
        Ffmpeg.init();
        String name = String.valueOf(localFile.getFileName());
        try {
            if (!Files.exists(localFile)) {
                throw new AudioDecodeException(name + ": no such file");
            }
            if (!Files.isRegularFile(localFile)) {
                throw new AudioDecodeException(name + ": not a regular file");
            }
            if (Files.size(localFile) == 0) {
                throw new AudioDecodeException(name + ": the file is empty");
            }
        } catch (IOException e) {
            throw e instanceof AudioDecodeException a ? a : new AudioDecodeException(name + ": " + e.getMessage(), e);
        }
        FFmpegFrameGrabber g = startGrabber(localFile, name);
        if (g.getAudioStream() < 0) {
            String container = g.getFormat();
            release(g);
            throw new AudioDecodeException(name + ": has no audio stream (FFmpeg reads it as '" + container + "')");
        }
        AudioReader reader = new AudioReader(name, g);
        try {
            if (!reader.nextFrame()) {
                throw new AudioDecodeException(name + ": no audio samples decode from it (it is empty, corrupt or truncated)");
            }
            reader.info = reader.describe();
            return reader;
        } catch (AudioDecodeException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Recognises the format by content; if that fails (a damaged header can defeat content probing),
     * once more with the demuxer the extension names.
     */
    static FFmpegFrameGrabber startGrabber(Path file, String name) throws AudioDecodeException {
        try {
            return start(file, null);
        } catch (FrameGrabber.Exception | RuntimeException probeFailed) {
            String hint = demuxerFor(name);
            if (hint != null) {
                try {
                    return start(file, hint);
                } catch (FrameGrabber.Exception | RuntimeException e) {
                    probeFailed.addSuppressed(e);
                }
            }
            if (errorCode(probeFailed) == AVERROR_EOF) {
                throw new AudioDecodeException(name + ": not a readable audio file (it ends before its header is"
                        + " complete: truncated, or not audio)", probeFailed);
            }
            throw new AudioDecodeException(name + ": not an audio file FFmpeg can read (" + reason(probeFailed) + ")",
                    probeFailed);
        }
    }

    private static FFmpegFrameGrabber start(Path file, String format) throws FrameGrabber.Exception {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        if (format != null) {
            g.setFormat(format);
        }
        // RAW: JavaCV hands over the decoder's own frames; StereoConverter does the conversion.
        g.setSampleMode(FrameGrabber.SampleMode.RAW);
        g.setOption("probesize", PROBE_BYTES);
        g.setOption("analyzeduration", PROBE_MICROS);
        try {
            // Stream info: real codec parameters, and a duration even where the container has none
            // (FFmpeg then estimates it from the bit rate).
            g.start(true);
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

    private AudioInfo describe() {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream st = oc.streams(grabber.getAudioStream());
        var par = st.codecpar();
        int rate = par.sample_rate() > 0 ? par.sample_rate() : firstRate;
        int channels = par.ch_layout().nb_channels() > 0 ? par.ch_layout().nb_channels() : firstChannels;
        double seconds = 0;
        AVRational tb = st.time_base();
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0 && tb.den() > 0) {
            seconds = st.duration() * (double) tb.num() / tb.den();
        } else if (oc.duration() != AV_NOPTS_VALUE && oc.duration() > 0) {
            seconds = oc.duration() / 1e6;
        }
        Map<String, String> container = grabber.getMetadata();
        Map<String, String> stream = grabber.getAudioMetadata();
        return new AudioInfo(grabber.getFormat(), grabber.getAudioCodecName(), rate, channels, seconds,
                tag(container, stream, "title"),
                tag(container, stream, "artist", "album_artist", "performer", "author"));
    }

    /** First non-blank value of the keys, in order, from the container's tags then the stream's (Ogg). */
    private static String tag(Map<String, String> container, Map<String, String> stream, String... keys) {
        for (String key : keys) {
            for (Map<String, String> m : Arrays.asList(container, stream)) {
                if (m == null) {
                    continue;
                }
                for (Map.Entry<String, String> e : m.entrySet()) {
                    if (e.getKey() != null && e.getKey().equalsIgnoreCase(key)) {
                        String v = clean(e.getValue());
                        if (v != null) {
                            return v;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String clean(String v) {
        if (v == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(v.length(), MAX_TAG_CHARS));
        v.codePoints().filter(c -> !Character.isISOControl(c)).limit(MAX_TAG_CHARS).forEach(b::appendCodePoint);
        String s = b.toString().strip();
        return s.isEmpty() ? null : s;
    }

    /**
     * The SOURCE file as its container describes it: own sample rate and channel count (not the
     * decoded 44.1 kHz stereo), container and codec names as FFmpeg calls them, tags (null when
     * absent) and duration in seconds as the stream, the container or the bit rate claims it (0 when
     * none tells it; {@link AudioProbe} measures it instead).
     */
    public AudioInfo info() {
        return info;
    }

    /**
     * Decodes up to {@code len} frames into {@code dst[0]} and {@code dst[1]} from {@code off}; returns
     * fewer only at the end of the audio.
     *
     * @return frames decoded, or -1 at the end of the audio (0 only when {@code len} is 0)
     */
    public int read(float[][] dst, int off, int len) throws AudioDecodeException {
        if (closed) {
            throw new IllegalStateException(name + ": reader is closed");
        }
        Objects.checkFromIndexSize(off, len, dst[0].length);
        Objects.checkFromIndexSize(off, len, dst[1].length);
        if (len == 0) {
            return 0;
        }
        int done = 0;
        while (done < len) {
            if (!left.hasRemaining() && (ended || !nextFrame())) {
                break;
            }
            int n = Math.min(len - done, left.remaining());
            left.get(dst[0], off + done, n);
            right.get(dst[1], off + done, n);
            done += n;
        }
        framesOut += done;
        return done == 0 ? -1 : done;
    }

    /**
     * Samples decoded so far over all channels at the source's own rate and channel count (a second of
     * 384 kHz 7.1 counts 3,072,000): the work and size of decoding, which the 44.1 kHz stereo output
     * does not show.
     */
    public long decodedSourceSamples() {
        return sourceSamples;
    }

    /** Decodes until converted samples are pending; false at the end of the audio. */
    private boolean nextFrame() throws AudioDecodeException {
        while (!ended) {
            Frame f;
            try {
                f = grabber.grabSamples();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new AudioDecodeException(name + ": decoding failed after "
                        + String.format(Locale.ROOT, "%.1f", framesOut / (double) PcmFormat.SAMPLE_RATE) + " s ("
                        + reason(e) + ")", e);
            }
            int n;
            if (f == null) {
                ended = true;
                n = converter.flush();
            } else if (f.opaque instanceof AVFrame av && av.nb_samples() > 0) {
                if (firstRate == 0) {
                    firstRate = av.sample_rate();
                    firstChannels = av.ch_layout().nb_channels();
                }
                sourceSamples += (long) av.nb_samples() * Math.max(1, av.ch_layout().nb_channels());
                try {
                    n = converter.convert(av, f.samples);
                } catch (AudioDecodeException e) {
                    throw new AudioDecodeException(name + ": " + e.getMessage(), e);
                }
            } else {
                continue;
            }
            left = converter.left();
            right = converter.right();
            if (n > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        left = null;
        right = null;
        release(grabber);
        converter.close();
    }

    static void release(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // closing a grabber that failed to start: nothing else to free
        }
    }

    /** FFmpeg's reason in words, without JavaCV's advice about setFormat() and log callbacks. */
    private static String reason(Throwable e) {
        int code = errorCode(e);
        if (code == AVERROR_INVALIDDATA) {
            return "FFmpeg recognises no media format in it";
        }
        if (code != 0) {
            return Ffmpeg.errorText(code);
        }
        String m = Messages.firstLine(e.getMessage());
        int cut = m.indexOf(". (");
        return cut > 0 ? m.substring(0, cut) : m;
    }

    /** The FFmpeg error code in a JavaCV message ("avformat_open_input() error -1094995529: ..."), or 0. */
    private static int errorCode(Throwable e) {
        Matcher m = ERROR_CODE.matcher(Messages.firstLine(e.getMessage()));
        if (!m.find()) {
            return 0;
        }
        long code = Long.parseLong(m.group(1));
        return code >= Integer.MIN_VALUE ? (int) code : 0;
    }
}
