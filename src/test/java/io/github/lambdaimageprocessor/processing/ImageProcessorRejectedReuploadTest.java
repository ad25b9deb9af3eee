package io.github.lambdaimageprocessor.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A photo replaced at its key by a file that is REJECTED: the earlier photo's thumbnail is removed (its owner may have
 * replaced it so that it is no longer shown), exactly once in effect, whatever fails or crosses on the way, and never
 * a later upload's.
 */
class ImageProcessorRejectedReuploadTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

    private static final ObjectRef SOURCE = new ObjectRef("uploads", "photos/photo.jpg");

    private static final ObjectRef THUMBNAIL = new ObjectRef("processed", "thumbnails/photos/photo.jpg");

    private static final byte[] GOOD = TestImages.bytes(TestImages.SMALL);

    private static final byte[] LATER_GOOD = TestImages.bytes(TestImages.CAMERA_PHOTO);

    private static final byte[] BAD = TestImages.bytes("not-jpeg/plain-text.jpg");

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    private final MutableClock clock = new MutableClock(NOW);

    private final ImageProcessor processor = processor(store, metadata);

    private ImageProcessor processor(ImageStore imageStore, MetadataRepository records) {
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), records,
                notifier, new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
    }

    /** An upload of the key and its event: on a versioned bucket (a version id) or not (eTag and sequencer). */
    private UploadEvent upload(byte[] content, String versionId, String eTag, String sequencer) {
        store.write(SOURCE, content, "image/jpeg", Map.of());
        return new UploadEvent(SOURCE, null, new ObjectVersion(versionId, eTag, sequencer), null);
    }

    private String thumbnailVersion() {
        return store.read(THUMBNAIL).orElseThrow().metadata().get(ImageProcessor.SOURCE_VERSION);
    }

    @ParameterizedTest(name = "versioned bucket: {0}")
    @ValueSource(booleans = { false, true })
    void aRejectedUploadRemovesTheThumbnailOfTheEarlierPhotoAtItsKey(boolean versioned) {
        assertThat(processor.process(upload(GOOD, versioned ? "ver-1" : null, "etag-1", "0A")).status())
            .isEqualTo(Status.PROCESSED);
        assertThat(store.read(THUMBNAIL)).isPresent();

        ProcessedImage rejected = processor.process(upload(BAD, versioned ? "ver-2" : null, "etag-2", "0B"));

        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
        assertThat(rejected.reason()).isEqualTo("not a JPEG: content is text");
        // the thumbnail key is the same for every version of the upload: the earlier photo's is gone
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(metadata.find(SOURCE)).contains(rejected);
        assertThat(notifier.notifications()).extracting(ProcessedImage::status)
            .containsExactly(Status.PROCESSED, Status.REJECTED);
    }

    @Test
    void aDuplicateDeliveryOfTheRejectedUploadIsARepeatThatFailsNothing() {
        processor.process(upload(GOOD, null, "etag-1", "0A"));
        UploadEvent bad = upload(BAD, null, "etag-2", "0B");
        processor.process(bad);

        ProcessedImage repeat = processor.process(bad);

        assertThat(repeat.status()).isEqualTo(Status.SKIPPED);
        assertThat(repeat.reason()).startsWith("already processed");
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void anEarlierRejectedUploadLeavesNothingToRemoveAndTheNextIsRejectedAsUsual() {
        assertThat(processor.process(upload(BAD, null, "etag-1", "0A")).status()).isEqualTo(Status.REJECTED);

        ProcessedImage again = processor.process(upload(BAD, null, "etag-2", "0B"));

        assertThat(again.status()).isEqualTo(Status.REJECTED);
        assertThat(store.objects()).doesNotContainKey(THUMBNAIL);
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void aThumbnailRemovedByHandAlreadyIsNoError() {
        processor.process(upload(GOOD, null, "etag-1", "0A"));
        store.delete(THUMBNAIL);

        ProcessedImage rejected = processor.process(upload(BAD, null, "etag-2", "0B"));

        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
        assertThat(rejected.notifiedAt()).isNotNull();
        assertThat(store.read(THUMBNAIL)).isEmpty();
    }

    /**
     * The removal refused (S3 down for a moment): the REJECTED record is claimed and not notified, the claim given back,
     * and Lambda's retry a minute later takes it over, removes the thumbnail and notifies, once.
     */
    @Test
    void aRemovalThatFailsAfterTheRecordIsDoneByTheRetry() {
        processor.process(upload(GOOD, null, "etag-1", "0A"));
        AtomicBoolean refused = new AtomicBoolean();
        ImageStore refusingOnce = new ForwardingImageStore(store) {
            @Override
            public void delete(ObjectRef ref) {
                if (refused.compareAndSet(false, true)) {
                    throw new IllegalStateException("Failed to delete " + ref + " (503 Slow Down)");
                }
                super.delete(ref);
            }
        };
        ImageProcessor flaky = processor(refusingOnce, metadata);
        UploadEvent bad = upload(BAD, null, "etag-2", "0B");

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> flaky.process(bad));
        assertThat(store.read(THUMBNAIL)).as("not removed yet").isPresent();
        assertThat(metadata.find(SOURCE).orElseThrow()).satisfies(claim -> {
            assertThat(claim.status()).isEqualTo(Status.REJECTED);
            assertThat(claim.notifiedAt()).isNull();
        });
        clock.advance(Duration.ofMinutes(1));

        ProcessedImage retried = flaky.process(bad);

        assertThat(retried.status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(notifier.notifications()).extracting(ProcessedImage::status)
            .containsExactly(Status.PROCESSED, Status.REJECTED);
    }

    /**
     * A crash between the REJECTED record and the removal (the instance gone, nothing given back): the record is still
     * an unnotified claim, so a redelivery after the lease takes it over and removes the thumbnail before it notifies.
     */
    @Test
    void aCrashBetweenTheRecordAndTheRemovalIsFinishedByTheRedeliveryAfterTheLease() {
        processor.process(upload(GOOD, null, "etag-1", "0A"));
        ImageStore crashing = new ForwardingImageStore(store) {
            @Override
            public void delete(ObjectRef ref) {
                throw new Crash();
            }
        };
        MetadataRepository nothingGivenBack = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean release(ProcessedImage claim, Instant lapsedAt) {
                throw new Crash();
            }
        };
        UploadEvent bad = upload(BAD, null, "etag-2", "0B");
        assertThatExceptionOfType(Crash.class).isThrownBy(() -> processor(crashing, nothingGivenBack).process(bad));
        assertThat(store.read(THUMBNAIL)).isPresent();

        // within the lease the redelivery waits for the claimer, after it takes the claim over
        assertThatExceptionOfType(DeliveryInProgressException.class).isThrownBy(() -> processor.process(bad));
        clock.advance(ImageProcessor.CLAIM_LEASE);
        ProcessedImage redelivered = processor.process(bad);

        assertThat(redelivered.status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(notifier.notifications()).hasSize(2);
    }

    /** An older upload rejected late (its event overtaken by a later good one) leaves the later thumbnail alone. */
    @Test
    void anOvertakenEarlierUploadRejectedLateLeavesTheLaterThumbnail() {
        UploadEvent earlierBad = new UploadEvent(SOURCE, null, new ObjectVersion("ver-1", "etag-1", "0A"), null);
        // the later upload (a good photo) is processed first; the versioned store still holds the bad one as ver-1
        VersionedStore versions = new VersionedStore(store);
        versions.put("ver-1", BAD);
        versions.put("ver-2", LATER_GOOD);
        ImageProcessor versioned = processor(versions, metadata);
        UploadEvent later = new UploadEvent(SOURCE, null, new ObjectVersion("ver-2", "etag-2", "0B"), null);
        assertThat(versioned.process(later).status()).isEqualTo(Status.PROCESSED);

        ProcessedImage stale = versioned.process(earlierBad);

        assertThat(stale.status()).isEqualTo(Status.SKIPPED);
        assertThat(stale.reason()).startsWith("stale event");
        assertThat(thumbnailVersion()).isEqualTo(later.version().key());
        assertThat(metadata.find(SOURCE).orElseThrow().status()).isEqualTo(Status.PROCESSED);
    }

    /**
     * The rejected upload's removal crosses a later good upload's thumbnail write: the later delivery claims and writes
     * after the REJECTED record, before the removal lands. The removal looks at the record again and writes the later
     * upload's thumbnail back.
     */
    @Test
    void aRemovalLandingAfterALaterUploadsThumbnailWritesThatThumbnailBack() {
        processor.process(upload(GOOD, null, "etag-1", "0A"));
        UploadEvent bad = upload(BAD, null, "etag-2", "0B");
        AtomicBoolean crossed = new AtomicBoolean();
        ImageStore crossing = new ForwardingImageStore(store) {
            @Override
            public void delete(ObjectRef ref) {
                if (crossed.compareAndSet(false, true)) {
                    assertThat(processor.process(upload(LATER_GOOD, null, "etag-3", "0C")).status())
                        .isEqualTo(Status.PROCESSED);
                }
                super.delete(ref);
            }
        };
        ProcessedImage overtaken = processor(crossing, metadata).process(bad);

        assertThat(thumbnailVersion()).isEqualTo(new ObjectVersion(null, "etag-3", "0C").key());
        assertThat(TestImages.decode(store.read(THUMBNAIL).orElseThrow().content()).getWidth()).isEqualTo(256);
        // the rejected upload was replaced before its removal landed: no "removed" email after the later photo's
        // "Thumbnail ready", which would read as if that one had been removed
        assertThat(overtaken.status()).isEqualTo(Status.SKIPPED);
        assertThat(overtaken.reason()).startsWith("superseded: a later upload of this key (eTag etag-3) was recorded "
                + "while this one was being processed");
        assertThat(notifier.notifications()).extracting(sent -> sent.version().eTag())
            .containsExactly("etag-1", "etag-3");
    }

    /**
     * The other crossing: an earlier good upload's late thumbnail write lands after the REJECTED record and its
     * removal. The writer looks at the record again and removes it; should it die before that look, its retry (a stale
     * event) removes it.
     */
    @ParameterizedTest(name = "the late writer dies before it looks again: {0}")
    @ValueSource(booleans = { false, true })
    void anEarlierUploadsThumbnailLandingAfterTheRejectionIsRemovedAgain(boolean writerDies) {
        store.write(SOURCE, GOOD, "image/jpeg", Map.of());
        UploadEvent earlier = new UploadEvent(SOURCE, null, new ObjectVersion(null, "etag-1", "0A"), null);
        AtomicBoolean crossed = new AtomicBoolean();
        ImageStore lateWrite = new ForwardingImageStore(store) {
            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                boolean late = ref.equals(THUMBNAIL) && crossed.compareAndSet(false, true);
                if (late) {
                    assertThat(processor.process(upload(BAD, null, "etag-2", "0B")).status())
                        .isEqualTo(Status.REJECTED);
                }
                String eTag = super.write(ref, content, contentType, meta);
                if (late && writerDies) {
                    throw new Crash();
                }
                return eTag;
            }
        };
        ImageProcessor writer = processor(lateWrite, metadata);

        if (writerDies) {
            assertThatExceptionOfType(Crash.class).isThrownBy(() -> writer.process(earlier));
            assertThat(store.read(THUMBNAIL)).as("the late write landed").isPresent();
            clock.advance(Duration.ofMinutes(1));
            assertThat(writer.process(earlier).reason()).startsWith("stale event");
        }
        else {
            // replaced before its write landed: no "Thumbnail ready" for a thumbnail that is gone
            ProcessedImage overtaken = writer.process(earlier);
            assertThat(overtaken.status()).isEqualTo(Status.SKIPPED);
            assertThat(overtaken.reason()).startsWith("superseded: a later upload of this key (eTag etag-2)");
        }

        assertThat(metadata.find(SOURCE).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(notifier.notifications()).extracting(ProcessedImage::status).containsExactly(Status.REJECTED);
    }

    /**
     * The same crossing on the path of a retry that takes a lapsed claim over: the first attempt at the good photo died
     * after its claim, and while the retry writes the thumbnail again a later upload of the key is rejected. The retry
     * removes its late thumbnail and sends no "Thumbnail ready" either.
     */
    @Test
    void aRetryTakingALapsedClaimOverThatIsOvertakenWhileItWritesSendsNoEmail() {
        store.write(SOURCE, GOOD, "image/jpeg", Map.of());
        UploadEvent earlier = new UploadEvent(SOURCE, null, new ObjectVersion(null, "etag-1", "0A"), null);
        int[] writes = new int[1];
        ImageStore diesOnceThenCrossed = new ForwardingImageStore(store) {
            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                if (ref.equals(THUMBNAIL) && ++writes[0] == 1) {
                    throw new Crash(); // the first attempt dies after its claim
                }
                if (ref.equals(THUMBNAIL) && writes[0] == 2) {
                    assertThat(processor.process(upload(BAD, null, "etag-2", "0B")).status())
                        .isEqualTo(Status.REJECTED);
                }
                return super.write(ref, content, contentType, meta);
            }
        };
        ImageProcessor writer = processor(diesOnceThenCrossed, metadata);
        assertThatExceptionOfType(Crash.class).isThrownBy(() -> writer.process(earlier));
        clock.advance(ImageProcessor.CLAIM_LEASE.plusSeconds(1));

        ProcessedImage retried = writer.process(earlier);

        assertThat(retried.status()).isEqualTo(Status.SKIPPED);
        assertThat(retried.reason()).startsWith("superseded: a later upload of this key (eTag etag-2)");
        assertThat(metadata.find(SOURCE).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(notifier.notifications()).extracting(ProcessedImage::status).containsExactly(Status.REJECTED);
    }

    /** A crash: the attempt dies where it is, and gives nothing back. */
    private static final class Crash extends RuntimeException {
    }

    /** The upload key's versions by id, as a versioned bucket keeps them; everything else in the in-memory store. */
    private static final class VersionedStore extends ForwardingImageStore {

        private final Map<String, byte[]> versions = new java.util.HashMap<>();

        VersionedStore(InMemoryImageStore store) {
            super(store);
        }

        void put(String versionId, byte[] content) {
            versions.put(versionId, content);
        }

        @Override
        public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
            if (ref.equals(SOURCE) && versionId != null) {
                return Optional.ofNullable(versions.get(versionId))
                    .map(content -> new StoredObject(content, "image/jpeg", Map.of(), null));
            }
            return super.read(ref, versionId, maxBytes);
        }
    }
}
