package dme.job.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MusicalKeyTest {
    @Test
    void namesAndParsesEveryKey() {
        for (int pc = 0; pc < 12; pc++) {
            for (boolean minor : new boolean[] {false, true}) {
                MusicalKey k = new MusicalKey(pc, minor);
                assertEquals(k, MusicalKey.parse(k.name()));
            }
        }
        assertEquals(new MusicalKey(6, true), MusicalKey.parse("F# minor"));
        assertEquals(new MusicalKey(6, true), MusicalKey.parse("Gb minor"));
        assertEquals(new MusicalKey(10, false), MusicalKey.parse("Bb major"));
        assertEquals(new MusicalKey(11, false), MusicalKey.parse("Cb"));
        assertEquals("F# minor", new MusicalKey(6, true).name());
    }

    @Test
    void relations() {
        MusicalKey c = MusicalKey.parse("C major");
        assertEquals(MusicalKey.Relation.SAME, c.relationTo(c));
        assertEquals(MusicalKey.Relation.RELATIVE, MusicalKey.parse("A minor").relationTo(c));
        assertEquals(MusicalKey.Relation.RELATIVE, c.relationTo(MusicalKey.parse("A minor")));
        assertEquals(MusicalKey.Relation.PARALLEL, MusicalKey.parse("C minor").relationTo(c));
        assertEquals(MusicalKey.Relation.FIFTH, MusicalKey.parse("G major").relationTo(c));
        assertEquals(MusicalKey.Relation.FIFTH, MusicalKey.parse("F major").relationTo(c));
        assertEquals(MusicalKey.Relation.OTHER, MusicalKey.parse("F# major").relationTo(c));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> MusicalKey.parse("H major"));
        assertThrows(IllegalArgumentException.class, () -> MusicalKey.parse("C lydian"));
        assertThrows(IllegalArgumentException.class, () -> MusicalKey.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> new MusicalKey(12, false));
    }
}
