package dme.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The four sources every separator produces, in the order models emit them (Demucs' drums, bass,
 * other, vocals). The track id is the public id of the stem in the REST API.
 */
public enum Stem {
    DRUMS(1), BASS(2), OTHER(3), VOCALS(4);

    /** How many stems every separation yields. */
    public static final int COUNT = values().length;

    private final int trackId;

    Stem(int trackId) {
        this.trackId = trackId;
    }

    public int trackId() {
        return trackId;
    }

    /** Lower-case name used in file names, URLs and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Stem> byTrackId(long trackId) {
        for (Stem s : values()) {
            if (s.trackId == trackId) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static Optional<Stem> byId(String id) {
        for (Stem s : values()) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
