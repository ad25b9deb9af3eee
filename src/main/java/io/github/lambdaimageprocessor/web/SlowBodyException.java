package io.github.lambdaimageprocessor.web;

import java.net.SocketTimeoutException;

/**
 * A request body that arrived below {@code image-processor.limits.min-upload-rate}, or stopped arriving for Tomcat's
 * read timeout ({@code server.tomcat.connection-timeout}): its message is the problem's detail. A {@link SocketTimeoutException}, because that is what it is to Tomcat (a body that did not come in time),
 * which answers a failed read of one with 408 as it does its own read timeout. No stack trace: it is the client's
 * pace, not a fault of the server, and the line logged for it says all there is.
 */
final class SlowBodyException extends SocketTimeoutException {

    SlowBodyException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
