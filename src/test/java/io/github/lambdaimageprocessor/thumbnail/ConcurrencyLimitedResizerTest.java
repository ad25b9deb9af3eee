package io.github.lambdaimageprocessor.thumbnail;

import java.util.ArrayList;
import java.util.List;
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
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch allStarted = new CountDownLatch(1);
        Resizer slow = image -> {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                allStarted.await(50, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return new Thumbnail(image, new Dimensions(1, 1), new Dimensions(1, 1));
        };
        Resizer limited = new ConcurrencyLimitedResizer(slow, 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Thumbnail>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> limited.resize(new byte[] { 1 })));
            }
            for (Future<Thumbnail> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).jpeg()).containsExactly(1);
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(maxRunning.get()).isEqualTo(2);
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
}
