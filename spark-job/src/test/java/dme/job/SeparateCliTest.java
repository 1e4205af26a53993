package dme.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.audio.OutputFormat;
import dme.core.audio.TestAudio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code separate.sh} as a user runs it: a real JVM per command (the tests' classpath and JVM
 * options), its exit status, what it prints, and what it leaves in its temp folder.
 */
class SeparateCliTest {
    @TempDir
    Path dir;

    private record Result(int code, List<String> out, List<String> err) {}

    private Result run(Path tmp, String... args) throws Exception {
        Files.createDirectories(tmp);
        Path conf = Paths.get(System.getProperty("dme.conf.dir", "../conf")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "@" + conf.resolve("jvm.options"), "-Ddme.conf.dir=" + conf,
                "-Dlog4j2.configurationFile=" + conf.resolve("log4j2.properties"),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "dme.job.cli.SeparateCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("DME_ROOT");
        pb.environment().put("DME_SEPARATOR", "spectral");
        pb.environment().put("DME_CHUNK_SECONDS", "2");
        Process p = pb.start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the CLI finished");
        return new Result(p.exitValue(), lines(dir.resolve("out.txt")), lines(dir.resolve("err.txt")));
    }

    private static List<String> lines(Path f) throws IOException {
        return Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> leftovers(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("dme-") || n.startsWith("spark-")
                    || n.startsWith("blockmgr-")).toList();
        }
    }

    private void assertOneLineError(Result r, int code, String text, Path tmp) throws IOException {
        assertEquals(code, r.code(), "exit status; stderr: " + r.err());
        assertEquals(1, r.err().size(), "one line: " + r.err());
        assertTrue(r.err().get(0).startsWith("separate.sh: error: ") && r.err().get(0).contains(text), r.err().get(0));
        assertEquals(List.of(), r.out());
        assertEquals(List.of(), leftovers(tmp), "nothing left in the temp folder");
    }

    @Test
    void usageAndInputErrorsAreOneLineBeforeSparkStarts() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path song = dir.resolve("song.flac");
        TestAudio.write(song, TestAudio.song(1.0, 3), OutputFormat.FLAC, 320);
        assertOneLineError(run(tmp, "--stems", "voice", song.toString()), 2, "unknown stem 'voice'", tmp);
        assertOneLineError(run(tmp, "--format", "ogg", song.toString()), 2, "unknown output format 'ogg'", tmp);
        assertOneLineError(run(tmp, "--two-stems", "piano", song.toString()), 2, "unknown stem 'piano'", tmp);
        assertOneLineError(run(tmp, "--mp3-bitrate", "1000", song.toString()), 2, "32 to 320", tmp);
        assertOneLineError(run(tmp, "-j", "zero", song.toString()), 2, "-j must be a whole number", tmp);
        assertOneLineError(run(tmp, "--bogus", song.toString()), 2, "unknown option --bogus", tmp);
        assertOneLineError(run(tmp), 2, "no song given", tmp);
        assertOneLineError(run(tmp, "-n", "/no/such/model.pt", song.toString()), 2, "/no/such/model.pt", tmp);
        assertOneLineError(run(tmp, "--out"), 2, "--out needs a value", tmp);
        assertOneLineError(run(tmp, dir.resolve("missing.mp3").toString()), 1, "missing.mp3: no such file", tmp);
        Path text = Files.writeString(dir.resolve("notes.mp3"), "not audio at all\n".repeat(40));
        assertOneLineError(run(tmp, song.toString(), text.toString()), 1, "notes.mp3: not an audio file", tmp);
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndTheModelSettings() throws Exception {
        Result r = run(dir.resolve("tmp"), "--help");
        assertEquals(0, r.code());
        String help = String.join("\n", r.out());
        for (String option : List.of("--out", "--stems", "--two-stems", "--format", "--mp3", "--mp3-bitrate", "--int24",
                "--float32", "--model", "-n,", "--jobs", "-j,", "--root", "--verbose", "DME_MODEL", "DME_SEPARATOR",
                "default: ./separated", "default: 320", "<song>-2")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void twoStemsForSongsWithTheSameNameIntoTheirOwnFoldersAndAStoreTheUserNamed() throws Exception {
        Path tmp = dir.resolve("tmp");
        Path a = Files.createDirectories(dir.resolve("a")).resolve("mixture.flac");
        Path b = Files.createDirectories(dir.resolve("b")).resolve("mixture.flac");
        TestAudio.write(a, TestAudio.song(3.0, 1), OutputFormat.FLAC, 320);
        TestAudio.write(b, TestAudio.song(2.0, 2), OutputFormat.FLAC, 320);
        Path store = dir.resolve("store");
        Result r = run(tmp, "-j", "2", "--two-stems", "vocals", "--mp3-bitrate", "128", "--root", store.toString(),
                "-o", dir.resolve("out").toString(), a.toString(), b.toString());
        assertEquals(0, r.code(), "stdout " + r.out() + "\nstderr " + r.err());
        for (String folder : List.of("mixture", "mixture-2")) {
            Path d = dir.resolve("out").resolve(folder);
            assertTrue(Files.size(d.resolve("vocals.mp3")) > 1000, folder);
            assertTrue(Files.size(d.resolve("no_vocals.mp3")) > 1000, folder);
            assertFalse(Files.exists(d.resolve("drums.mp3")), "two stems only");
        }
        assertEquals(3.0, TestAudio.read(dir.resolve("out/mixture/vocals.mp3"))[0].length / 44_100.0, 0.05,
                "the first song given is in mixture/");
        assertTrue(r.out().stream().anyMatch(l -> l.contains("100%") && l.contains("done")), "progress: " + r.out());
        assertTrue(r.err().stream().noneMatch(l -> l.contains(" INFO ") || l.contains(" WARN ")), "no log lines: " + r.err());
        assertEquals(List.of(), leftovers(tmp), "the scratch folder is gone");
        assertTrue(Files.isDirectory(store.resolve("tables/jobs")), "the run is recorded in the named store");
    }
}
