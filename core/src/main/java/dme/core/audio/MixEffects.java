package dme.core.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

import dme.core.format.RenderOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * Renders a mixed song with a musician's {@link RenderOptions}, streaming (memory does not grow with
 * the song):
 * <ol>
 *   <li>tempo and pitch by FFmpeg: {@code asetrate} + {@code aresample} move the pitch by the
 *       interval (and the speed with it), {@code atempo} then sets the speed to the asked tempo
 *       without touching the pitch;
 *   <li>the click: a short 1.5 kHz tick on every beat, at the beat's time divided by the tempo;
 *   <li>loudness: a first pass measures the integrated loudness (EBU R128) of steps 1-2, the last
 *       applies the gain that brings it to the target; where that gain would push peaks over
 *       -1 dBFS, FFmpeg's {@code alimiter} holds them there, and a middle pass measures through the
 *       limiter to make up the loudness it takes (a linear gain plus a peak limiter, measured, so the
 *       loudness lands on the target rather than on {@code loudnorm}'s dynamic-mode approximation).
 * </ol>
 */
public final class MixEffects {
    /** Where samples go: {@link AudioWriter#write} fits. */
    @FunctionalInterface
    public interface Sink {
        void write(float[][] src, int off, int len) throws IOException;
    }

    static final int RATE = PcmFormat.SAMPLE_RATE;
    /** Peak ceiling after the loudness gain: -1 dBFS. */
    static final double CEILING = 0.891;
    private static final int BLOCK = 8192;
    private static final double CLICK_HZ = 1500;
    private static final double CLICK_SECONDS = 0.03;
    private static final double CLICK_AMPLITUDE = 0.35;

    private MixEffects() {}

    /**
     * Renders the (local, decodable) plain mix with {@code options} into {@code out}.
     *
     * @param beatsSeconds the song's beats in its original timeline (used only with a click)
     */
    public static void render(Path plainMix, RenderOptions options, List<Double> beatsSeconds, Sink out) throws IOException {
        double gain = 1;
        boolean limit = false;
        if (options.loudnessLufs() != null) {
            Measure first = measure(plainMix, options, beatsSeconds, 1, false);
            if (Double.isFinite(first.lufs())) {
                gain = Math.pow(10, (options.loudnessLufs() - first.lufs()) / 20);
                limit = first.peak() * gain > CEILING;
                if (limit) {
                    // Limited peaks lower the loudness: measure again through the limiter and make up the shortfall.
                    Measure limited = measure(plainMix, options, beatsSeconds, gain, true);
                    if (Double.isFinite(limited.lufs())) {
                        gain *= Math.pow(10, (options.loudnessLufs() - limited.lufs()) / 20);
                    }
                }
            }
        }
        pass(plainMix, options, beatsSeconds, gain, limit, out);
    }

    private record Measure(double lufs, double peak) {}

    private static Measure measure(Path plainMix, RenderOptions options, List<Double> beats, double gain, boolean limit)
            throws IOException {
        LoudnessMeter meter = new LoudnessMeter(RATE);
        double[] peak = new double[1];
        pass(plainMix, options, beats, gain, limit, (src, off, len) -> {
            meter.accept(src, off, len);
            for (float[] ch : src) {
                for (int i = off; i < off + len; i++) {
                    peak[0] = Math.max(peak[0], Math.abs(ch[i]));
                }
            }
        });
        return new Measure(meter.integratedLufs(), peak[0]);
    }

    /** The FFmpeg filter chain for tempo and pitch; null when neither changes. */
    static String tempoPitchFilter(RenderOptions o) {
        if (o.tempo() == 1.0 && o.transpose() == 0) {
            return null;
        }
        StringBuilder f = new StringBuilder();
        double speed = 1;
        if (o.transpose() != 0) {
            int rate = (int) Math.round(RATE * Math.pow(2, o.transpose() / 12.0));
            f.append("asetrate=").append(rate).append(",aresample=").append(RATE).append(',');
            speed = rate / (double) RATE;
        }
        // atempo takes 0.5..100 per instance: chain halves for slower factors.
        double factor = o.tempo() / speed;
        while (factor < 0.5) {
            f.append("atempo=0.5,");
            factor /= 0.5;
        }
        f.append(String.format(Locale.ROOT, "atempo=%.8f", factor));
        return f.toString();
    }

    private static void pass(Path plainMix, RenderOptions o, List<Double> beats, double gain, boolean limit, Sink out)
            throws IOException {
        ClickAndGain stage = new ClickAndGain(o.click() ? beats : List.of(), o.tempo(), gain,
                limit ? new Filter(String.format(Locale.ROOT, "alimiter=limit=%.3f:level=0:latency=1", CEILING), out) : null, out);
        String chain = tempoPitchFilter(o);
        try (AudioReader reader = AudioReader.open(plainMix);
                Filter tempoPitch = chain == null ? null : new Filter(chain, stage::write)) {
            float[][] buf = new float[2][BLOCK];
            int n;
            while ((n = reader.read(buf, 0, BLOCK)) > 0) {
                if (tempoPitch != null) {
                    tempoPitch.write(buf, 0, n);
                } else {
                    stage.write(buf, 0, n);
                }
            }
            if (tempoPitch != null) {
                tempoPitch.finish();
            }
            stage.finish();
        }
    }

    /** Adds the click at the output's beat times and applies the gain, then the limiter if any. */
    private static final class ClickAndGain {
        private final double[] clickAt;
        private final float[] tick;
        private final float gain;
        private final Filter limiter;
        private final Sink out;
        private long position;
        private float[][] scratch = new float[2][0];

        ClickAndGain(List<Double> beats, double tempo, double gain, Filter limiter, Sink out) {
            clickAt = beats.stream().mapToDouble(b -> b / tempo * RATE).toArray();
            tick = new float[(int) (CLICK_SECONDS * RATE)];
            for (int i = 0; i < tick.length; i++) {
                double t = i / (double) RATE;
                tick[i] = (float) (CLICK_AMPLITUDE * Math.exp(-t * 150) * Math.sin(2 * Math.PI * CLICK_HZ * t));
            }
            this.gain = (float) gain;
            this.limiter = limiter;
            this.out = out;
        }

        void write(float[][] src, int off, int len) throws IOException {
            if (scratch[0].length < len) {
                scratch = new float[2][len];
            }
            for (int c = 0; c < 2; c++) {
                System.arraycopy(src[c], off, scratch[c], 0, len);
            }
            long end = position + len;
            for (double at : clickAt) {
                long start = Math.round(at);
                if (start + tick.length <= position || start >= end) {
                    continue;
                }
                for (int i = 0; i < tick.length; i++) {
                    long p = start + i;
                    if (p >= position && p < end) {
                        int j = (int) (p - position);
                        scratch[0][j] += tick[i];
                        scratch[1][j] += tick[i];
                    }
                }
            }
            if (gain != 1f) {
                for (int c = 0; c < 2; c++) {
                    for (int i = 0; i < len; i++) {
                        scratch[c][i] *= gain;
                    }
                }
            }
            position = end;
            if (limiter != null) {
                limiter.write(scratch, 0, len);
            } else {
                out.write(scratch, 0, len);
            }
        }

        void finish() throws IOException {
            if (limiter != null) {
                limiter.finish();
                limiter.close();
            }
        }
    }

    /** One FFmpeg audio filter graph, 44.1 kHz planar float stereo in and out. */
    static final class Filter implements AutoCloseable {
        private final FFmpegFrameFilter filter;
        private final Sink out;
        private float[][] pulled = new float[2][0];

        Filter(String chain, Sink out) throws IOException {
            Ffmpeg.init();
            this.out = out;
            filter = new FFmpegFrameFilter(chain + ",aformat=sample_fmts=fltp:sample_rates=" + RATE + ":channel_layouts=stereo", 2);
            filter.setSampleRate(RATE);
            filter.setSampleFormat(AV_SAMPLE_FMT_FLTP);
            try {
                filter.start();
            } catch (FrameFilter.Exception e) {
                throw new IOException("cannot start the FFmpeg filter '" + chain + "': " + e.getMessage(), e);
            }
        }

        void write(float[][] src, int off, int len) throws IOException {
            try {
                filter.pushSamples(0, 2, RATE, AV_SAMPLE_FMT_FLTP, FloatBuffer.wrap(src[0], off, len), FloatBuffer.wrap(src[1], off, len));
            } catch (FrameFilter.Exception e) {
                throw new IOException("FFmpeg filter failed: " + e.getMessage(), e);
            }
            drain();
        }

        /** Flushes what the filters hold back (atempo's and the limiter's look-ahead). */
        void finish() throws IOException {
            try {
                filter.push(null);
            } catch (FrameFilter.Exception e) {
                throw new IOException("FFmpeg filter failed at the end: " + e.getMessage(), e);
            }
            drain();
        }

        private void drain() throws IOException {
            try {
                Frame f;
                while ((f = filter.pullSamples()) != null) {
                    if (f.samples == null) {
                        continue;
                    }
                    FloatBuffer l = (FloatBuffer) f.samples[0];
                    FloatBuffer r = (FloatBuffer) f.samples[1];
                    int n = l.remaining();
                    if (pulled[0].length < n) {
                        pulled = new float[2][n];
                    }
                    l.get(pulled[0], 0, n);
                    r.get(pulled[1], 0, n);
                    out.write(pulled, 0, n);
                }
            } catch (FrameFilter.Exception e) {
                throw new IOException("FFmpeg filter failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                filter.close();
            } catch (FrameFilter.Exception e) {
                throw new IOException("cannot release the FFmpeg filter: " + e.getMessage(), e);
            }
        }
    }
}
