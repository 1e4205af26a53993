package dme.job.stage;

import java.io.Serializable;
import java.util.List;

/** What a song's render published: the stem files under {@code stems/} and the mix in the song's folder. */
public record Published(List<String> stems, String mixFile) implements Serializable {}
