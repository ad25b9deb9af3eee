package io.github.lambdaimageprocessor.processing;

/**
 * An object in a storage class that must be restored before it can be read (S3 Glacier Flexible Retrieval, Deep
 * Archive, or an Intelligent-Tiering archive tier). Bad input for the use case: retrying cannot read it, a restore
 * can.
 */
public class ObjectArchivedException extends RuntimeException {

    private final String storageClass;

    /**
     * @param storageClass the object's storage class as the store reports it, or null when it does not say
     */
    public ObjectArchivedException(ObjectRef ref, String storageClass) {
        super(ref + " is archived" + (storageClass == null ? "" : " in storage class " + storageClass)
                + " and must be restored before it can be read");
        this.storageClass = storageClass;
    }

    public String storageClass() {
        return storageClass;
    }
}
