package dme.job.separate.demucs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dme.core.DmeConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ThreadSettingsTest {

    @Test
    void derivedThreadsNeverOversubscribeTheCores() {
        for (int cores = 1; cores <= 64; cores++) {
            for (int taskCpus = 1; taskCpus <= cores; taskCpus++) {
                ThreadSettings t = ThreadSettings.derive(cores, taskCpus, 64, 0, 0);
                int concurrentTasks = cores / taskCpus;
                assertTrue(concurrentTasks * t.intraOp() <= cores, cores + " cores, " + taskCpus + " cpus per task");
                assertEquals(1, t.interOp());
            }
        }
    }

    @Test
    void examples() {
        assertEquals(new ThreadSettings(1, 1), ThreadSettings.derive(2, 1, 2, 0, 0), "2 tasks × 1 thread");
        assertEquals(new ThreadSettings(4, 1), ThreadSettings.derive(8, 4, 16, 0, 0), "2 tasks × 4 threads");
        assertEquals(new ThreadSettings(2, 1), ThreadSettings.derive(2, 2, 2, 0, 0), "one task gets both cores");
        assertEquals(new ThreadSettings(2, 1), ThreadSettings.derive(16, 16, 2, 0, 0),
                "a container with 2 CPUs caps a 16-core claim");
        assertEquals(new ThreadSettings(4, 1), ThreadSettings.derive(4, 8, 4, 0, 0), "task.cpus > cores: one task, all cores");
    }

    @Test
    void explicitValuesOverrideTheDerivation() {
        assertEquals(new ThreadSettings(3, 2), ThreadSettings.derive(2, 1, 2, 3, 2));
    }

    @Test
    void executorCoresFromConfigurationOrLocalMaster() {
        assertEquals(6, ThreadSettings.executorCores("spark://host:7077", 6, 32));
        assertEquals(32, ThreadSettings.executorCores("yarn", 0, 32));
        assertEquals(1, ThreadSettings.executorCores("local", 0, 32));
        assertEquals(4, ThreadSettings.executorCores("local[4]", 0, 32));
        assertEquals(32, ThreadSettings.executorCores("local[*]", 0, 32));
        assertEquals(3, ThreadSettings.executorCores("local[3, 2]", 0, 32));
    }

    @Test
    void outsideSparkOneTaskGetsEveryProcessor() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(new ThreadSettings(processors, 1), ThreadSettings.forThisJvm(DemucsOptions.defaults()));
    }

    @Test
    void optionsComeFromDmeConfig() {
        DemucsOptions o = DemucsOptions.from(DmeConfig.of(Map.of(DmeConfig.DEMUCS_SEGMENT_SECONDS, "7.5",
                DmeConfig.DJL_THREADS, "3", DmeConfig.DJL_INTEROP_THREADS, "2", DmeConfig.DJL_DEVICE, "GPU:1",
                DmeConfig.DJL_CACHE_DIR, "/tmp/djl-cache", DmeConfig.DJL_PRECISION, " BF16")));
        assertEquals(new DemucsOptions(7.5, 3, 2, "gpu:1", Optional.of(Path.of("/tmp/djl-cache")), "bf16", false), o);
        assertEquals(330_750, o.segmentFrames(44_100));
        assertEquals(DemucsOptions.defaults(), DemucsOptions.from(DmeConfig.of(Map.of())));
        assertThrows(IllegalArgumentException.class, () -> DemucsOptions.defaults().withDevice("tpu"));
        assertThrows(IllegalArgumentException.class, () -> DemucsOptions.defaults().withSegmentSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> DemucsOptions.defaults().withPrecision("fp16"));
    }
}
