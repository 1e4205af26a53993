package dme.core;

import dme.core.audio.AudioFiles;
import java.util.List;

/**
 * Names of the job's scratch files and folders under {@code dme.local.tmp}: whoever creates one starts
 * its name with one of these, and {@link ScratchSweeper} removes stale ones by the same names (and
 * nothing else in that folder, which other programs share).
 */
public final class LocalScratch {
    /** A decoded song, 44.1 kHz stereo float, read back chunk by chunk. */
    public static final String PCM_PREFIX = "dme-pcm-";
    /** A mix being encoded before it is copied to storage. */
    public static final String MIX_PREFIX = "dme-mix-";
    /** A folder of stems being encoded before they are copied to storage. */
    public static final String OUTPUT_PREFIX = "dme-out-";
    /** A folder of job pictures being drawn. */
    public static final String PLOTS_PREFIX = "dme-plots-";

    /** Every prefix of job scratch, including the local copies of stored files. */
    static final List<String> PREFIXES = List.of(PCM_PREFIX, MIX_PREFIX, OUTPUT_PREFIX, PLOTS_PREFIX,
            AudioFiles.LOCAL_COPY_PREFIX);

    private LocalScratch() {}
}
