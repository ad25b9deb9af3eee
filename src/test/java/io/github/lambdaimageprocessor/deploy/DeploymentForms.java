package io.github.lambdaimageprocessor.deploy;

import java.util.Map;

/**
 * The three ways {@code template.yaml} is deployed, with the parameter values docs/multi-region.md uses (the bucket
 * and table names stand for the peer stack's outputs; their shape is what the template generates).
 */
final class DeploymentForms {

    /** The SSM parameter that holds the active region, in both regions (docs/multi-region.md). */
    static final String ACTIVE_REGION_PARAMETER = "/image-processor/active-region";

    /** One region on its own: every parameter at its default. */
    static final Map<String, String> SINGLE_REGION = Map.of();

    /** The first stack of a pair (us-east-1): it owns the global table and adds the replica in eu-west-1. */
    static final Map<String, String> PRIMARY = Map.of("PeerRegion", "eu-west-1", "PeerUploadBucket",
            "image-uploads-123456789012-0a1b2c3d4e5f", "PeerProcessedBucket",
            "image-thumbnails-123456789012-0a1b2c3d4e5f", "ActiveRegionParameter", ACTIVE_REGION_PARAMETER);

    /** The second stack of a pair (eu-west-1): no table of its own, the primary's global table's replica instead. */
    static final Map<String, String> STANDBY = Map.of("PeerRegion", "us-east-1", "PeerUploadBucket",
            "image-uploads-123456789012-9f8e7d6c5b4a", "PeerProcessedBucket",
            "image-thumbnails-123456789012-9f8e7d6c5b4a", "PeerMetadataTable",
            "lambda-image-processor-MetadataTable-1A2B3C4D5E6F", "ActiveRegionParameter", ACTIVE_REGION_PARAMETER);

    /** A form with one more parameter value. */
    static Map<String, String> with(Map<String, String> form, String parameter, String value) {
        Map<String, String> values = new java.util.HashMap<>(form);
        values.put(parameter, value);
        return Map.copyOf(values);
    }

    private DeploymentForms() {
    }
}
