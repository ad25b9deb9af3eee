package io.github.lambdaimageprocessor.processing;

/**
 * An object as reported in a {@link ProcessedImage}: where it is and what it holds. Width and height are null when the
 * object could not be decoded; bytes is null when it could not be read.
 */
public record ImageObject(String bucket, String key, Integer width, Integer height, Long bytes, String contentType) {

    public static ImageObject unread(ObjectRef ref) {
        return new ImageObject(ref.bucket(), ref.key(), null, null, null, null);
    }

    public static ImageObject of(ObjectRef ref, Dimensions dimensions, long bytes, String contentType) {
        return new ImageObject(ref.bucket(), ref.key(), dimensions == null ? null : dimensions.width(),
                dimensions == null ? null : dimensions.height(), bytes, contentType);
    }

    public ObjectRef ref() {
        return new ObjectRef(bucket, key);
    }
}
