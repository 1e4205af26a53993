package dme.job.analysis;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Cuts a mono stream into Hann-windowed frames of {@code size} samples every {@code hop} samples and
 * hands each frame's magnitude spectrum ({@code size / 2 + 1} bins, scaled so that a full-scale sine
 * reads about 1) to a sink. Frame {@code f} covers samples {@code [f * hop, f * hop + size)}; a tail
 * shorter than a frame is not analysed.
 */
final class MagnitudeFramer {
    interface Sink {
        /** {@code magnitude} is reused for the next frame: copy what you keep. */
        void frame(float[] magnitude);
    }

    private final int size;
    private final int hop;
    private final float[] window;
    private final float[] pending;
    private final float[] buf;
    private final float[] magnitude;
    private final FloatFFT_1D fft;
    private final float scale;
    private final Sink sink;
    private int count;

    MagnitudeFramer(int size, int hop, Sink sink) {
        this.size = size;
        this.hop = hop;
        this.sink = sink;
        window = new float[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
            sum += window[i];
        }
        scale = (float) (2 / sum);
        pending = new float[size];
        buf = new float[size];
        magnitude = new float[size / 2 + 1];
        fft = new FloatFFT_1D(size);
    }

    int bins() {
        return size / 2 + 1;
    }

    void accept(float[] mono, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int take = Math.min(size - count, end - i);
            System.arraycopy(mono, i, pending, count, take);
            count += take;
            i += take;
            if (count == size) {
                emit();
                System.arraycopy(pending, hop, pending, 0, size - hop);
                count = size - hop;
            }
        }
    }

    private void emit() {
        for (int i = 0; i < size; i++) {
            buf[i] = pending[i] * window[i];
        }
        fft.realForward(buf);
        int half = size / 2;
        magnitude[0] = Math.abs(buf[0]) * scale;
        magnitude[half] = Math.abs(buf[1]) * scale;
        for (int k = 1; k < half; k++) {
            float re = buf[2 * k];
            float im = buf[2 * k + 1];
            magnitude[k] = (float) Math.sqrt(re * re + im * im) * scale;
        }
        sink.frame(magnitude);
    }
}
