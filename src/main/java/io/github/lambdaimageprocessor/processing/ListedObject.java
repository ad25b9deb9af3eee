package io.github.lambdaimageprocessor.processing;

import java.util.Objects;

/**
 * One object found by listing a bucket (or named by an S3 Batch Operations task): what a backfill knows about it
 * before reading it.
 *
 * @param ref the object, key as stored (not URL-encoded)
 * @param eTag its eTag without quotes, or null when the source of the listing does not say
 * @param versionId the version to process, or null for the current one
 * @param size its size in bytes, or null when unknown
 */
public record ListedObject(ObjectRef ref, String eTag, String versionId, Long size) {

    public ListedObject {
        Objects.requireNonNull(ref, "ref");
        eTag = ObjectVersion.bareETag(eTag);
        versionId = versionId == null || versionId.isBlank() ? null : versionId;
    }

    public static ListedObject of(ObjectRef ref) {
        return new ListedObject(ref, null, null, null);
    }
}
