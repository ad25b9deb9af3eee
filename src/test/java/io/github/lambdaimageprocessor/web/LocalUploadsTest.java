package io.github.lambdaimageprocessor.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryImageStore;
import io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LocalUploads}: the event it makes for each stored upload, ordered as the writes were. */
class LocalUploadsTest {

    private static final ObjectRef KEY = new ObjectRef("uploads", "race.jpg");

    @Test
    void ofTwoUploadsOfOneKeyTheOneStoredLastIsTheOneRecorded() throws Exception {
        twoUploadsOfOneKeyRace(new InMemoryMetadataRepository());
    }

    @Test
    void soAfterAHandPostedEventWithAHighSequencer() throws Exception {
        InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();
        // what POST /processImage with events/s3-put.json records: an 18-digit sequencer, above any clock-based one
        metadata.save(ProcessedImage.processed(new ImageObject("uploads", KEY.key(), 2725, 2225, 829183L, "image/jpeg"),
                new ImageObject("processed", "thumbnails/race.jpg", 256, 209, 13851L, "image/jpeg"), Instant.EPOCH)
            .withEvent(new EventInfo(new ObjectVersion(null, "6b85cd0955aa633f8e5d84fe7827a2c3", "0A1B2C3D4E5F678901"),
                    null)));

        twoUploadsOfOneKeyRace(metadata);
    }

    private static void twoUploadsOfOneKeyRace(InMemoryMetadataRepository metadata) throws Exception {
        InMemoryImageStore memory = new InMemoryImageStore();
        byte[] first = TestImages.bytes(TestImages.SMALL);
        byte[] second = TestImages.bytes(TestImages.CAMERA_PHOTO);
        CountDownLatch firstStored = new CountDownLatch(1);
        CountDownLatch secondProcessing = new CountDownLatch(1);
        // the first upload, once stored, waits (half a second at most) for the second to be stored and on its way
        // to a thumbnail, so with its sequencer drawn; without a lock around write and sequencer the second would
        // overtake the first that way and draw the smaller sequencer
        ImageStore store = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return memory.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                String eTag = memory.write(ref, content, contentType, meta);
                if (ref.equals(KEY) && content == first) {
                    firstStored.countDown();
                    try {
                        secondProcessing.await(500, TimeUnit.MILLISECONDS);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return eTag;
            }

            @Override
            public void checkWritable(ObjectRef ref) {
                // the processor asks before it claims a record: the first upload is still waiting, so this is the
                // second one
                secondProcessing.countDown();
            }
        };
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                metadata, new RecordingNotifier(), new OutputLocation("processed", "thumbnails/"), 50_000_000,
                Clock.systemUTC());
        LocalUploads uploads = new LocalUploads(store, processor, metadata);

        CompletableFuture<LocalUploads.Processed> two;
        // two threads of their own: the common pool may have one on a small machine
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            CompletableFuture<LocalUploads.Processed> one = CompletableFuture
                .supplyAsync(() -> uploads.storeAndProcess(KEY, first, "image/jpeg"), threads);
            assertThat(firstStored.await(10, TimeUnit.SECONDS)).isTrue();
            two = CompletableFuture.supplyAsync(() -> uploads.storeAndProcess(KEY, second, "image/jpeg"), threads);
            one.get(30, TimeUnit.SECONDS);
            two.get(30, TimeUnit.SECONDS);
        }

        String storedETag = memory.read(KEY).orElseThrow().eTag();
        ProcessedImage recorded = metadata.find(KEY).orElseThrow();
        assertThat(recorded.version().eTag()).as("the record is of the content the bucket holds")
            .isEqualTo(storedETag);
        assertThat(recorded.status()).isEqualTo(Status.PROCESSED);
        assertThat(two.get().result().status()).as("the last upload's own answer").isEqualTo(Status.PROCESSED);
        assertThat(TestImages.decode(memory.read(new ObjectRef("processed", "thumbnails/race.jpg")).orElseThrow()
            .content()).getWidth()).as("the thumbnail of the 800x600 photo stored last").isEqualTo(256);
    }
}
