package io.github.lambdaimageprocessor.aws;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.lambdaimageprocessor.processing.ExactlyOnceSimulation;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once schedules of {@code ExactlyOnceStressTest} on {@link DynamoDbMetadataRepository} against moto: the
 * conditional writes as DynamoDB condition expressions, faults injected around each call as the simulation does for
 * every adapter.
 */
class ExactlyOnceStressIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static final long[] SEEDS = { 201, 202 };

    @Test
    void everyScheduleKeepsThePromisesOfExactlyOnceMdOnDynamoDb() {
        AwsFixture aws = AwsFixture.create(moto);
        DynamoDbMetadataRepository records = new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE);
        Logger processorLog = Logger.getLogger(ImageProcessor.class.getName());
        Level level = processorLog.getLevel();
        processorLog.setLevel(Level.OFF);
        try {
            // one table for all: each schedule names its keys by its seed
            ExactlyOnceSimulation.Stats stats = ExactlyOnceSimulation.runAll(SEEDS, 15, () -> records);

            System.out.println("ExactlyOnceStressIT: " + stats);
            assertThat(stats.schedules()).isEqualTo(30);
            assertThat(stats.faults()).isGreaterThan(20);
            assertThat(stats.waits()).isPositive();
        }
        finally {
            processorLog.setLevel(level);
        }
    }
}
