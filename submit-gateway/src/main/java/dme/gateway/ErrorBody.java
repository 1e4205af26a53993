package dme.gateway;

/** The JSON body of every error response: {@code {"error": "clear message"}}. */
record ErrorBody(String error) {}
