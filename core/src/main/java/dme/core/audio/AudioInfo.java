package dme.core.audio;

/**
 * What a source file holds, as its container reports it.
 *
 * @param title tag value, or null when absent
 * @param artist tag value, or null when absent
 */
public record AudioInfo(String container, String codec, int sampleRate, int channels, double durationSeconds,
        String title, String artist) {}
