package dme.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a final mix is made of: the selected stems and each one's gain (Σ gain·stem). Gains are
 * 0 to {@value #MAX_GAIN}, kept to three decimals so that the file name, which encodes them, names
 * exactly the mix it holds.
 *
 * <p>The name key lists track ids in ascending order, each followed by {@code x<gain>} when its gain is
 * not 1, e.g. {@code 1-4} (drums + vocals) or {@code 1-4x0.25} (drums + vocals at 25 %).
 */
public record Mix(List<Stem> stems, Map<Stem, Double> gains) {
    public static final double MAX_GAIN = 1.5;

    public Mix {
        stems = List.copyOf(stems);
        EnumMap<Stem, Double> g = new EnumMap<>(Stem.class);
        g.putAll(gains);
        gains = Collections.unmodifiableMap(g);
    }

    /**
     * Validates a selection of track ids and gains keyed by track id text (the request's form).
     * Gains for tracks not selected are dropped; a gain of 1 is the default and not kept.
     *
     * @throws IllegalArgumentException naming the bad track id or gain
     */
    public static Mix of(List<Integer> tracks, Map<String, ? extends Number> gainsByTrack) {
        TreeSet<Stem> selected = new TreeSet<>();
        for (Integer t : tracks) {
            selected.add(Stem.byTrackId(t == null ? 0 : t).orElseThrow(
                    () -> new IllegalArgumentException("unknown track id " + t + ": use 1 (drums), 2 (bass), 3 (other), 4 (vocals)")));
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("select at least one track id (1 drums, 2 bass, 3 other, 4 vocals)");
        }
        EnumMap<Stem, Double> gains = new EnumMap<>(Stem.class);
        if (gainsByTrack != null) {
            for (Map.Entry<String, ? extends Number> e : gainsByTrack.entrySet()) {
                Stem s = parseTrack(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                        "gains: unknown track id '" + clip(e.getKey()) + "': use 1 (drums), 2 (bass), 3 (other), 4 (vocals)"));
                double g = e.getValue() == null ? Double.NaN : e.getValue().doubleValue();
                if (!(g >= 0 && g <= MAX_GAIN)) {
                    throw new IllegalArgumentException("gains: the gain of track " + s.trackId() + " must be a number from 0 to "
                            + MAX_GAIN + ", not " + e.getValue());
                }
                double rounded = round(g);
                if (selected.contains(s) && rounded != 1.0) {
                    gains.put(s, rounded);
                }
            }
        }
        return new Mix(new ArrayList<>(selected), gains);
    }

    /** A mix of the given stems at gain 1. */
    public static Mix unity(List<Stem> stems) {
        return new Mix(new ArrayList<>(new TreeSet<>(stems)), Map.of());
    }

    public double gain(Stem s) {
        return stems.contains(s) ? gains.getOrDefault(s, 1.0) : 0.0;
    }

    /** The file-name key, e.g. {@code 1-4x0.25}. */
    public String key() {
        StringBuilder b = new StringBuilder();
        for (Stem s : stems) {
            if (b.length() > 0) {
                b.append('-');
            }
            b.append(s.trackId());
            Double g = gains.get(s);
            if (g != null) {
                b.append('x').append(BigDecimal.valueOf(g).stripTrailingZeros().toPlainString());
            }
        }
        return b.toString();
    }

    /** The mix a key names; empty unless the key is exactly what {@link #key()} gives for it. */
    public static Optional<Mix> parseKey(String key) {
        if (key == null || key.length() > 64 || !key.matches("[1-4](x[0-9](\\.[0-9]{1,3})?)?(-[1-4](x[0-9](\\.[0-9]{1,3})?)?){0,3}")) {
            return Optional.empty();
        }
        List<Integer> tracks = new ArrayList<>();
        Map<String, Double> gains = new java.util.HashMap<>();
        for (String part : key.split("-")) {
            int x = part.indexOf('x');
            String t = x < 0 ? part : part.substring(0, x);
            tracks.add(Integer.parseInt(t));
            if (x >= 0) {
                gains.put(t, Double.parseDouble(part.substring(x + 1)));
            }
        }
        try {
            Mix m = of(tracks, gains);
            return m.key().equals(key) ? Optional.of(m) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static double round(double g) {
        return BigDecimal.valueOf(g).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static Optional<Stem> parseTrack(String text) {
        if (text == null || !text.matches("[0-9]{1,2}")) {
            return Optional.empty();
        }
        return Stem.byTrackId(Integer.parseInt(text));
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
