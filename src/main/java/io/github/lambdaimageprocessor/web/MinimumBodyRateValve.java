package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A floor under the pace of every request body ({@code image-processor.limits.min-upload-rate}), as Jetty's
 * {@code minRequestDataRate} and Kestrel's {@code MinRequestBodyDataRate} have: once the grace period has passed since
 * the body's first read, the bytes read so far must average the rate, or the read fails, the request is answered 408
 * with a problem detail, and the connection is closed. A body read on a request thread holds that thread until its
 * last byte, and Tomcat bounds only each single read ({@code server.tomcat.connection-timeout}), so a byte every few
 * seconds held a thread for as long as the client liked, and 200 such connections stopped every other request.
 *
 * <p>A Tomcat valve around the body Tomcat itself reads from, not a servlet filter around the request's stream, for
 * two reasons. A filter sees only what the routes read through {@code getInputStream()}: Tomcat parses a
 * {@code POST /images} form from its own stream, which no request wrapper reaches. And a filter cannot stop Tomcat
 * reading the rest of the body after the answer ({@code server.tomcat.max-swallow-size=-1}, so that an oversized
 * upload's client gets its 413): the slow client would keep the thread as long as before, only after its 408. Here the
 * failing read tells Tomcat to drop the rest ({@link ActionCode#DISABLE_SWALLOW_INPUT}) and close the connection.
 *
 * <p>A read that blocks is not interrupted: the rate is checked when it returns, so a client that sends nothing at all
 * is ended by Tomcat's own read timeout, {@code connection-timeout} after its last byte, answered and logged here the
 * same way, the rest of its body dropped too.
 */
final class MinimumBodyRateValve extends ValveBase {

    private static final Logger log = LoggerFactory.getLogger(MinimumBodyRateValve.class);

    private final long bytesPerSecond;

    private final Duration grace;

    private final LongSupplier nanoClock;

    /**
     * @param bytesPerSecond the floor; 0: none
     * @param grace how long after its first read a body's pace is first checked
     */
    MinimumBodyRateValve(long bytesPerSecond, Duration grace) {
        this(bytesPerSecond, grace, System::nanoTime);
    }

    MinimumBodyRateValve(long bytesPerSecond, Duration grace, LongSupplier nanoClock) {
        // async requests pass through; their reads after this valve returns are Tomcat's alone (no route here has any)
        super(true);
        this.bytesPerSecond = bytesPerSecond;
        this.grace = grace;
        this.nanoClock = nanoClock;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        InputBuffer original = coyote.getInputBuffer();
        // the rest of a body that failed is not read: the connection closes after the answer, freeing the thread at once
        PacedBody body = new PacedBody(original, coyote.getContentLengthLong(),
                () -> coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null), bytesPerSecond, grace.toNanos(),
                nanoClock);
        // the processor keeps its buffer from request to request: put it back whatever happens
        coyote.setInputBuffer(body);
        try {
            getNext().invoke(request, response);
        }
        finally {
            coyote.setInputBuffer(original);
        }
        SlowBodyException tooSlow = body.tooSlow();
        if (tooSlow != null) {
            answer(request, response, tooSlow);
        }
    }

    /**
     * Tomcat has answered the failed read with 408 already, but a route may have turned it into its own refusal
     * afterwards (a 400 for a body that ended, or a 500 for an I/O failure it let through): the answer is the 408,
     * with this detail, whatever the route did, as long as nothing of it went out.
     */
    private static void answer(Request request, Response response, SlowBodyException tooSlow) throws IOException {
        log.warn("408 {} {} from {}: {}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                tooSlow.getMessage());
        if (!response.isCommitted()) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, tooSlow);
            response.sendError(HttpServletResponse.SC_REQUEST_TIMEOUT, tooSlow.getMessage());
        }
    }

    /** The request's body as Tomcat reads it, timed. One per request, on its thread. */
    static final class PacedBody implements InputBuffer {

        private final InputBuffer body;

        private final long declared;

        private final Runnable dropRest;

        private final long bytesPerSecond;

        private final long graceNanos;

        private final LongSupplier nanoClock;

        private long firstRead;

        private boolean started;

        private long received;

        private SlowBodyException tooSlow;

        /**
         * @param declared the body's {@code Content-Length}, or -1 (chunked)
         * @param dropRest tells Tomcat not to read the rest of the body once this one failed
         */
        PacedBody(InputBuffer body, long declared, Runnable dropRest, long bytesPerSecond, long graceNanos,
                LongSupplier nanoClock) {
            this.body = body;
            this.declared = declared;
            this.dropRest = dropRest;
            this.bytesPerSecond = bytesPerSecond;
            this.graceNanos = graceNanos;
            this.nanoClock = nanoClock;
        }

        @Override
        public int doRead(ApplicationBufferHandler handler) throws IOException {
            if (tooSlow != null) {
                throw tooSlow;
            }
            if (!started) {
                // from the first read, not the request's arrival: the time a route takes before it reads is not the
                // client's, nor is the wait for a 100-continue, which Tomcat sends just before this read
                firstRead = nanoClock.getAsLong();
                started = true;
            }
            int read;
            try {
                read = body.doRead(handler);
            }
            catch (SocketTimeoutException e) {
                // Tomcat's own read timeout: nothing came for server.tomcat.connection-timeout. Tomcat answered 408,
                // then waited as long again for the rest of the body, which it reads to its end before the next
                // request, so a client that went silent held its thread for twice the timeout (120 s at 60 s); and
                // the routes answered it each their own way (400, or 500 with no body). Ended as one below the floor
                tooSlow = new SlowBodyException("The request body stopped arriving: nothing came for longer than the "
                        + "server waits for it (server.tomcat.connection-timeout), so the request was ended: send it "
                        + "again over a faster connection");
                dropRest.run();
                throw tooSlow;
            }
            if (read > 0) {
                received += read;
            }
            // a body that is all there has stopped holding anything, however long it took
            boolean complete = read < 0 || (declared >= 0 && received >= declared);
            if (!complete) {
                check();
            }
            return read;
        }

        /** The check after each read, which returns as bytes arrive: a byte every few seconds is seen at each. */
        private void check() throws SlowBodyException {
            long elapsed = nanoClock.getAsLong() - firstRead;
            if (elapsed <= graceNanos || received >= bytesPerSecond * (elapsed / 1e9)) {
                return;
            }
            tooSlow = new SlowBodyException(String.format(Locale.ROOT,
                    "The request body arrived at %d bytes per second (%d %s in %.1f s), below the server's "
                            + "minimum of %d bytes per second (image-processor.limits.min-upload-rate), so the request "
                            + "was ended: send it again over a faster connection",
                    Math.round(received / (elapsed / 1e9)), received,
                    declared >= 0 ? "of " + declared + " bytes" : "bytes", elapsed / 1e9, bytesPerSecond));
            dropRest.run();
            throw tooSlow;
        }

        @Override
        public int available() {
            return body.available();
        }

        /** The failure this body ended with, or null. */
        SlowBodyException tooSlow() {
            return tooSlow;
        }
    }
}
