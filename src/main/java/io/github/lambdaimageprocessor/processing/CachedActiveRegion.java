package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An {@link ActiveRegion} that trusts a value it read for at most {@code refresh}, then reads the switch again. It
 * bounds how long a region keeps processing after a failover (or keeps standing by after a failback) to
 * {@code refresh} plus one event, while the switch is read at most once per {@code refresh} per process, not per
 * upload.
 *
 * <p>An expired value is never used, even when reading it again fails: a switch that says "stop" must be obeyed within
 * the bound, so a failed read fails the event (which is retried) instead of falling back to what was read before.
 * Time comes from a {@link Clock}; a clock that went backwards (a restored snapshot, a corrected host clock) counts as
 * expired.
 *
 * <p>A failed read is not repeated for {@link #FAILURE_HOLD} (or {@code refresh}, when shorter): the calls meanwhile
 * fail with its reason at once. Otherwise every record of an event, and every event after it, would wait out a hanging
 * parameter store again (up to ten seconds each, past Lambda's timeout for a few records), and a throttled one would
 * be asked once more per event, keeping it throttled.
 */
public final class CachedActiveRegion implements ActiveRegion {

    /** How long a failed read stands for the switch before it is read again. */
    static final Duration FAILURE_HOLD = Duration.ofSeconds(2);

    private final ActiveRegion source;

    private final Duration refresh;

    private final Clock clock;

    private String value;

    private Instant readAt;

    private ActiveRegionUnavailableException failure;

    private Instant failedAt;

    /**
     * @param source the switch
     * @param refresh how long a value read is trusted; zero reads the switch for every event
     * @param clock the time source
     */
    public CachedActiveRegion(ActiveRegion source, Duration refresh, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must not be negative, got " + refresh);
        }
    }

    /** Synchronized: the records of one event run in parallel, and one read serves them all. */
    @Override
    public synchronized String current() {
        Instant now = clock.instant();
        if (failure != null && !now.isBefore(failedAt) && now.isBefore(failedAt.plus(failureHold()))) {
            throw new ActiveRegionUnavailableException(failure.getMessage() + " (the last read, "
                    + Duration.between(failedAt, now).toMillis() + " ms ago; the switch is read again "
                    + failureHold().toMillis() + " ms after a failed read)", failure);
        }
        if (value == null || now.isBefore(readAt) || !now.isBefore(readAt.plus(refresh))) {
            // forgotten first, so that a failed read leaves nothing to fall back to
            value = null;
            failure = null;
            try {
                value = source.current();
            }
            catch (ActiveRegionUnavailableException e) {
                failure = e;
                failedAt = clock.instant(); // after the read: a hanging read is not repeated at once either
                throw e;
            }
            // the time before the read: the value is trusted from the earliest moment it could have been read
            readAt = now;
        }
        return value;
    }

    private Duration failureHold() {
        return refresh.compareTo(FAILURE_HOLD) < 0 ? refresh : FAILURE_HOLD;
    }

    /** The switch it reads: what a reason or failure message names. */
    @Override
    public String toString() {
        return source.toString();
    }
}
