package io.github.lambdaimageprocessor.processing;

/**
 * The {@link ActiveRegion} switch could not be read, or holds no usable value. An infrastructure failure: the event is
 * neither processed nor skipped, so that it is retried (and lands in the failure destination if the switch stays
 * unreadable), rather than silently dropped or processed in two regions.
 */
public class ActiveRegionUnavailableException extends RuntimeException {

    public ActiveRegionUnavailableException(String message) {
        super(message);
    }

    public ActiveRegionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
