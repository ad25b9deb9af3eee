package io.github.lambdaimageprocessor.processing;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once protocol under random faults, crashes, timeouts and interleavings ({@link ExactlyOnceSimulation}),
 * on a fixed list of seeds so that the unit suite runs the same schedules every time. A failure names its seed;
 * {@code -Dexactly-once.seed=<seed>} runs that one schedule alone.
 */
class ExactlyOnceStressTest {

    private static final long[] SEEDS = { 1, 2, 3, 4, 5, 6, 7, 8 };

    private static final int SCHEDULES_PER_SEED = 200;

    /** Each give-back a fault refused is logged as a warning: hundreds of lines, all expected. */
    private static final Logger processorLog = Logger.getLogger(ImageProcessor.class.getName());

    private static Level level;

    @BeforeAll
    static void quietGiveBackWarnings() {
        level = processorLog.getLevel();
        processorLog.setLevel(Level.OFF);
    }

    @AfterAll
    static void restoreLogging() {
        processorLog.setLevel(level);
    }

    @Test
    void everyScheduleKeepsThePromisesOfExactlyOnceMd() {
        String replay = System.getProperty("exactly-once.seed");
        if (replay != null) {
            System.out.println(ExactlyOnceSimulation.run(Long.parseLong(replay), new InMemoryMetadataRepository()));
            return;
        }

        ExactlyOnceSimulation.Stats stats = ExactlyOnceSimulation.runAll(SEEDS, SCHEDULES_PER_SEED,
                InMemoryMetadataRepository::new);

        System.out.println("ExactlyOnceStressTest: " + stats);
        assertThat(stats.schedules()).isEqualTo(SEEDS.length * SCHEDULES_PER_SEED);
        // the schedules reach what they are for: each kind of trouble happens, many times
        assertThat(stats.faults()).isGreaterThan(100);
        assertThat(stats.crashes()).isGreaterThan(20);
        assertThat(stats.timeouts()).isGreaterThan(10);
        assertThat(stats.waits()).isGreaterThan(20);
        assertThat(stats.edges()).isGreaterThan(5);
        assertThat(stats.redriven()).isGreaterThan(10);
    }
}
