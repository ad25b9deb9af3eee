package io.github.lambdaimageprocessor.web;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import org.apache.coyote.InputBuffer;
import org.apache.tomcat.util.net.ApplicationBufferHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When a body's pace ends it ({@link MinimumBodyRateValve.PacedBody}), on a clock the test moves: 1000 bytes a second
 * after a grace of 2 s, each read returning what arrived after the milliseconds it waited.
 */
class MinimumBodyRateValveTest {

    private long now;

    private int restDropped;

    /** Each read: milliseconds it blocks, then bytes it returns (-1: the end). */
    private final Deque<long[]> reads = new ArrayDeque<>();

    private MinimumBodyRateValve.PacedBody body(long contentLength) {
        return body(contentLength, 1000);
    }

    private MinimumBodyRateValve.PacedBody body(long contentLength, long bytesPerSecond) {
        InputBuffer arriving = new InputBuffer() {
            @Override
            public int doRead(ApplicationBufferHandler handler) {
                long[] read = reads.removeFirst();
                now += TimeUnit.MILLISECONDS.toNanos(read[0]);
                return (int) read[1];
            }

            @Override
            public int available() {
                return 0;
            }
        };
        return new MinimumBodyRateValve.PacedBody(arriving, contentLength, () -> restDropped++, bytesPerSecond,
                TimeUnit.SECONDS.toNanos(2), () -> now);
    }

    private void arrive(long afterMillis, long bytes) {
        reads.addLast(new long[] { afterMillis, bytes });
    }

    private static void readAll(MinimumBodyRateValve.PacedBody body) throws IOException {
        while (body.doRead(ApplicationBufferHandler.EMPTY) >= 0) {
            // on
        }
    }

    @Test
    void aBodyBelowThePaceAfterTheGraceFailsAtTheReadThatShowsItAndTellsTomcatToDropTheRest() throws IOException {
        MinimumBodyRateValve.PacedBody body = body(100_000);
        arrive(0, 1000);
        arrive(1900, 900); // 1900 bytes in 1.9 s: within the grace, whatever its pace
        arrive(1000, 100); // 2000 bytes in 2.9 s: below 1000 a second
        body.doRead(ApplicationBufferHandler.EMPTY);
        body.doRead(ApplicationBufferHandler.EMPTY);
        assertThat(restDropped).isZero();

        assertThatThrownBy(() -> body.doRead(ApplicationBufferHandler.EMPTY)).isInstanceOf(SlowBodyException.class)
            .hasMessage("The request body arrived at 690 bytes per second (2000 of 100000 bytes in 2.9 s), below the "
                    + "server's minimum of 1000 bytes per second (image-processor.limits.min-upload-rate), so the "
                    + "request was ended: send it again over a faster connection");
        assertThat(restDropped).isOne();
        // a route that reads on after the failure gets it again, without waiting for the client
        assertThatThrownBy(() -> body.doRead(ApplicationBufferHandler.EMPTY)).isSameAs(body.tooSlow());
    }

    @Test
    void aBodyAtThePaceOrAboveIsReadToItsEnd() throws IOException {
        MinimumBodyRateValve.PacedBody body = body(-1);
        for (int second = 0; second < 10; second++) {
            arrive(1000, 1000);
        }
        arrive(0, -1);

        readAll(body);

        assertThat(body.tooSlow()).isNull();
        assertThat(restDropped).isZero();
    }

    @Test
    void theLastBytesOfABodyEndItHoweverLateTheyCome() throws IOException {
        MinimumBodyRateValve.PacedBody body = body(2000);
        arrive(0, 1000);
        arrive(60_000, 1000);
        arrive(0, -1);

        readAll(body);

        assertThat(body.tooSlow()).isNull();
    }

    @Test
    void theClockStartsAtTheFirstReadNotWhenTheBodyWasWrapped() throws IOException {
        MinimumBodyRateValve.PacedBody body = body(-1);
        now += TimeUnit.SECONDS.toNanos(30); // the route did other work before reading
        arrive(100, 500);
        arrive(100, -1);

        readAll(body);

        assertThat(body.tooSlow()).isNull();
    }

    @Test
    void aFloorOfZeroEndsNoBody() throws IOException {
        MinimumBodyRateValve.PacedBody body = body(-1, 0);
        arrive(0, 1);
        arrive(600_000, 1);
        arrive(0, -1);

        readAll(body);

        assertThat(body.tooSlow()).isNull();
        assertThat(restDropped).isZero();
    }
}
