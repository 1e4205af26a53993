package dme.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DmeConfigTest {

    @Test
    void fileThenEnvironmentThenSystemPropertiesOverrideDefaults(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("dme.properties"),
                "dme.http.port=8000\ndme.chunk.seconds=6\ndme.separator=spectral\ndme.output.format=flac\n");
        Properties sys = new Properties();
        sys.setProperty("dme.chunk.seconds", "8");
        DmeConfig c = DmeConfig.load(conf, Map.of("DME_HTTP_PORT", "9000", "DME_CHUNK_SECONDS", "7"), sys);
        assertEquals(9000, c.httpPort(), "environment beats the file");
        assertEquals(8.0, c.chunkSeconds(), "system property beats the environment");
        assertEquals(DmeConfig.SeparatorKind.SPECTRAL, c.separator(), "file beats the default");
        assertEquals("flac", c.outputFormat());
        assertEquals(0.25, c.chunkOverlap(), "default");
        assertTrue(c.model().isEmpty());
    }

    /** What the scripts ask instead of reading conf/dme.properties themselves. */
    @Test
    void mainPrintsTheResolvedValueOfEachKey() {
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setProperty(DmeConfig.TABLES_ENABLED, "false");
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            DmeConfig.main(new String[] {DmeConfig.TABLES_ENABLED, DmeConfig.MAX_SONGS_IN_FLIGHT});
        } finally {
            System.setOut(out);
            System.clearProperty(DmeConfig.TABLES_ENABLED);
        }
        assertEquals(java.util.List.of("false", DmeConfig.load().get(DmeConfig.MAX_SONGS_IN_FLIGHT)),
                printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void envNamesFollowTheConvention() {
        assertEquals("DME_HTTP_PORT", DmeConfig.envName("dme.http.port"));
        assertEquals("DME_OUTPUT_MP3_BITRATE", DmeConfig.envName("dme.output.mp3-bitrate"));
    }

    @Test
    void badValuesGiveMessagesNamingTheKey() {
        DmeConfig c = DmeConfig.of(Map.of(DmeConfig.CHUNK_OVERLAP, "1.5", DmeConfig.HTTP_PORT, "http",
                DmeConfig.SEPARATOR, "magic"));
        assertTrue(assertThrows(IllegalArgumentException.class, c::chunkOverlap).getMessage().contains("dme.chunk.overlap"));
        assertTrue(assertThrows(IllegalArgumentException.class, c::httpPort).getMessage().contains("dme.http.port"));
        assertTrue(assertThrows(IllegalArgumentException.class, c::separator).getMessage().contains("auto, spectral or demucs"));
    }

    @Test
    void writeTokenFallsBackToAdminTokenAndTokensAreHiddenInToString() {
        DmeConfig c = DmeConfig.of(Map.of(DmeConfig.ADMIN_TOKEN, "s3cret"));
        assertEquals("s3cret", c.writeToken().orElseThrow());
        assertTrue(!c.toString().contains("s3cret"));
        assertTrue(DmeConfig.of(Map.of()).writeToken().isEmpty(), "no token: open local demo");
    }

    @Test
    void shippedConfFileDocumentsExactlyTheKnownKeys() throws Exception {
        Path shipped = Path.of(System.getProperty("dme.conf.dir", "../conf"), "dme.properties");
        java.util.Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("^#?(dme\\.[a-z0-9.\\-]+)=.*$");
        for (String line : Files.readAllLines(shipped)) {
            var m = key.matcher(line.trim());
            if (m.matches()) {
                documented.add(m.group(1));
            }
        }
        java.util.Set<String> known = new java.util.TreeSet<>(DmeConfig.of(java.util.Map.of()).asMap().keySet());
        known.remove(DmeConfig.LOCAL_TMP); // documented with a machine-specific default
        documented.remove(DmeConfig.LOCAL_TMP);
        assertEquals(known, documented, "conf/dme.properties must document every key, and only those");
    }
}
