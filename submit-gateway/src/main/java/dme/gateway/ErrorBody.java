package dme.gateway;

/** The JSON body of every error response: {@code {"error": "clear message"}}. */
record ErrorBody(String error) {

    /** An unexpected failure: a plain message and the id of the server log line with the details. */
    record WithId(String error, String errorId) {}
}
