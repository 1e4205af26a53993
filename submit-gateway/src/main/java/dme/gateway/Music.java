package dme.gateway;

import java.util.List;

/**
 * A song of the public API: {@code {music_id, name, band, tracks}}, plus a few descriptive fields
 * the page shows (clients of the original contract ignore them).
 */
record Music(long musicId, String name, String band, List<Track> tracks,
        double durationSeconds, long sizeBytes, long submittedAt, String original) {}
