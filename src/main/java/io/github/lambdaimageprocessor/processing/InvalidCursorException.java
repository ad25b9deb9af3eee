package io.github.lambdaimageprocessor.processing;

/** A listing cursor that this repository did not hand out (tampered, truncated, or from another store). */
public class InvalidCursorException extends IllegalArgumentException {

    public InvalidCursorException(String cursor) {
        super("'" + UntrustedText.excerpt(cursor) + "' is not a cursor this listing handed out; start again without one");
    }
}
