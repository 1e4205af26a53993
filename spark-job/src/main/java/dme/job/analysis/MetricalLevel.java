package dme.job.analysis;

/**
 * Chooses between a tempo, half of it and twice it, the octave errors autocorrelation is prone to.
 * Beats are tracked at the slower reading: if the points halfway between them are nearly as strong as
 * the beats, both are beats and the faster tempo is the pulse; if they are much weaker, they are
 * off-beats (a hi-hat between the kick and snare) and the slower tempo is.
 */
final class MetricalLevel {
    /**
     * Halfway over beat strength that separates off-beats (below) from beats (above). On the test
     * songs off-beat hi-hats read 0.24-0.39 and snare back-beats halfway between kicks 0.49-0.64.
     */
    static final double BEAT_RATIO = 0.44;

    private MetricalLevel() {}

    static double choose(float[] onset, double fps, double bpm) {
        double slower = bpm / 2;
        if (slower >= TempoEstimator.MIN_BPM && halfwayRatio(onset, fps, slower) < BEAT_RATIO) {
            return slower;
        }
        double faster = bpm * 2;
        if (faster <= TempoEstimator.MAX_BPM && halfwayRatio(onset, fps, bpm) > BEAT_RATIO) {
            return faster;
        }
        return bpm;
    }

    /**
     * Mean onset strength halfway between the beats tracked at {@code bpm} over that on them (1 when
     * too few beats are found to tell). Beats are tracked rather than the envelope folded at a fixed
     * period, so a slightly wrong period or a drifting tempo does not blur the comparison.
     */
    static double halfwayRatio(float[] onset, double fps, double bpm) {
        int[] beats = BeatTracker.track(onset, fps, bpm);
        if (beats.length < 4) {
            return 1;
        }
        double on = 0;
        double halfway = 0;
        for (int i = 0; i + 1 < beats.length; i++) {
            on += peakNear(onset, beats[i]);
            halfway += peakNear(onset, (beats[i] + beats[i + 1] + 1) / 2);
        }
        return on > 0 ? halfway / on : 1;
    }

    /** The strongest onset within two frames: a hit may straddle frames. */
    private static double peakNear(float[] onset, int t) {
        double m = 0;
        for (int i = Math.max(0, t - 2); i <= Math.min(onset.length - 1, t + 2); i++) {
            m = Math.max(m, onset[i]);
        }
        return m;
    }
}
