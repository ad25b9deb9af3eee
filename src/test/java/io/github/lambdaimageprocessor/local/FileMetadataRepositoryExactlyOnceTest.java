package io.github.lambdaimageprocessor.local;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.lambdaimageprocessor.processing.ExactlyOnceSimulation;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once schedules of {@code ExactlyOnceStressTest} on the local app's records: the conditional writes as
 * files under a lock per record. Fewer schedules, as every write is synced to the disk.
 */
class FileMetadataRepositoryExactlyOnceTest {

    private static final long[] SEEDS = { 101, 102 };

    @Test
    void everyScheduleKeepsThePromisesOfExactlyOnceMdOnFileRecords(@TempDir Path folder) throws Exception {
        Logger processorLog = Logger.getLogger(ImageProcessor.class.getName());
        Level level = processorLog.getLevel();
        processorLog.setLevel(Level.OFF);
        try (FileMetadataRepository records = new FileMetadataRepository(folder, JsonMapper.builder().build())) {
            // one repository for all: each schedule names its keys by its seed
            ExactlyOnceSimulation.Stats stats = ExactlyOnceSimulation.runAll(SEEDS, 20, () -> records);

            System.out.println("FileMetadataRepositoryExactlyOnceTest: " + stats);
            assertThat(stats.schedules()).isEqualTo(40);
            assertThat(stats.faults()).isGreaterThan(20);
            assertThat(stats.waits()).isPositive();
        }
        finally {
            processorLog.setLevel(level);
        }
    }
}
