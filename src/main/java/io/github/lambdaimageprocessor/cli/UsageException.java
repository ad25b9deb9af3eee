package io.github.lambdaimageprocessor.cli;

/** The command line is wrong; the message says how. Nothing was done. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
