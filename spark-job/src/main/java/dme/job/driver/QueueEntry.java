package dme.job.driver;

import dme.core.format.ProcessRequest;

/**
 * A request the job admitted and has not finished ({@code queue/<id>.json}): written before the
 * admitting micro-batch commits and removed once the song's outcome is in the tables, so a driver
 * restart resumes every admitted song and none is lost or finished twice.
 *
 * @param admittedAt epoch milliseconds; resumed songs start again in this order
 * @param batchId the micro-batch that admitted it (recorded on the song's job rows)
 */
record QueueEntry(ProcessRequest request, long admittedAt, long batchId) {

    long musicId() {
        return request.musicId();
    }

    long seq() {
        return request.seq();
    }
}
