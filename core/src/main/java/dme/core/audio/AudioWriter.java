package dme.core.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Streaming encoder of 44.1 kHz stereo to a local file (the caller copies it to storage).
 *
 * <ul>
 *   <li>{@link OutputFormat#WAV16}: pcm_s16le, samples clamped to [-1, 1] and rounded to the nearest step;</li>
 *   <li>{@link OutputFormat#WAV24}: pcm_s24le, clamped like WAV16;</li>
 *   <li>{@link OutputFormat#WAV_FLOAT}: pcm_f32le, bit-exact (no clamping);</li>
 *   <li>{@link OutputFormat#FLAC}: 16-bit FLAC, clamped like WAV16;</li>
 *   <li>{@link OutputFormat#MP3}: libmp3lame CBR at the given bit rate, fed float (LAME's own input
 *       format), clamped; the file gets a Xing/LAME header so decoders trim the encoder delay. Encoded in
 *       process or by an ffmpeg program, as the {@link Mp3Encoder} given says.</li>
 * </ul>
 * This class clamps and cuts the caller's samples into blocks; a {@link SampleEncoder} does the codec
 * work. NaN samples are written as silence in the clamped formats. Not thread-safe.
 */
public final class AudioWriter implements AutoCloseable {
    /** Largest block handed to the encoder, in frames. */
    static final int BLOCK = 8192;

    private final Path file;
    private final OutputFormat format;
    private final int mp3BitrateKbps;
    private final Mp3Encoder mp3Encoder;
    private final String name;
    private final boolean clamp;
    private SampleEncoder encoder;
    private final float[] left;
    private final float[] right;
    private boolean closed;

    private AudioWriter(SampleEncoder encoder, Path file, OutputFormat format, int mp3BitrateKbps, Mp3Encoder mp3Encoder) {
        this.encoder = encoder;
        this.file = file;
        this.format = format;
        this.mp3BitrateKbps = mp3BitrateKbps;
        this.mp3Encoder = mp3Encoder;
        this.name = String.valueOf(file.getFileName());
        this.clamp = format != OutputFormat.WAV_FLOAT;
        this.left = clamp ? new float[BLOCK] : null;
        this.right = clamp ? new float[BLOCK] : null;
    }

    /**
     * Creates (or overwrites) {@code localFile}; MP3 is encoded in process.
     *
     * @param mp3BitrateKbps MP3 only: 32 to 320 (LAME uses the nearest standard rate); ignored otherwise
     */
    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps) throws IOException {
        return open(localFile, format, mp3BitrateKbps, Map.of(), Mp3Encoder.LIBRARY);
    }

    /**
     * As {@link #open(Path, OutputFormat, int)}, with tags written into the file header (ID3 for MP3,
     * Vorbis comments for FLAC, a LIST/INFO chunk for WAV), e.g. {@code title} and {@code artist}.
     */
    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps, Map<String, String> tags)
            throws IOException {
        return open(localFile, format, mp3BitrateKbps, tags, Mp3Encoder.LIBRARY);
    }

    /** As {@link #open(Path, OutputFormat, int, Map)}, with MP3 encoded by {@code mp3Encoder}. */
    public static AudioWriter open(Path localFile, OutputFormat format, int mp3BitrateKbps, Map<String, String> tags,
            Mp3Encoder mp3Encoder) throws IOException {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(mp3Encoder, "mp3Encoder");
        if (format == OutputFormat.MP3 && (mp3BitrateKbps < 32 || mp3BitrateKbps > 320)) {
            throw new IllegalArgumentException("MP3 bit rate must be 32 to 320 kbps, not " + mp3BitrateKbps);
        }
        return new AudioWriter(start(localFile, format, mp3BitrateKbps, tags, mp3Encoder), localFile, format,
                mp3BitrateKbps, mp3Encoder);
    }

    private static SampleEncoder start(Path localFile, OutputFormat format, int mp3BitrateKbps,
            Map<String, String> tags, Mp3Encoder mp3Encoder) throws IOException {
        if (format == OutputFormat.MP3 && !mp3Encoder.inProcess()) {
            return ProgramEncoder.start(mp3Encoder.program(), localFile, mp3BitrateKbps, tags);
        }
        return LibraryEncoder.start(localFile, format, mp3BitrateKbps, tags);
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
            int at = off + done;
            if (clamp) {
                clamp(src[0], at, left, n);
                clamp(src[1], at, right, n);
                encoder.encode(left, right, 0, n);
            } else {
                encoder.encode(src[0], src[1], at, n);
            }
            done += n;
        }
    }

    private static void clamp(float[] src, int off, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            float v = src[off + i];
            // NaN fails both comparisons and is written as 0.
            dst[i] = v >= 1f ? 1f : (v <= -1f ? -1f : (v == v ? v : 0f));
        }
    }

    /** Flushes the encoder, writes the trailer (WAV sizes, FLAC STREAMINFO, Xing header); safe to call twice. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        encoder.finish();
    }
}
