package dme.gateway;

/**
 * A record read back from storage that cannot be used (not JSON, truncated, describes another
 * song). Affects only its own song: lists skip it, the song's own routes answer with this message.
 */
final class DamagedRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DamagedRecord(String message, Throwable cause) {
        super(message, cause);
    }
}
