package dme.core.format;

/** Life cycle of a song's processing, as recorded in {@code status/<id>/song.json}. */
public enum SongState {
    /** A process request is waiting for the stream. */
    QUEUED,
    /** Decoded and chunked; chunks are being separated. */
    SEPARATING,
    /** Stems exist; the selected mix is being made. */
    MIXING,
    DONE,
    FAILED,
    /** Stopped on request (cancel, or a newer request for the song); its partial outputs are removed. */
    CANCELLED;

    /** True for the states a request ends in. */
    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
