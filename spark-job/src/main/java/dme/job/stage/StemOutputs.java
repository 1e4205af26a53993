package dme.job.stage;

/**
 * What the files under a song's {@code stems/} are (written last, after them, to
 * {@code stems/outputs.json}): a request for the same format, bit rate and mode reuses them; any
 * other request derives them again from the masters.
 *
 * @param format the {@link dme.core.audio.OutputFormat} name
 * @param bitrate kbps for MP3, 0 otherwise
 * @param twoStems the stem id of two-stem mode, or null for four stems
 */
record StemOutputs(String format, int bitrate, String twoStems) {}
