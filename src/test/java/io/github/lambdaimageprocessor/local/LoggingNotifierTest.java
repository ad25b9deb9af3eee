package io.github.lambdaimageprocessor.local;

import java.util.List;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.NotifierContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class LoggingNotifierTest extends NotifierContract {

    private static final Pattern LOGGER_NAME = Pattern
        .compile("\\." + LoggingNotifier.class.getSimpleName() + "\\b");

    private CapturedOutput output;

    private int seen;

    @BeforeEach
    void captureOutput(CapturedOutput output) {
        this.output = output;
        this.seen = output.getOut().length();
    }

    @Override
    protected Notifier notifier() {
        return new LoggingNotifier();
    }

    @Override
    protected List<String> delivered(int expected) {
        // one line per entry, naming the logger; only by its simple name: Boot's console pattern shortens the package
        // (i.g.l.local.LoggingNotifier) once any earlier test in this JVM started a Spring context, plain Logback
        // prints the full name
        return output.getOut().substring(seen).lines().filter(line -> LOGGER_NAME.matcher(line).find()).toList();
    }

    @Test
    void aKeyHoldingALineBreakCannotForgeALogLine() {
        String forged = "x.jpg\n2026-11-26T10:15:30Z  INFO 1 --- [main] LoggingNotifier : Processed s3://uploads/y.jpg";

        notifier().imageProcessed(rejected(forged));

        String logged = output.getOut().substring(seen);
        assertThat(logged.lines().filter(line -> LOGGER_NAME.matcher(line).find())).singleElement().asString()
            .contains("s3://uploads/x.jpg\\u000A2026-11-26T10:15:30Z");
        assertThat(logged).doesNotContain("\n2026-11-26T10:15:30Z");
    }
}
