package dme.core.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_NATIVE;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_CH_LAYOUT_STEREO;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns decoded frames of any sample format, rate and channel layout into 44.1 kHz stereo float planes.
 *
 * <p>JavaCV's grabber can resample too, but it never flushes the resampler (the last few ms of a
 * resampled file are lost), it allocates output planes by the <em>input</em> channel count (planar
 * output from mono or 5.1 is unsafe), and it uses FFmpeg's default matrices: mono at -3 dB and an
 * un-normalised 5.1 downmix that can exceed full scale. So frames are converted here instead:
 * <ul>
 *   <li>mono is duplicated at unity gain to both channels;</li>
 *   <li>more than two channels use FFmpeg's standard downmix (centre and surrounds at -3 dB into both
 *       sides, LFE dropped), normalised so that a full-scale source cannot clip;</li>
 *   <li>a layout FFmpeg does not name (e.g. "6 channels") is taken as the default layout for its count;</li>
 *   <li>44.1 kHz stereo FLTP (MP3, AAC, Vorbis decoders) passes through without a native copy.</li>
 * </ul>
 * A stream whose format changes mid-way is handled by flushing the old resampler first.
 */
final class StereoConverter implements AutoCloseable {
    private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(2);
    private final AVChannelLayout stereo = new AVChannelLayout();
    private final AVChannelLayout fallbackLayout = new AVChannelLayout();
    private SwrContext swr;
    private int inFormat = -1;
    private int inRate = -1;
    private int inChannels = -1;
    private int inOrder = -1;
    private long inMask = -1;

    private BytePointer outLeft;
    private BytePointer outRight;
    private FloatBuffer outLeftView;
    private FloatBuffer outRightView;
    private int capacity;

    /** The converted samples of the last call: positions 0, limits the frame count. */
    private FloatBuffer left;
    private FloatBuffer right;

    StereoConverter() {
        avutil.av_channel_layout_default(stereo, PcmFormat.CHANNELS);
    }

    FloatBuffer left() {
        return left;
    }

    FloatBuffer right() {
        return right;
    }

    /**
     * Converts one decoded frame; {@code planes} are JavaCV's views of its data, used directly when no
     * conversion is needed. Afterwards {@link #left()}/{@link #right()} hold the result (possibly empty:
     * the resampler keeps a few samples back until the next frame or {@link #flush()}).
     *
     * @return frames available in {@link #left()}/{@link #right()}
     */
    int convert(AVFrame frame, Buffer[] planes) throws AudioDecodeException {
        int format = frame.format();
        int rate = frame.sample_rate();
        AVChannelLayout layout = frame.ch_layout();
        int channels = layout.nb_channels();
        int order = layout.order();
        long mask = order == AV_CHANNEL_ORDER_NATIVE ? layout.u_mask() : 0;
        int n = frame.nb_samples();
        if (swr == null && isPipelineFormat(format, rate, channels, order, mask)
                && planes != null && planes.length == 2 && planes[0] instanceof FloatBuffer l
                && planes[1] instanceof FloatBuffer r && l.capacity() >= n && r.capacity() >= n) {
            left = l.duplicate();
            right = r.duplicate();
            left.position(0).limit(n);
            right.position(0).limit(n);
            return n;
        }
        int flushed = 0;
        if (swr == null || format != inFormat || rate != inRate || channels != inChannels
                || order != inOrder || mask != inMask) {
            if (swr != null) {
                flushed = drain(0);
            }
            open(frame, format, rate, channels, order, mask);
        }
        int produced = run(flushed, frame.extended_data(), n);
        return publish(flushed + produced);
    }

    /** Hands out what the resampler still holds at the end of the stream. */
    int flush() throws AudioDecodeException {
        return publish(swr == null ? 0 : drain(0));
    }

    private static boolean isPipelineFormat(int format, int rate, int channels, int order, long mask) {
        return format == AV_SAMPLE_FMT_FLTP && rate == PcmFormat.SAMPLE_RATE && channels == PcmFormat.CHANNELS
                && (order == AV_CHANNEL_ORDER_UNSPEC || (order == AV_CHANNEL_ORDER_NATIVE && mask == AV_CH_LAYOUT_STEREO));
    }

    private void open(AVFrame frame, int format, int rate, int channels, int order, long mask)
            throws AudioDecodeException {
        free();
        AVChannelLayout in = frame.ch_layout();
        if (order == AV_CHANNEL_ORDER_UNSPEC) {
            avutil.av_channel_layout_default(fallbackLayout, channels);
            in = fallbackLayout;
        }
        int ret = init(in, format, rate, channels);
        if (ret < 0 && order != AV_CHANNEL_ORDER_UNSPEC && order != AV_CHANNEL_ORDER_NATIVE) {
            // A custom or ambisonic order has no standard downmix: treat it as the default layout.
            avutil.av_channel_layout_default(fallbackLayout, channels);
            ret = init(fallbackLayout, format, rate, channels);
        }
        if (ret < 0) {
            free();
            throw new AudioDecodeException("cannot convert " + channels + " channels of "
                    + avutil.av_get_sample_fmt_name(format).getString() + " at " + rate + " Hz to stereo ("
                    + Ffmpeg.errorText(ret) + ")");
        }
        inFormat = format;
        inRate = rate;
        inChannels = channels;
        inOrder = order;
        inMask = mask;
    }

    private int init(AVChannelLayout in, int format, int rate, int channels) {
        SwrContext s = new SwrContext(null);
        int ret = swresample.swr_alloc_set_opts2(s, stereo, AV_SAMPLE_FMT_FLTP, PcmFormat.SAMPLE_RATE,
                in, format, rate, 0, null);
        if (ret < 0 || s.isNull()) {
            return ret < 0 ? ret : -12; // AVERROR(ENOMEM)
        }
        if (channels == 1) {
            ret = swresample.swr_set_matrix(s, new double[] {1.0, 1.0}, 1);
        } else if (channels > 2) {
            ret = avutil.av_opt_set_double(s, "rematrix_maxval", 1.0, 0);
        }
        if (ret >= 0) {
            ret = swresample.swr_init(s);
        }
        if (ret < 0) {
            swresample.swr_free(s);
            return ret;
        }
        swr = s;
        return 0;
    }

    /** Empties the resampler into the output planes from {@code offset}; returns the frames written. */
    private int drain(int offset) throws AudioDecodeException {
        int total = 0;
        while (true) {
            int got = run(offset + total, null, 0);
            if (got <= 0) {
                return total;
            }
            total += got;
        }
    }

    private int run(int offset, PointerPointer<?> in, int inCount) throws AudioDecodeException {
        int room = swresample.swr_get_out_samples(swr, inCount);
        if (room <= 0) {
            return 0;
        }
        ensureCapacity(offset + room);
        long byteOffset = (long) offset * Float.BYTES;
        outPlanes.put(0, outLeft.position(byteOffset));
        outPlanes.put(1, outRight.position(byteOffset));
        int got = in == null
                ? swresample.swr_convert(swr, outPlanes, room, (PointerPointer<?>) null, 0)
                : swresample.swr_convert(swr, outPlanes, room, in, inCount);
        outLeft.position(0);
        outRight.position(0);
        if (got < 0) {
            throw new AudioDecodeException("resampling failed (" + Ffmpeg.errorText(got) + ")");
        }
        return got;
    }

    private void ensureCapacity(int frames) {
        if (frames <= capacity) {
            return;
        }
        int cap = Math.max(frames, Math.max(4096, capacity * 2));
        BytePointer l = new BytePointer((long) cap * Float.BYTES);
        BytePointer r = new BytePointer((long) cap * Float.BYTES);
        if (capacity > 0) {
            // Keep what a flush before a format change already wrote.
            l.put(outLeft.limit((long) capacity * Float.BYTES));
            r.put(outRight.limit((long) capacity * Float.BYTES));
            outLeft.close();
            outRight.close();
        }
        outLeft = l;
        outRight = r;
        outLeftView = l.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        outRightView = r.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        capacity = cap;
    }

    private int publish(int frames) {
        if (outLeftView == null) {
            left = FloatBuffer.allocate(0);
            right = left;
            return 0;
        }
        left = outLeftView.duplicate();
        right = outRightView.duplicate();
        left.position(0).limit(frames);
        right.position(0).limit(frames);
        return frames;
    }

    private void free() {
        if (swr != null) {
            swresample.swr_free(swr);
            swr = null;
        }
    }

    @Override
    public void close() {
        free();
        left = null;
        right = null;
        outLeftView = null;
        outRightView = null;
        if (outLeft != null) {
            outLeft.close();
            outRight.close();
            outLeft = null;
            outRight = null;
        }
        outPlanes.close();
        stereo.close();
        fallbackLayout.close();
    }
}
