package dme.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import dme.core.Storage;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.fs.Path;

/**
 * A record read back from storage that cannot be used (not JSON, truncated, describes another
 * song). Affects only its own song: lists skip it, the song's own routes answer with this message.
 */
final class DamagedRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DamagedRecord(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Reads a song's record; empty when there is none. One that is not valid JSON is damaged
     * ({@code "<what> is damaged"}), one that fails {@code sane} too ({@code "<what> <whyNot>"}).
     */
    static <T> Optional<T> read(Storage storage, Path path, Class<T> type, String what, Predicate<T> sane, String whyNot)
            throws IOException {
        Optional<T> r;
        try {
            r = storage.readJson(path, type);
        } catch (JsonProcessingException e) {
            throw new DamagedRecord(what + " is damaged", e);
        }
        if (r.isPresent() && !sane.test(r.get())) {
            throw new DamagedRecord(what + " " + whyNot, null);
        }
        return r;
    }
}
