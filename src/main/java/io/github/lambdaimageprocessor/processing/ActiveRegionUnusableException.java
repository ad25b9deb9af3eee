package io.github.lambdaimageprocessor.processing;

/**
 * The {@link ActiveRegion} switch was read, but what it holds names no region to act on: no region name at all, a
 * value of the wrong type, or a region that is neither of the pair. A fault of the switch's configuration, which
 * only the operator mends: the web routes answer it as one (502), where an unreadable switch may pass (503). Still an
 * {@link ActiveRegionUnavailableException}, so an event fails and is retried, then parked, as for an unreadable
 * switch: a retry after the operator's fix processes it.
 */
public class ActiveRegionUnusableException extends ActiveRegionUnavailableException {

    /** @param message the switch, what it holds and why that is unusable: the operator's log line */
    public ActiveRegionUnusableException(String message) {
        super(message);
    }
}
