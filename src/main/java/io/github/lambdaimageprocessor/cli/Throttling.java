package io.github.lambdaimageprocessor.cli;

import java.util.Map;

/**
 * How often the services asked a command to slow down (S3's {@code SlowDown}, DynamoDB's
 * {@code ProvisionedThroughputExceeded}, SNS's {@code Throttling}), counted where the clients are built. The command
 * says so in its summary: a run that took far longer than the last one, or whose objects failed with throttling
 * errors, then has its reason on the terminal.
 */
@FunctionalInterface
public interface Throttling {

    /** The throttled answers so far, by service ("S3" to 4); empty when none, or where no service throttles. */
    Map<String, Long> throttled();

    /** Where nothing is throttled (the local folders). */
    static Throttling none() {
        return Map::of;
    }
}
