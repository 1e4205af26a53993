package dme.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void everyColumnIsDocumented() {
        assertEquals(Set.of(Tables.JOBS_SCHEMA.fieldNames()), Tables.JOBS_DOCS.keySet());
        assertEquals(Set.of(Tables.SONGS_SCHEMA.fieldNames()), Tables.SONGS_DOCS.keySet());
    }
}
