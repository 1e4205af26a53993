package dme.gateway;

/**
 * A finished stem with its download URL: {@code {name, track}} plus its track id and format. In
 * two-stem mode the second file is named {@code no_<stem>} (the song without that stem, e.g. the
 * karaoke track {@code no_vocals}) and has no track id.
 */
record Instrument(String name, String track, Integer trackId, String format) {}
