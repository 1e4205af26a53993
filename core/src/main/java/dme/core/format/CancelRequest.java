package dme.core.format;

/**
 * A user's request to stop a song ({@code status/<id>/cancel.json}, written by the gateway): the job
 * cancels the song's requests up to {@code seq} that are queued or running.
 *
 * @param requestedAt epoch milliseconds
 */
public record CancelRequest(long musicId, long seq, long requestedAt) {}
