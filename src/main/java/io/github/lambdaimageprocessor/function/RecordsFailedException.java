package io.github.lambdaimageprocessor.function;

/**
 * Some records of an event failed for an infrastructure reason; the first failure is the cause, the others are
 * suppressed. Thrown after all records were attempted so the event is retried.
 */
public class RecordsFailedException extends RuntimeException {

    private final int failed;

    RecordsFailedException(int failed, int total, Throwable first) {
        super(failed + " of " + total + " records failed; the event must be retried. First failure: "
                + first.getMessage(), first);
        this.failed = failed;
    }

    /** How many records of the event failed. */
    public int failed() {
        return failed;
    }
}
