package io.github.lambdaimageprocessor.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReporterTest {

    private final AtomicLong nanos = new AtomicLong();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private ProgressReporter reporter(boolean terminal) {
        return new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, Duration.ZERO,
                nanos::get);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void advance(ProgressReporter reporter, int found, int completed) {
        for (int i = 0; i < found; i++) {
            reporter.found();
        }
        for (int i = 0; i < completed; i++) {
            reporter.completed();
        }
    }

    @Test
    void showsDoneOverTotalRateAndTimeLeftOnceTheTotalIsKnown() {
        ProgressReporter reporter = reporter(false);
        advance(reporter, 500, 120);
        nanos.set(Duration.ofSeconds(10).toNanos());

        assertThat(reporter.render()).isEqualTo("120/500+ (listing), 12.0/s");
        reporter.allFound();
        // 380 left at 12 per second
        assertThat(reporter.render()).isEqualTo("120/500 (24%), 12.0/s, about 32s left");
    }

    @Test
    void aTotalCountedAheadOfTheListingGivesThePercentageAndTimeLeftBeforeTheListingEnds() {
        ProgressReporter reporter = reporter(false);
        advance(reporter, 124, 120);
        nanos.set(Duration.ofSeconds(10).toNanos());

        reporter.counted(500);

        assertThat(reporter.render()).isEqualTo("120/500 (24%), 12.0/s, about 32s left");
        // objects uploaded since they were counted: the count no longer bounds the total
        advance(reporter, 400, 0);
        assertThat(reporter.render()).isEqualTo("120/524+ (listing), 12.0/s");
        reporter.allFound();
        assertThat(reporter.render()).isEqualTo("120/524 (22%), 12.0/s, about 34s left");
    }

    @Test
    void formatsLongDurationsReadably() {
        assertThat(ProgressReporter.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(ProgressReporter.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(ProgressReporter.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
    }

    @Test
    void onATerminalRewritesOneLineAndClearsItForWholeLines() {
        ProgressReporter reporter = reporter(true);
        advance(reporter, 10, 5);
        nanos.set(Duration.ofSeconds(1).toNanos());
        reporter.show();
        reporter.completed();
        reporter.show();
        reporter.println("REJECTED s3://uploads/a.jpg: not a JPEG");
        reporter.allFound();
        reporter.close();

        assertThat(output()).startsWith("\r5/10+ (listing), 5.0/s\r6/10+ (listing), 6.0/s\r")
            .contains("\rREJECTED s3://uploads/a.jpg: not a JPEG\n")
            .endsWith("\r6/10 (60%), 6.0/s, about 1s left\n");
    }

    @Test
    void elsewherePrintsPlainLinesWithoutCarriageReturns() {
        ProgressReporter reporter = reporter(false);
        advance(reporter, 2, 2);
        nanos.set(Duration.ofSeconds(2).toNanos());
        reporter.show();
        reporter.allFound();
        reporter.close();

        assertThat(output()).isEqualTo("2/2+ (listing), 1.0/s\n2/2 (100%), 1.0/s\n").doesNotContain("\r");
    }
}
