package dme.gateway;

/** One separable track of a song in the public API: {@code {name, track_id}}. */
record Track(String name, int trackId) {}
