package io.github.lambdaimageprocessor.processing;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A store that cannot take writes for a reason of the machine's, not of the request: its disk is full or mounted
 * read-only, or its files are not this process's user's to write. The operator fixes it; a client is told so rather than given a bare server error.
 */
public class StorageUnavailableException extends UncheckedIOException {

    /** What stops the writes. */
    public enum Reason {
        OUT_OF_SPACE, READ_ONLY,
        /** Files or folders of the store that this process's user may not write, as another user's run leaves them. */
        PERMISSION_DENIED
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
