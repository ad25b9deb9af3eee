package io.github.lambdaimageprocessor.thumbnail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ForkedJvm;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.RejectedImageException;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Heap, time and work per image stay bounded, whatever the file claims. */
class BoundedWorkTest {

    private static final com.sun.management.ThreadMXBean ALLOCATIONS = (com.sun.management.ThreadMXBean) ManagementFactory
        .getThreadMXBean();

    static final String BIG_PROGRESSIVE = "/generated/progressive-gradient-9000x11000.jpg";

    /** The largest accepted files: 99.6 MP baseline, 99 MP progressive, 8 MP progressive, 6 MP. */
    static final List<String> LARGEST = List.of("/corpus/bomb/photo-9643x10328-99.6MP.jpg", BIG_PROGRESSIVE,
            "/corpus/edge-sizes/panorama-equirect-4096x2048.jpg", "/corpus/valid/flickr-2725x2225.jpg");

    @Test
    void theLargestAcceptedImagesAreProcessedWithA512MbHeap() throws Exception {
        // given a JVM with the heap a small Lambda function has, when it makes thumbnails of the largest images
        ForkedJvm.Result result = ForkedJvm.run(LargeImages.class, List.of("-Xmx512m"), LARGEST,
                Duration.ofMinutes(2));

        // then every one is processed, none runs out of memory
        System.out.print(result.output());
        assertThat(result.exitValue()).as(result.output()).isZero();
        assertThat(result.lines()).filteredOn(line -> line.startsWith("PROCESSED")).hasSize(LARGEST.size());
    }

    /** Runs in the forked JVM: one line per image with its outcome, time and peak heap. */
    static final class LargeImages {

        public static void main(String[] args) throws IOException {
            ThumbnailatorResizer resizer = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC);
            for (String resource : args) {
                byte[] bytes;
                try (InputStream in = BoundedWorkTest.class.getResourceAsStream(resource)) {
                    bytes = in.readAllBytes();
                }
                System.gc();
                List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
                heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                long started = System.nanoTime();
                try {
                    Thumbnail thumbnail = resizer.resize(bytes);
                    long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
                    System.out.printf("PROCESSED %s %s -> %s in %d ms, peak heap %d MB (sum of pool peaks)%n",
                            resource, thumbnail.source(), thumbnail.size(), (System.nanoTime() - started) / 1_000_000,
                            peak / (1024 * 1024));
                }
                catch (RejectedImageException e) {
                    System.out.println("REJECTED " + resource + ": " + e.getMessage());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "bomb/claims-65535x65535-186-bytes.jpg", "bomb/progressive-claims-61472x32800-308-bytes.jpg",
            "bomb/gray-20000x14000-280MP.jpg" })
    void bombsAreRejectedFromTheHeaderWithoutDecoding(String file) {
        // given a resizer whose decoder counts its calls
        AtomicInteger decodes = new AtomicInteger();
        Decoder counting = (jpeg, header, request) -> {
            decodes.incrementAndGet();
            throw new AssertionError("must not decode");
        };
        ThumbnailatorResizer resizer = new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC, List.of(counting));
        byte[] bomb = TestImages.bytes(file);
        rejectQuietly(resizer, bomb);

        // when
        long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        String reason = rejectQuietly(resizer, bomb);
        long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore;

        // then rejected from the header alone: no decode, and this thread allocated a tiny fraction of one row of
        // pixels (a decode of the smallest claim, 20000x14000 grey, needs 280 MB)
        assertThat(reason).contains("over the limit of 100000000 pixels");
        assertThat(decodes).hasValue(0);
        assertThat(allocated).as("bytes allocated by the rejection").isLessThan(1 << 20);
    }

    /** The reason, or null when not rejected (also warms up class loading, so a measurement sees only the check). */
    private static String rejectQuietly(ThumbnailatorResizer resizer, byte[] bytes) {
        try {
            resizer.resize(bytes);
            return null;
        }
        catch (RejectedImageException e) {
            return e.getMessage();
        }
    }

    @Test
    void aDecodePastTheTimeLimitIsRejectedAndAborted() throws Exception {
        // given a decoder that reports how it ended, and a limit far below the decode time of a 99.6 MP photo (~1 s)
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<String> ending = new AtomicReference<>("completed");
        ImageIoDecoder imageIo = new ImageIoDecoder();
        Decoder reporting = (jpeg, header, request) -> {
            try {
                return imageIo.decode(jpeg, header, request);
            }
            catch (RejectedImageException e) {
                ending.set(e.getMessage());
                throw e;
            }
            finally {
                stopped.countDown();
            }
        };
        ThumbnailatorResizer resizer = new ThumbnailatorResizer(
                DefaultSettings.THUMBNAIL_SPEC.withTimeLimit(Duration.ofMillis(100)), List.of(reporting));
        byte[] big = TestImages.bytes("bomb/photo-9643x10328-99.6MP.jpg");

        // when
        String reason = rejectQuietly(resizer, big);

        // then the caller got the time-limit rejection, and the abandoned decode was aborted, not finished
        assertThat(reason).isEqualTo("took longer than the time limit of 100 ms to decode and resize; aborted");
        assertThat(stopped.await(30, TimeUnit.SECONDS)).as("decode stopped").isTrue();
        assertThat(ending).hasValue(ThumbnailatorResizer.ABORTED);
    }

    @Test
    void aDecodeThatIgnoresTheAbortIsHandedToTheConcurrencyLimitUntilItEnds() throws Exception {
        // given a decoder that, like native code, does not notice the abort
        CountDownLatch release = new CountDownLatch(1);
        Decoder deaf = (jpeg, header, request) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                // native code is not interrupted either: carry on until released
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new RejectedImageException("decoded too late");
        };
        ThumbnailatorResizer resizer = new ThumbnailatorResizer(
                DefaultSettings.THUMBNAIL_SPEC.withTimeLimit(Duration.ofMillis(100)), List.of(deaf));

        // when its time limit passes
        StillRunningException rejected = org.assertj.core.api.Assertions.catchThrowableOfType(StillRunningException.class,
                () -> resizer.resize(TestImages.bytes(TestImages.SMALL)));

        // then the caller is answered, and told the decode is still running until it really stops
        assertThat(rejected).hasMessage("took longer than the time limit of 100 ms to decode and resize; aborted");
        assertThat(rejected.finished()).isNotDone();
        release.countDown();
        rejected.finished().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anImageWhoseWorkNeverStartedBeforeItsDeadlineHoldsNothingAfterIt() throws Exception {
        // given workers all busy past the deadline (a starved CPU, a long GC pause)
        java.util.concurrent.ExecutorService busy = java.util.concurrent.Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        busy.submit(() -> release.await(30, TimeUnit.SECONDS));
        Decoder never = (jpeg, header, request) -> {
            throw new AssertionError("a task cancelled at its deadline must not run");
        };
        ThumbnailatorResizer resizer = new ThumbnailatorResizer(
                DefaultSettings.THUMBNAIL_SPEC.withTimeLimit(Duration.ofMillis(100)), List.of(never), busy);
        try {
            // when the time limit passes before the image's work started
            Throwable rejected = org.assertj.core.api.Assertions.catchThrowable(
                    () -> resizer.resize(TestImages.bytes(TestImages.SMALL)));

            // then it is rejected as too slow, with nothing left running to hold a concurrency permit
            assertThat(rejected).isInstanceOf(RejectedImageException.class)
                .isNotInstanceOf(StillRunningException.class)
                .hasMessage("took longer than the time limit of 100 ms to decode and resize; aborted");
        }
        finally {
            release.countDown();
            busy.shutdown();
        }
        assertThat(busy.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
}
