package io.github.lambdaimageprocessor.processing;

/** An upload request that cannot be granted as asked (wrong type, length, checksum or name); a client error. */
public class InvalidUploadException extends IllegalArgumentException {

    public InvalidUploadException(String message) {
        super(message);
    }
}
