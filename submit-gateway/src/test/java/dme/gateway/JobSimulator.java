package dme.gateway;

import dme.core.Stem;
import dme.core.Storage;
import dme.core.StorageLayout;
import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import dme.core.format.ChunkRecord;
import dme.core.format.JobIds;
import dme.core.format.Json;
import dme.core.format.SongState;
import dme.core.format.SongStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what the streaming job writes, through the same core classes and the same atomic storage
 * calls: song states, one chunk record per separated chunk, stems and the mix.
 */
final class JobSimulator {
    private final Storage storage;
    private final StorageLayout layout;
    private final Path scratch;

    JobSimulator(Storage storage, Path scratch) {
        this.storage = storage;
        this.layout = storage.layout();
        this.scratch = scratch;
    }

    void state(long id, long seq, SongState state, int totalChunks, List<Integer> tracks, List<String> stems,
            String mixFile, String error) throws IOException {
        SongStatus s = new SongStatus(id, seq, state, totalChunks, 30.0, tracks, "spectral", stems, mixFile, error,
                System.currentTimeMillis());
        storage.writeAtomically(layout.songStatus(id), Json.bytes(s));
    }

    ChunkRecord chunk(long id, long seq, int index, int total) throws IOException {
        long started = 1_700_000_000_000L + index * 1000L;
        ChunkRecord r = new ChunkRecord(JobIds.of(id, index), id, seq, index, total, index * 7.5, 10.0,
                10L * 44_100 * 2 * 4 + index, started, started + 250 + index, 250 + index, "executor-" + (index % 2),
                "host-a", "spectral", 0);
        storage.writeAtomically(layout.chunkStatus(id, index), Json.bytes(r));
        return r;
    }

    /** Four short stems (distinct tones) and the mix of the selection, as WAV files in storage. */
    List<String> stemsAndMix(long id, List<Stem> selection, double seconds) throws IOException {
        Files.createDirectories(scratch);
        List<String> names = new ArrayList<>();
        double[] hz = {110, 220, 440, 880};
        for (Stem s : Stem.values()) {
            Path local = TestAudio.wav(scratch.resolve(s.id() + ".wav"), seconds, hz[s.ordinal()]);
            storage.copyFromLocal(local, layout.stem(id, s, "wav"));
            names.add(s.id() + ".wav");
            Files.delete(local);
        }
        Path mix = TestAudio.wav(scratch.resolve("mix.wav"), seconds, 330);
        org.apache.hadoop.fs.Path target = layout.mix(id, selection, OutputFormat.WAV16.extension());
        storage.copyFromLocal(mix, target);
        Files.delete(mix);
        names.add(target.getName());
        return names;
    }
}
