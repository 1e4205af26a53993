package dme.gateway;

/** A finished stem with its download URL: {@code {name, track}} plus its track id and format. */
record Instrument(String name, String track, int trackId, String format) {}
