package dme.core.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Measures how long a file's audio really is by demuxing it: the sum of its audio packets' durations.
 * No decoding, so a 2-hour file takes a fraction of a second, and the count reflects what the file
 * holds, not what its header or bit rate claim (a truncated file counts short, a headerless MP3 whose
 * bit rate drops after the first frames counts long).
 */
final class PacketClock {
    /**
     * Stops a file of packets that carry no duration from being read to its end for nothing; far more
     * than any accepted file has (2 hours of 8 kHz MP3 are 100,000 packets).
     */
    static final long MAX_PACKETS = 20_000_000;

    /**
     * @param seconds the audio counted, or at least this much when {@code exceeded}
     * @param exceeded counting stopped early because {@code seconds} passed the bound
     * @param complete the count reached the end or the bound (false when {@link #MAX_PACKETS} stopped it first)
     */
    record Count(double seconds, boolean exceeded, boolean complete) {}

    private PacketClock() {}

    /**
     * Sums the audio stream's packet durations, stopping as soon as they pass {@code maxSeconds}. Packets
     * without a duration count as the average of those with one.
     *
     * @return the count, or null when no packet carries a duration (the caller then needs another way)
     */
    static Count count(Path file, String name, double maxSeconds) throws AudioDecodeException {
        FFmpegFrameGrabber g = AudioReader.startGrabber(file, name);
        AVPacket pkt = av_packet_alloc();
        try {
            AVFormatContext oc = g.getFormatContext();
            int stream = g.getAudioStream();
            AVRational tb = oc.streams(stream).time_base();
            if (tb.num() <= 0 || tb.den() <= 0) {
                return null;
            }
            double unit = tb.num() / (double) tb.den();
            long limit = (long) Math.min(Long.MAX_VALUE / 2.0, Math.ceil(maxSeconds / unit));
            long sum = 0;
            long timed = 0;
            long packets = 0;
            boolean exceeded = false;
            while (packets < MAX_PACKETS && av_read_frame(oc, pkt) >= 0) {
                try {
                    if (pkt.stream_index() != stream) {
                        continue;
                    }
                    packets++;
                    long d = pkt.duration();
                    if (d > 0) {
                        sum = Math.min(Long.MAX_VALUE / 2, sum + d);
                        timed++;
                    }
                    if (sum > limit) {
                        exceeded = true;
                        break;
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            if (timed == 0) {
                return null;
            }
            double seconds = sum * unit * (packets / (double) timed);
            return new Count(seconds, exceeded, exceeded || packets < MAX_PACKETS);
        } finally {
            av_packet_free(pkt);
            AudioReader.release(g);
        }
    }
}
