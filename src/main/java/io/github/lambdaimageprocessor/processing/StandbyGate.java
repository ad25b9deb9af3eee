package io.github.lambdaimageprocessor.processing;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides, before anything is read or written, whether this region processes uploads now. In a two-region deployment
 * both regions receive upload events (the buckets replicate into each other); only the region the {@link ActiveRegion}
 * switch names processes them, the other skips them. That is what keeps an upload from being processed, recorded and
 * notified twice: DynamoDB checks a global table's conditional writes in the region that makes them, so the record
 * cannot arbitrate between regions.
 */
public final class StandbyGate {

    private static final StandbyGate OPEN = new StandbyGate(null, null, null);

    private final String thisRegion;

    private final String peerRegion;

    private final ActiveRegion activeRegion;

    private StandbyGate(String thisRegion, String peerRegion, ActiveRegion activeRegion) {
        this.thisRegion = thisRegion;
        this.peerRegion = peerRegion;
        this.activeRegion = activeRegion;
    }

    /** No gate: a single-region deployment, or the local runtime. Every event is processed. */
    public static StandbyGate open() {
        return OPEN;
    }

    /**
     * A gate on the switch.
     *
     * @param thisRegion the region this process runs in
     * @param peerRegion the other region of the pair, or null when unknown; when known, a switch naming neither region
     *        is a failure (a typo would otherwise make both regions stand by and skip every upload)
     * @param activeRegion the switch, usually a {@link CachedActiveRegion}
     */
    public static StandbyGate on(String thisRegion, String peerRegion, ActiveRegion activeRegion) {
        if (thisRegion == null || thisRegion.isBlank()) {
            throw new IllegalArgumentException("the standby gate needs the region it runs in");
        }
        if (thisRegion.equals(peerRegion)) {
            throw new IllegalArgumentException("the peer region must differ from this region (" + thisRegion + ")");
        }
        return new StandbyGate(thisRegion, peerRegion == null || peerRegion.isBlank() ? null : peerRegion,
                Objects.requireNonNull(activeRegion, "activeRegion"));
    }

    /**
     * Why this region must not process an upload now, or empty when it must.
     *
     * @throws ActiveRegionUnavailableException when the switch cannot be read; an {@link ActiveRegionUnusableException}
     *         when it names neither region of the pair
     */
    public Optional<String> standbyReason() {
        if (activeRegion == null) {
            return Optional.empty();
        }
        String active = activeRegion.current();
        if (thisRegion.equals(active)) {
            return Optional.empty();
        }
        if (peerRegion != null && !peerRegion.equals(active)) {
            throw new ActiveRegionUnusableException(activeRegion + " names " + active + ", which is neither this "
                    + "region (" + thisRegion + ") nor its peer (" + peerRegion + "): fix the switch");
        }
        return Optional.of("this region (" + thisRegion + ") is the standby: " + activeRegion + " names " + active
                + " as the active region");
    }

    @Override
    public String toString() {
        return activeRegion == null ? "no standby gate" : "standby gate of " + thisRegion + " on " + activeRegion;
    }
}
