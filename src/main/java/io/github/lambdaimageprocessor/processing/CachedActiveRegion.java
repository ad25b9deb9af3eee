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
 */
public final class CachedActiveRegion implements ActiveRegion {

    private final ActiveRegion source;

    private final Duration refresh;

    private final Clock clock;

    private String value;

    private Instant readAt;

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
        if (value == null || now.isBefore(readAt) || !now.isBefore(readAt.plus(refresh))) {
            // forgotten first, so that a failed read leaves nothing to fall back to
            value = null;
            value = source.current();
            // the time before the read: the value is trusted from the earliest moment it could have been read
            readAt = now;
        }
        return value;
    }

    /** The switch it reads: what a reason or failure message names. */
    @Override
    public String toString() {
        return source.toString();
    }
}
