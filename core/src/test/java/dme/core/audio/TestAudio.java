package dme.core.audio;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * The audio every module's tests make for themselves (shared as dme-core's test jar): signals (tones,
 * chords, a small song), files in dme's formats and in foreign ones, and the measurements the tests
 * assert on. Nothing here reads a file the test did not write.
 */
public final class TestAudio {
    public static final int RATE = PcmFormat.SAMPLE_RATE;

    private TestAudio() {}

    /** {@code amplitude * sin(2 pi f t)}, {@code n} samples at {@code rate}. */
    public static float[] tone(double freq, double amplitude, int n, int rate) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    /** A music-like stereo signal: two tones per side plus a little noise, peaks below 0.9. */
    public static float[][] music(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            x[0][i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 1234.5 * t)
                    + 0.05 * rnd.nextGaussian());
            x[1][i] = (float) (0.4 * Math.sin(2 * Math.PI * 660 * t) + 0.2 * Math.sin(2 * Math.PI * 97 * t)
                    + 0.05 * rnd.nextGaussian());
        }
        return x;
    }

    /** Amplitude of the component at {@code freq} (single-bin DFT, exact for whole-signal tones). */
    public static double amplitudeAt(float[] x, double freq, int rate) {
        double re = 0;
        double im = 0;
        double w = 2 * Math.PI * freq / rate;
        for (int i = 0; i < x.length; i++) {
            re += x[i] * Math.cos(w * i);
            im += x[i] * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / x.length;
    }

    /** Frequency of a single tone from its zero crossings (interpolated between samples). */
    public static double zeroCrossingFrequency(float[] x, int rate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double at = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = at;
                } else {
                    crossings++;
                }
                last = at;
            }
        }
        return crossings / ((last - first) / rate);
    }

    public static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    /** The lag (within +-maxLag) at which {@code y} best matches {@code x}: y[i + lag] ~ x[i]. */
    public static int bestLag(float[] x, float[] y, int maxLag) {
        int best = 0;
        double bestDot = Double.NEGATIVE_INFINITY;
        int from = maxLag;
        int to = Math.min(x.length, y.length) - maxLag;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double dot = 0;
            for (int i = from; i < to; i++) {
                dot += x[i] * y[i + lag];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = lag;
            }
        }
        return best;
    }

    /**
     * The project's SDR (the devset's {@code sdr.py}, MUSDB's "new SDR"): {@code 10 log10((Σ ref² + 1e-7)
     * / (Σ (ref − est)² + 1e-7))} over all channels, each over the shorter of the two lengths.
     */
    public static double sdr(float[][] ref, float[][] est) {
        double num = 1e-7;
        double den = 1e-7;
        for (int c = 0; c < ref.length; c++) {
            int n = Math.min(ref[c].length, est[c].length);
            for (int i = 0; i < n; i++) {
                double r = ref[c][i];
                double d = r - est[c][i];
                num += r * r;
                den += d * d;
            }
        }
        return 10 * Math.log10(num / den);
    }

    /** Signal-to-noise ratio in dB of {@code y} against {@code x} over [from, to), y shifted by lag. */
    public static double snrDb(float[] x, float[] y, int lag, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            double d = y[i + lag] - x[i];
            signal += x[i] * (double) x[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / Math.max(noise, 1e-30));
    }

    /**
     * Writes planar {@code channels} with FFmpeg directly, in any format, rate and channel count the
     * pipeline must convert (AudioWriter only writes 44.1 kHz stereo).
     */
    public static Path encode(Path file, String muxer, int codec, int sampleFormat, int rate, float[][] channels,
            int bitrate, Map<String, String> tags) throws Exception {
        Ffmpeg.init(); // quiet FFmpeg, as in production
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), channels.length)) {
            r.setFormat(muxer);
            r.setAudioCodec(codec);
            r.setSampleRate(rate);
            r.setSampleFormat(sampleFormat);
            if (bitrate > 0) {
                r.setAudioBitrate(bitrate);
            }
            if (codec == avcodec.AV_CODEC_ID_VORBIS) {
                r.setAudioOption("strict", "experimental"); // FFmpeg's own Vorbis encoder
            }
            r.setMetadata(tags);
            r.start();
            FloatBuffer[] planes = new FloatBuffer[channels.length];
            for (int c = 0; c < channels.length; c++) {
                planes[c] = FloatBuffer.wrap(channels[c]);
            }
            if (channels[0].length > 0) {
                r.recordSamples(rate, channels.length, planes);
            }
            r.stop();
        }
        return file;
    }

    /** A WAV of 16-bit PCM at any rate and channel count. */
    public static Path wav16(Path file, int rate, float[]... channels) throws Exception {
        return encode(file, "wav", avcodec.AV_CODEC_ID_PCM_S16LE, avutil.AV_SAMPLE_FMT_S16, rate, channels, 0, Map.of());
    }

    /** Writes all of {@code x} in pieces of sizes that straddle codec frames and the writer's blocks. */
    public static void writeInOddPieces(AudioWriter w, float[][] x) throws java.io.IOException {
        int[] sizes = {1, 1151, 1153, 4096, 8191, 8193};
        int n = x[0].length;
        int off = 0;
        for (int i = 0; off < n; i++) {
            int len = Math.min(sizes[i % sizes.length], n - off);
            w.write(x, off, len);
            off += len;
        }
    }

    /** A chord of sine tones, {@code seconds} long, 44.1 kHz stereo (the right side a little quieter). */
    public static float[][] chord(double seconds, double... hz) {
        int n = (int) Math.round(seconds * RATE);
        float[][] a = new float[2][n];
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (double f : hz) {
                v += Math.sin(2 * Math.PI * f * i / RATE);
            }
            a[0][i] = (float) (0.3 * v / hz.length);
            a[1][i] = (float) (0.25 * v / hz.length);
        }
        return a;
    }

    /** A small "song": a kick-like pulse, a bass sine, a centred vibrato voice and a wide pad. */
    public static float[][] song(double seconds, long seed) {
        int n = (int) Math.round(seconds * RATE);
        java.util.Random rnd = new java.util.Random(seed);
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double beat = t % 0.5;
            double kick = Math.exp(-beat * 30) * Math.sin(2 * Math.PI * 60 * beat) * 0.3
                    + Math.exp(-beat * 80) * rnd.nextGaussian() * 0.05;
            double bass = 0.15 * Math.sin(2 * Math.PI * (55 + 27.5 * ((int) (t * 2) % 2)) * t);
            double f0 = 220 * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
            double voice = 0.08 * (Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t));
            double pad = 0.05 * Math.sin(2 * Math.PI * 330 * t + 0.3);
            x[0][i] = (float) (kick + bass + voice + pad);
            x[1][i] = (float) (kick + bass + voice - pad);
        }
        return x;
    }

    /** Writes {@code audio} ({@code [2][frames]}, 44.1 kHz) with dme's writer, tags and all. */
    public static Path write(Path file, float[][] audio, OutputFormat format, int mp3Kbps, Map<String, String> tags)
            throws java.io.IOException {
        try (AudioWriter w = AudioWriter.open(file, format, mp3Kbps, tags == null ? Map.of() : tags)) {
            w.write(audio, 0, audio[0].length);
        }
        return file;
    }

    public static Path write(Path file, float[][] audio, OutputFormat format, int mp3Kbps) throws java.io.IOException {
        return write(file, audio, format, mp3Kbps, Map.of());
    }

    /** A 16-bit WAV of a chord. */
    public static Path wav(Path file, double seconds, double... hz) throws java.io.IOException {
        return write(file, chord(seconds, hz), OutputFormat.WAV16, 0);
    }

    /** Decodes a whole local file with dme's reader, as 44.1 kHz stereo. */
    public static float[][] read(Path file) throws java.io.IOException {
        try (AudioReader r = AudioReader.open(file)) {
            float[][] out = new float[2][1 << 16];
            int n = 0;
            for (int got; (got = r.read(out, n, out[0].length - n)) > 0; ) {
                n += got;
                if (n == out[0].length) {
                    out = new float[][] {java.util.Arrays.copyOf(out[0], 2 * n), java.util.Arrays.copyOf(out[1], 2 * n)};
                }
            }
            return new float[][] {java.util.Arrays.copyOf(out[0], n), java.util.Arrays.copyOf(out[1], n)};
        }
    }

    /**
     * Tones ({@code 220 + 110 c} Hz on channel c) in a foreign container, codec, sample format, rate
     * and channel count, written by FFmpeg directly.
     */
    public static Path foreign(Path file, String muxer, int codec, int sampleFormat, int rate, int channels,
            double seconds) throws java.io.IOException {
        int n = (int) (rate * seconds);
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            planes[c] = tone(220 + 110 * c, 0.3, n, rate);
        }
        try {
            return encode(file, muxer, codec, sampleFormat, rate, planes, 0, Map.of());
        } catch (java.io.IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }
}
