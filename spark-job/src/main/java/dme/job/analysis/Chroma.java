package dme.job.analysis;

/**
 * Pitch-class energy summed over a song: every spectrum bin between {@link #LOW_HZ} and
 * {@link #HIGH_HZ} adds its magnitude to the pitch class of the nearest equal-tempered note
 * (A = 440 Hz). Below the low limit bins are wider than a semitone; above the high one partials
 * rather than notes dominate.
 */
final class Chroma implements MagnitudeFramer.Sink {
    static final double LOW_HZ = 80;
    static final double HIGH_HZ = 2000;

    private final int[] pitchClass;
    private final double[] sums = new double[12];

    Chroma(int bins, int frameSize, int sampleRate) {
        pitchClass = new int[bins];
        for (int k = 0; k < bins; k++) {
            double hz = k * (double) sampleRate / frameSize;
            if (hz < LOW_HZ || hz > HIGH_HZ) {
                pitchClass[k] = -1;
            } else {
                long midi = Math.round(69 + 12 * Math.log(hz / 440) / Math.log(2));
                pitchClass[k] = (int) Math.floorMod(midi, 12L);
            }
        }
    }

    @Override
    public void frame(float[] magnitude) {
        for (int k = 0; k < pitchClass.length; k++) {
            int pc = pitchClass[k];
            if (pc >= 0) {
                sums[pc] += magnitude[k];
            }
        }
    }

    /** Bins below this one are all it reads: the spectrum above {@link #HIGH_HZ} need not be computed. */
    int usedBins() {
        return StreamingHpss.usedBins(pitchClass);
    }

    /** The sums so far, index 0 = C. */
    double[] values() {
        return sums.clone();
    }
}
