package dme.core.audio;

import java.nio.file.Path;

/** Upload validation: is this decodable audio, how long is it, which tags does it carry. */
public final class AudioProbe {
    /**
     * How far the counted length may differ from the header's before the header is taken to be wrong.
     * Within it the header wins: it is exact where packets are not (encoder delay and padding).
     */
    static final double HEADER_TOLERANCE_SECONDS = 0.5;

    /**
     * How far {@link #probe(Path)} counts: well past any configured song limit, so its answer is
     * refused by every limit it exceeds, and bounded, so a file of days of audio is not read to its end.
     */
    public static final double DEFAULT_COUNT_LIMIT_SECONDS = 24 * 3600;

    private AudioProbe() {}

    /** {@link #probe(Path, double)} counting up to {@link #DEFAULT_COUNT_LIMIT_SECONDS}. */
    public static AudioInfo probe(Path localFile) throws AudioDecodeException {
        return probe(localFile, DEFAULT_COUNT_LIMIT_SECONDS);
    }

    /**
     * Opens the file and decodes its first audio (see {@link AudioReader#open}), so a file that only
     * looks like audio (text renamed .mp3, an image renamed .wav) is rejected. Format recognition reads
     * at most 5 MB / 5 s of the file, so this returns quickly for garbage of any size.
     *
     * <p>Duration: measured by demuxing the audio packets and adding up their durations (no decoding,
     * see {@link PacketClock}), so neither a truncated file's header nor a bit rate estimate (headerless
     * MP3 whose bit rate changes) is believed. Where the stream's or container's own duration agrees
     * with the count within {@value #HEADER_TOLERANCE_SECONDS} s, that exact figure is reported instead.
     * Only when no packet carries a duration and no header tells it are samples decoded and counted.
     * Counting stops once past {@code maxSeconds}: the result is then more than {@code maxSeconds}
     * (a lower bound of the real length), which is all a caller enforcing that limit needs.
     *
     * @return the source's format, rate, channels, duration and title/artist tags (null when absent)
     */
    public static AudioInfo probe(Path localFile, double maxSeconds) throws AudioDecodeException {
        AudioInfo info;
        try (AudioReader r = AudioReader.open(localFile)) {
            info = r.info();
            PacketClock.Count count = PacketClock.count(localFile, String.valueOf(localFile.getFileName()), maxSeconds);
            if (count != null) {
                return withDuration(info, measured(info.durationSeconds(), count));
            }
            if (info.durationSeconds() > 0) {
                return info;
            }
            float[][] buf = new float[2][8192];
            long frames = 0;
            long maxFrames = (long) Math.min(Long.MAX_VALUE / 2.0, maxSeconds * PcmFormat.SAMPLE_RATE);
            for (int n; frames <= maxFrames && (n = r.read(buf, 0, buf[0].length)) > 0; ) {
                frames += n;
            }
            return withDuration(info, frames / (double) PcmFormat.SAMPLE_RATE);
        }
    }

    private static double measured(double stated, PacketClock.Count count) {
        if (!count.complete()) {
            return Math.max(stated, count.seconds()); // a lower bound either way: never the smaller
        }
        if (!count.exceeded() && stated > 0 && Math.abs(count.seconds() - stated) <= HEADER_TOLERANCE_SECONDS) {
            return stated;
        }
        return count.seconds();
    }

    private static AudioInfo withDuration(AudioInfo info, double seconds) {
        return new AudioInfo(info.container(), info.codec(), info.sampleRate(), info.channels(), seconds,
                info.title(), info.artist());
    }
}
