package dme.job.analysis;

import java.util.Locale;

/**
 * A key: tonic pitch class (0 = C ... 11 = B) and mode. Names use the usual spelling for each key
 * ("Bb major", "F# minor", "C# minor", "Eb major").
 */
public record MusicalKey(int tonic, boolean minor) {
    private static final String[] MAJOR_NAMES = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    private static final String[] MINOR_NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"};

    /** How an estimate relates to the true key (the categories of the MIREX key evaluation). */
    public enum Relation { SAME, FIFTH, RELATIVE, PARALLEL, OTHER }

    public MusicalKey {
        if (tonic < 0 || tonic > 11) {
            throw new IllegalArgumentException("tonic must be a pitch class 0..11: " + tonic);
        }
    }

    public String name() {
        return (minor ? MINOR_NAMES : MAJOR_NAMES)[tonic] + (minor ? " minor" : " major");
    }

    @Override
    public String toString() {
        return name();
    }

    /** Parses "F# minor", "Bb major", "c#m", "Eb" (major when no mode is given). */
    public static MusicalKey parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        int pc = switch (Character.toUpperCase(s.charAt(0))) {
            case 'C' -> 0;
            case 'D' -> 2;
            case 'E' -> 4;
            case 'F' -> 5;
            case 'G' -> 7;
            case 'A' -> 9;
            case 'B' -> 11;
            default -> throw new IllegalArgumentException("not a key: " + text);
        };
        int i = 1;
        while (i < s.length() && (s.charAt(i) == '#' || s.charAt(i) == 'b')) {
            pc += s.charAt(i) == '#' ? 1 : -1;
            i++;
        }
        String mode = s.substring(i).trim().toLowerCase(Locale.ROOT);
        boolean minor = switch (mode) {
            case "", "major", "maj" -> false;
            case "minor", "min", "m" -> true;
            default -> throw new IllegalArgumentException("not a key: " + text);
        };
        return new MusicalKey(Math.floorMod(pc, 12), minor);
    }

    /** The relative key: A minor for C major and back. */
    public MusicalKey relative() {
        return minor ? new MusicalKey((tonic + 3) % 12, false) : new MusicalKey((tonic + 9) % 12, true);
    }

    /** How this estimate relates to {@code truth}. */
    public Relation relationTo(MusicalKey truth) {
        if (equals(truth)) {
            return Relation.SAME;
        }
        if (minor == truth.minor && (Math.floorMod(tonic - truth.tonic, 12) == 7 || Math.floorMod(tonic - truth.tonic, 12) == 5)) {
            return Relation.FIFTH;
        }
        if (equals(truth.relative())) {
            return Relation.RELATIVE;
        }
        if (tonic == truth.tonic) {
            return Relation.PARALLEL;
        }
        return Relation.OTHER;
    }
}
