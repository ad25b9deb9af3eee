package io.github.lambdaimageprocessor.processing;

/**
 * Port: the switch that names the one region of a two-region deployment that processes uploads (the other stands by).
 * It lives outside both deployments (on AWS, an SSM parameter in each region), so an operator can flip it while a
 * region is down.
 */
public interface ActiveRegion {

    /**
     * Reads the switch.
     *
     * @return the name of the active region, e.g. {@code eu-west-1}
     * @throws ActiveRegionUnavailableException when the switch is missing, cannot be read or holds something that is
     *         not a region name (then an {@link ActiveRegionUnusableException}): the caller cannot know whether to
     *         process, so it must fail (and be retried), never guess
     */
    String current();
}
