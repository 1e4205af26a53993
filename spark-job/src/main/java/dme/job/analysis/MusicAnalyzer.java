package dme.job.analysis;

import dme.core.format.SongAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * Tempo, beats and key of a song streamed through it in pieces of any size. Rhythm comes from the
 * percussive part of a 2048-point STFT (46 ms frames, 11.6 ms hop at 44.1 kHz), key from the
 * harmonic part of an 8192-point one (5.4 Hz bins, fine enough to tell semitones apart from 80 Hz
 * up). Memory is a few MB plus 4 bytes per 11.6 ms of song. Not thread-safe: one per song.
 */
public final class MusicAnalyzer {
    private static final int ONSET_FRAME = 2048;
    private static final int ONSET_HOP = 512;
    private static final int CHROMA_FRAME = 8192;
    private static final int CHROMA_HOP = 4096;
    /** The onset trend is the mean over this long (seconds): slower swells are not onsets. */
    private static final double TREND_SECONDS = 0.5;

    private final int sampleRate;
    private final KeyEstimator.Profile profile;
    private final OnsetEnvelope onsets;
    private final StreamingHpss percussive;
    private final MagnitudeFramer onsetFrames;
    private final Chroma chroma;
    private final StreamingHpss harmonic;
    private final MagnitudeFramer chromaFrames;
    private float[] mono = new float[0];
    private boolean finished;

    public MusicAnalyzer(int sampleRate) {
        this(sampleRate, KeyEstimator.Profile.TEMPERLEY);
    }

    MusicAnalyzer(int sampleRate, KeyEstimator.Profile profile) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.profile = profile;
        int onsetBins = ONSET_FRAME / 2 + 1;
        onsets = new OnsetEnvelope(onsetBins, ONSET_FRAME, sampleRate);
        percussive = new StreamingHpss(onsetBins, onsets.usedBins(), StreamingHpss.Part.PERCUSSIVE, onsets);
        onsetFrames = new MagnitudeFramer(ONSET_FRAME, ONSET_HOP, percussive);
        int chromaBins = CHROMA_FRAME / 2 + 1;
        chroma = new Chroma(chromaBins, CHROMA_FRAME, sampleRate);
        harmonic = new StreamingHpss(chromaBins, chroma.usedBins(), StreamingHpss.Part.HARMONIC, chroma);
        chromaFrames = new MagnitudeFramer(CHROMA_FRAME, CHROMA_HOP, harmonic);
    }

    /** Whole-song convenience: planar stereo (or mono, one row) at {@code sampleRate}. */
    public static SongAnalysis analyze(float[][] channels, int sampleRate) {
        MusicAnalyzer a = new MusicAnalyzer(sampleRate);
        a.accept(channels, 0, channels[0].length);
        return a.finish();
    }

    /** Adds {@code len} frames of planar audio (one or two channels) starting at {@code off}. */
    public void accept(float[][] channels, int off, int len) {
        if (finished) {
            throw new IllegalStateException("analysis already finished");
        }
        if (mono.length < len) {
            mono = new float[len];
        }
        if (channels.length == 1) {
            System.arraycopy(channels[0], off, mono, 0, len);
        } else {
            for (int i = 0; i < len; i++) {
                mono[i] = 0.5f * (channels[0][off + i] + channels[1][off + i]);
            }
        }
        onsetFrames.accept(mono, 0, len);
        chromaFrames.accept(mono, 0, len);
    }

    public SongAnalysis finish() {
        finished = true;
        percussive.finish();
        harmonic.finish();
        double fps = sampleRate / (double) ONSET_HOP;
        float[] envelope = onsets.detrended((int) Math.round(TREND_SECONDS * fps));
        double bpm = TempoEstimator.estimate(envelope, fps);
        if (!Double.isNaN(bpm)) {
            bpm = MetricalLevel.choose(envelope, fps, bpm);
        }
        List<Double> beats = new ArrayList<>();
        Double tempo = null;
        if (!Double.isNaN(bpm)) {
            int[] frames = BeatTracker.track(envelope, fps, bpm);
            tempo = round(refine(frames, fps, bpm), 100);
            for (int f : frames) {
                beats.add(round(frameSeconds(f), 1000));
            }
        }
        KeyEstimator.Estimate key = KeyEstimator.estimate(chroma.values(), profile);
        return new SongAnalysis(tempo, beats, key == null ? null : key.key().name());
    }

    /** Time of an onset frame: its centre, where the window weighs a hit most. */
    private double frameSeconds(int frame) {
        return (frame * (double) ONSET_HOP + ONSET_FRAME / 2.0) / sampleRate;
    }

    /**
     * The tempo the tracked beats keep on average (least-squares slope of beat frame on beat
     * number), which is finer than the tempo grid; the comb estimate when there are too few beats or
     * the beats follow another metrical level.
     */
    static double refine(int[] beats, double fps, double bpm) {
        int n = beats.length;
        if (n < 8) {
            return bpm;
        }
        double mi = (n - 1) / 2.0;
        double mf = 0;
        for (int b : beats) {
            mf += b;
        }
        mf /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mi) * (beats[i] - mf);
            sxx += (i - mi) * (i - mi);
        }
        double fitted = 60 * fps / (sxy / sxx);
        return Math.abs(fitted / bpm - 1) < 0.04 ? fitted : bpm;
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
