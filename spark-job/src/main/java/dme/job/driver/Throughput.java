package dme.job.driver;

/**
 * The job's measured separation speed, in seconds of audio per second of wall time over all
 * executors, for the heartbeat's time estimates: a running average over finished songs, each
 * weighted by its length. Until a song has finished it assumes two seconds of audio per second per
 * task slot.
 */
final class Throughput {
    private double audioSeconds;
    private double busySeconds;
    private final double initial;

    Throughput(int slots) {
        this.initial = 2.0 * Math.max(1, slots);
    }

    /** A song of {@code audio} seconds took {@code wallMs} while {@code songsInFlight} songs shared the job. */
    synchronized void add(double audio, long wallMs, int songsInFlight) {
        if (audio <= 0 || wallMs <= 0) {
            return;
        }
        // Older songs fade out, so the estimate follows a change of model or cluster.
        audioSeconds = audioSeconds * 0.8 + audio * songsInFlight;
        busySeconds = busySeconds * 0.8 + wallMs / 1000.0;
    }

    synchronized double audioSecondsPerSecond() {
        return busySeconds > 0 ? audioSeconds / busySeconds : initial;
    }
}
