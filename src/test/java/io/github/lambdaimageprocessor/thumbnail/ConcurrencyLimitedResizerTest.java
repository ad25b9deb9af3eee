package io.github.lambdaimageprocessor.thumbnail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Resizer;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyLimitedResizerTest {

    @Test
    void neverRunsMoreResizesAtOnceThanItsLimit() throws Exception {
        // given resizes that stay inside until the gate opens, and eight callers for a limit of two
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch twoInside = new CountDownLatch(2);
        CountDownLatch gate = new CountDownLatch(1);
        Resizer held = image -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoInside.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return new Thumbnail(image, new Dimensions(1, 1), new Dimensions(1, 1));
        };
        Resizer limited = new ConcurrencyLimitedResizer(held, 2);
        List<Thread> callers = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task);
            callers.add(thread);
            return thread;
        });
        try {
            List<Future<Thumbnail>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> limited.resize(new byte[] { 1 })));
            }

            // when two are inside and the six other callers are parked on the limiter (WAITING: the two inside wait
            // on the gate with a timeout, TIMED_WAITING)
            assertThat(twoInside.await(30, TimeUnit.SECONDS)).as("two resizes started").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (callers.stream().filter(thread -> thread.getState() == Thread.State.WAITING).count() < 6) {
                assertThat(System.nanoTime()).as("six callers waiting for a permit").isLessThan(deadline);
                Thread.sleep(10);
            }

            // then no third resize got in, and once the gate opens every caller gets its thumbnail
            assertThat(running).hasValue(2);
            gate.countDown();
            for (Future<Thumbnail> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).jpeg()).containsExactly(1);
            }
        }
        finally {
            gate.countDown();
            pool.shutdownNow();
        }
        assertThat(maxRunning).hasValue(2);
    }

    @Test
    void passesRejectionsThroughAndFreesItsPermit() throws Exception {
        Resizer rejecting = image -> {
            throw new RejectedImageException("not a JPEG: content is text");
        };
        Resizer limited = new ConcurrencyLimitedResizer(rejecting, 1);

        for (int i = 0; i < 3; i++) {
            org.assertj.core.api.Assertions.assertThatExceptionOfType(RejectedImageException.class)
                .isThrownBy(() -> limited.resize(new byte[0]))
                .withMessage("not a JPEG: content is text");
        }
    }

    @Test
    void aResizeAnsweredWhileItsDecodeGoesOnKeepsItsPermitUntilTheDecodeEnds() throws Exception {
        // given a limit of one, and a first image rejected at its time limit while its decode (native) goes on
        CompletableFuture<Void> decodeEnds = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        Resizer delegate = image -> {
            if (calls.incrementAndGet() == 1) {
                throw new StillRunningException("took longer than the time limit", decodeEnds);
            }
            return new Thumbnail(image, new Dimensions(1, 1), new Dimensions(1, 1));
        };
        Resizer limited = new ConcurrencyLimitedResizer(delegate, 1);
        org.assertj.core.api.Assertions.assertThatExceptionOfType(RejectedImageException.class)
            .isThrownBy(() -> limited.resize(new byte[] { 1 }));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            // when the next image comes
            Future<Thumbnail> next = caller.submit(() -> limited.resize(new byte[] { 2 }));

            // then it waits for the first decode to end, not for the first answer
            Thread.sleep(300);
            assertThat(calls).hasValue(1);
            decodeEnds.complete(null);
            assertThat(next.get(30, TimeUnit.SECONDS).jpeg()).containsExactly(2);
        }
        finally {
            caller.shutdownNow();
        }
    }
}
