package io.github.lambdaimageprocessor.local;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.NotifierContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

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
        // an entry starts with a line naming the logger; the lines after it continue it (a key may hold a line break).
        // Only the simple name: Boot's console pattern shortens the package (i.g.l.local.LoggingNotifier) once any
        // earlier test in this JVM started a Spring context, plain Logback prints the full name.
        String logged = output.getOut().substring(seen);
        List<String> entries = new ArrayList<>();
        for (String line : logged.split("\\R")) {
            if (LOGGER_NAME.matcher(line).find()) {
                entries.add(line);
            }
            else if (!entries.isEmpty()) {
                entries.set(entries.size() - 1, entries.getLast() + "\n" + line);
            }
        }
        return entries;
    }
}
