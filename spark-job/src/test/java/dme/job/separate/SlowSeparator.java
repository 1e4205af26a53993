package dme.job.separate;

import dme.core.SongStats;

/**
 * A test separator that takes a known time per chunk ({@link #millisPerChunk()}) and splits the
 * mixture into four equal quarters, so a chunk's recorded processing time is known in advance.
 * Chosen with {@code dme.separator.class=dme.job.separate.SlowSeparator}; the system property
 * {@value #MILLIS_PROPERTY} (same JVM, local masters) changes its pace from the default 2000 ms.
 */
public final class SlowSeparator implements Separator {
    public static final String MILLIS_PROPERTY = "dme.test.slow.separator.ms";
    /**
     * When set (milliseconds), the separator works on for that long after its thread is interrupted,
     * as a model call that cannot be interrupted does; the interrupt stays flagged.
     */
    public static final String LINGER_PROPERTY = "dme.test.slow.separator.linger.ms";

    public static long millisPerChunk() {
        return Long.getLong(MILLIS_PROPERTY, 2000);
    }

    @Override
    public float[][][] separate(float[][] mixture, SongStats stats) {
        Long linger = Long.getLong(LINGER_PROPERTY);
        if (linger != null) {
            workIgnoringInterrupts(millisPerChunk(), linger);
        } else {
            try {
                Thread.sleep(millisPerChunk());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pretending to separate", e);
            }
        }
        float[][][] stems = new float[4][2][];
        for (int s = 0; s < 4; s++) {
            for (int c = 0; c < 2; c++) {
                float[] q = mixture[c].clone();
                for (int i = 0; i < q.length; i++) {
                    q[i] *= 0.25f;
                }
                stems[s][c] = q;
            }
        }
        return stems;
    }

    private static void workIgnoringInterrupts(long millis, long lingerMillis) {
        long end = System.nanoTime() + millis * 1_000_000;
        boolean lingering = false;
        while (System.nanoTime() < end) {
            if (!lingering && Thread.currentThread().isInterrupted()) {
                lingering = true;
                end = System.nanoTime() + lingerMillis * 1_000_000;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public String name() {
        return "slow-test";
    }
}
