package io.github.lambdaimageprocessor.processing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A store that cannot take writes for a reason of the machine's, not of the request: its disk is full or mounted
 * read-only. The operator fixes it; a client is told so rather than given a bare server error.
 */
public class StorageUnavailableException extends UncheckedIOException {

    /** What stops the writes. */
    public enum Reason {
        OUT_OF_SPACE, READ_ONLY
    }

    private final Reason reason;

    public StorageUnavailableException(Reason reason, String message, IOException cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
