package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.BackfillResult.Kind;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link ImageProcessor#backfill}: the objects already in a bucket, with in-memory fakes. */
class BackfillTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static final ObjectRef PHOTO = new ObjectRef("uploads", "albums/2026/camera.jpg");

    private static final ObjectRef THUMBNAIL = new ObjectRef("processed", "thumbnails/albums/2026/camera.jpg");

    private static final ThumbnailSettings SMALLER = new ThumbnailSettings(128, 128, 0.85f, 1);

    private final InMemoryImageStore store = new InMemoryImageStore();

    private final InMemoryMetadataRepository metadata = new InMemoryMetadataRepository();

    private final RecordingNotifier notifier = new RecordingNotifier();

    /** What the processors publish with: the recording notifier, unless a test makes it fail first. */
    private Notifier publisher = notifier;

    /**
     * What the processors record in: the records, unless a test stages a run killed after its claim, which never
     * gives the claim back (a failure does, so the next run takes it over at once; a kill leaves it to its lease).
     */
    private MetadataRepository records = metadata;

    /** The records as a run killed after claiming leaves them: the failure that stands for the kill gives nothing back. */
    private final MetadataRepository killedAfterTheClaim = new DelegatingMetadataRepository(metadata) {
        @Override
        public boolean release(ProcessedImage claim, Instant lapsedAt) {
            return false;
        }
    };

    private Instant now = NOW;

    private ImageProcessor processor(ImageStore imageStore, ThumbnailSettings settings) {
        ThumbnailSpec spec = new ThumbnailSpec(new Dimensions(settings.width(), settings.height()), settings.quality(),
                DefaultSettings.THUMBNAIL_SPEC.maxPixels(), DefaultSettings.THUMBNAIL_SPEC.maxDecodedPixels(),
                DefaultSettings.THUMBNAIL_SPEC.timeLimit());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                // every decision a microsecond later, so two records of one object never share processedAt
                now = now.plusNanos(1000);
                return now;
            }
        };
        return new ImageProcessor(imageStore, new ThumbnailatorResizer(spec), records, publisher,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock, settings);
    }

    private ImageProcessor processor() {
        return processor(store, ImageProcessor.DEFAULT_SETTINGS);
    }

    private ListedObject listed(ObjectRef ref) {
        return store.list(ref.bucket(), ref.key()).filter(o -> o.ref().equals(ref)).findFirst().orElseThrow();
    }

    @Test
    void makesTheThumbnailOfAnUnrecordedObjectAndRecordsTheSettingsWithoutNotifying() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listed(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(store.read(THUMBNAIL)).isPresent();
        ProcessedImage record = metadata.find(PHOTO).orElseThrow();
        assertThat(record.settings()).isEqualTo(ImageProcessor.DEFAULT_SETTINGS);
        assertThat(record.event().version().eTag()).isEqualTo(listed(PHOTO).eTag());
        assertThat(record.notifiedAt()).isNull();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void notifiesWhenAsked() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listed(PHOTO), false, true);

        assertThat(notifier.notifications()).hasSize(1);
        assertThat(result.image().notifiedAt()).isNotNull();
        assertThat(metadata.find(PHOTO).orElseThrow().notifiedAt()).isNotNull();
    }

    @Test
    void aSecondRunFindsItUpToDateAndWritesNothing() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();
        StoredObject firstThumbnail = store.read(THUMBNAIL).orElseThrow();

        BackfillResult second = processor().backfill(listed(PHOTO), false, false);

        assertThat(second.kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(metadata.find(PHOTO)).contains(first);
        assertThat(store.read(THUMBNAIL).orElseThrow()).isSameAs(firstThumbnail);
    }

    @Test
    void anObjectReplacedByAFileItRejectsLosesTheEarlierPhotosThumbnail() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        assertThat(store.read(THUMBNAIL)).isPresent();
        store.write(PHOTO, TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listed(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.REJECTED);
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
    }

    /**
     * A run cut short between the REJECTED record and the removal (or a record REJECTED by a release that removed
     * nothing) leaves a thumbnail under a record that is otherwise up to date: the next run does not take it for done.
     */
    @Test
    void aThumbnailLeftUnderARejectedRecordIsRemovedByTheNextRun() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        store.write(PHOTO, TestImages.bytes("not-jpeg/plain-text.jpg"), "image/jpeg", Map.of());
        ImageStore cutShort = new ForwardingImageStore(store) {
            @Override
            public void delete(ObjectRef ref) {
                throw new IllegalStateException("killed");
            }
        };
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> processor(cutShort, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false,
                    false));
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(store.read(THUMBNAIL)).isPresent();

        BackfillResult next = processor().backfill(listed(PHOTO), false, false);
        BackfillResult after = processor().backfill(listed(PHOTO), false, false);

        assertThat(next.kind()).isEqualTo(Kind.REJECTED);
        assertThat(store.read(THUMBNAIL)).isEmpty();
        assertThat(after.kind()).isEqualTo(Kind.ALREADY_REJECTED);
        assertThat(notifier.notifications()).isEmpty();
    }

    /** The store, but its next {@code failures} thumbnail writes fail, as S3 does when it answers 503 SlowDown. */
    private ImageStore failingThumbnailWrites(int failures) {
        int[] left = { failures };
        return new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
                if (ref.equals(THUMBNAIL) && left[0]-- > 0) {
                    throw new IllegalStateException("SlowDown: please reduce your request rate");
                }
                return store.write(ref, content, contentType, metadata);
            }

            @Override
            public java.util.stream.Stream<ListedObject> list(String bucket, String prefix) {
                return store.list(bucket, prefix);
            }
        };
    }

    @Test
    void aRunCutShortBetweenTheRecordAndTheThumbnailIsFinishedByTheNextRun() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ImageStore flaky = failingThumbnailWrites(1);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor(flaky, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false, false));
        assertThat(metadata.find(PHOTO)).isPresent();
        assertThat(store.read(THUMBNAIL)).isEmpty();

        BackfillResult again = processor(flaky, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false, false);

        assertThat(again.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(store.read(THUMBNAIL)).isPresent();
        assertThat(processor().backfill(listed(PHOTO), false, false).kind()).isEqualTo(Kind.UP_TO_DATE);
    }

    @Test
    void anUploadWhoseDeliveryClaimedItAndNeverFinishedIsFinishedAndNotifiedOnce() {
        // given an upload whose delivery claimed its record and then died (the local app killed, no retry follows)
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null,
                new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null);
        ImageStore dying = failingThumbnailWrites(1);
        records = killedAfterTheClaim;
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor(dying, ImageProcessor.DEFAULT_SETTINGS).process(event));
        records = metadata;
        ProcessedImage claimed = metadata.find(PHOTO).orElseThrow();
        assertThat(claimed.notifiedAt()).isNull();
        assertThat(notifier.notifications()).isEmpty();

        // when a backfill runs, without --notify, within the claim's lease and after it
        BackfillResult within = processor().backfill(listed(PHOTO), false, false);
        now = now.plus(ImageProcessor.CLAIM_LEASE);
        BackfillResult after = processor().backfill(listed(PHOTO), false, false);

        // then the delivery at work is left alone, and a lapsed one is finished: thumbnail, the upload's one
        // notification, the event's identity kept, so a late redelivery is still a duplicate
        assertThat(within.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(within.reason()).contains("an upload event is being processed")
            .as("what a user whose app was killed is to do: no delivery comes back locally")
            .contains("a backfill after " + claimed.processedAt().plus(ImageProcessor.CLAIM_LEASE) + " does");
        assertThat(after.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(store.read(THUMBNAIL)).isPresent();
        assertThat(notifier.notifications()).hasSize(1);
        ProcessedImage finished = metadata.find(PHOTO).orElseThrow();
        assertThat(finished.notifiedAt()).isNotNull();
        assertThat(finished.event()).isEqualTo(claimed.event());
        assertThat(processor().backfill(listed(PHOTO), false, false).kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(processor().process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    /** Publishes through the recording notifier once {@code failures} publishes have failed, as a throttled SNS. */
    private Notifier failingFor(int failures) {
        int[] left = { failures };
        return image -> {
            if (left[0]-- > 0) {
                throw new IllegalStateException("Failed to publish to SNS (Throttling): Rate exceeded");
            }
            notifier.imageProcessed(image);
        };
    }

    @Test
    void aNotificationANotifyingRunCouldNotSendIsSentByTheNextRunAtOnceNotLostBehindAnUpToDateRecord() {
        // given a --notify run that made the thumbnail and record, and then SNS failed
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        publisher = failingFor(1);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor().backfill(listed(PHOTO), false, true));
        assertThat(store.read(THUMBNAIL)).isPresent();

        // when the same command runs again at once, without --notify
        BackfillResult atOnce = processor().backfill(listed(PHOTO), false, false);

        // then the failed run gave its claim back: the rerun sends the notification, once
        assertThat(atOnce.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(processor().backfill(listed(PHOTO), false, true).kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aNotificationANotifyingRunKilledAfterItsRecordOwesIsSentByARunAfterTheLease() {
        // given a --notify run that made the thumbnail and record, and then was killed
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        publisher = failingFor(1);
        records = killedAfterTheClaim;
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor().backfill(listed(PHOTO), false, true));
        records = metadata;
        assertThat(store.read(THUMBNAIL)).isPresent();

        // when the same command runs again: at once (the killed run may still be at work, for all a run can tell),
        // and after the claim's lease
        BackfillResult atOnce = processor().backfill(listed(PHOTO), false, true);
        now = now.plus(ImageProcessor.CLAIM_LEASE);
        BackfillResult later = processor().backfill(listed(PHOTO), false, true);

        // then the later run sends the notification, once, rather than find the record up to date and send none
        assertThat(atOnce.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(atOnce.reason()).contains("has not notified yet");
        assertThat(later.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(processor().backfill(listed(PHOTO), false, true).kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aJobsRetriedTaskLeavesToAnEventTheClaimItTookOverFromTheJobAndNotifiesNothingTwice() {
        // given an upload whose delivery claimed its record and could not notify, finished after the lease by a task
        // of job J, whose notification failed too (a TemporaryFailure, which S3 Batch Operations runs again)
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null,
                new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null, NOW);
        publisher = failingFor(1);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor().process(event));
        now = now.plus(ImageProcessor.CLAIM_LEASE);
        publisher = failingFor(1);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor().backfill(listed(PHOTO), false, false, "job-J"));

        // when, after the lease, Lambda's retry of the event takes the claim over, and J's task is run again while
        // that delivery is at work (here: while it publishes)
        now = now.plus(ImageProcessor.CLAIM_LEASE);
        publisher = notifier;
        ImageProcessor retriedTask = processor();
        BackfillResult[] retried = new BackfillResult[1];
        publisher = image -> {
            retried[0] = retriedTask.backfill(listed(PHOTO), false, false, "job-J");
            notifier.imageProcessed(image);
        };
        processor().process(event);

        // then the delivery at work sends the one notification; the task leaves it to it, as to any claim at work
        assertThat(retried[0].kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aNotifyingRemakeOfAnEventsRecordWhoseNotificationFailedStillOwesIt() {
        // given an upload recorded and notified by its event, remade by a --notify run after a settings change,
        // whose notification failed: the record keeps the event's (older) notification time
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null,
                new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null, NOW);
        processor(store, SMALLER).process(event);
        assertThat(notifier.notifications()).hasSize(1);
        publisher = failingFor(1);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor().backfill(listed(PHOTO), false, true));
        // the failed run gave its claim back without the record reading as notified by the event's older time
        assertThat(ImageProcessor.isUnfinished(metadata.find(PHOTO).orElseThrow())).isTrue();

        // when a later run comes
        now = now.plus(ImageProcessor.CLAIM_LEASE);
        BackfillResult later = processor().backfill(listed(PHOTO), false, true);

        // then it sends the run's notification, and the event's redelivery is still a duplicate
        assertThat(later.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(notifier.notifications()).hasSize(2);
        assertThat(processor().process(event).status()).isEqualTo(Status.SKIPPED);
        assertThat(processor().backfill(listed(PHOTO), false, true).kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void anUploadEventDeliveredAfterABackfillNotifiedItsBytesIsADuplicateButANewUploadIsNot() {
        // given an upload whose event failed, then a backfill --notify that made and notified it
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        String eTag = listed(PHOTO).eTag();
        Instant uploaded = now.minusSeconds(3600);
        processor().backfill(listed(PHOTO), false, true);
        assertThat(notifier.notifications()).hasSize(1);

        // when the upload's event comes back (a redrive of the failure queue, a late Lambda retry)
        ProcessedImage replayed = processor().process(new UploadEvent(PHOTO, null,
                new ObjectVersion(null, eTag, "0A1B2C3D4E5F678901"), null, uploaded));

        // then it is the same upload: nothing is sent twice
        assertThat(replayed.status()).isEqualTo(Status.SKIPPED);
        assertThat(replayed.reason()).startsWith("already processed: a backfill recorded this object");
        assertThat(notifier.notifications()).hasSize(1);

        // and the same bytes uploaded again after the backfill are a new upload, notified as such
        ProcessedImage again = processor().process(new UploadEvent(PHOTO, null,
                new ObjectVersion(null, eTag, "0A1B2C3D4E5F678999"), null, now.plusSeconds(60)));
        assertThat(again.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void aTaskNamingNoETagFindsADoneObjectDoneWithoutReadingItEvenOnceItIsArchived() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        // the photo has moved to Glacier since: a GetObject fails, a HeadObject still answers
        ImageStore archived = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                if (ref.equals(PHOTO)) {
                    throw new ObjectArchivedException(ref, "GLACIER");
                }
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public Optional<String> eTagOf(ObjectRef ref, String versionId) {
                return store.read(ref, versionId, Long.MAX_VALUE).map(StoredObject::eTag);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
                return store.write(ref, content, contentType, metadata);
            }
        };

        // an S3 Batch task: key and bucket, no eTag, no version id
        BackfillResult result = processor(archived, ImageProcessor.DEFAULT_SETTINGS)
            .backfill(ListedObject.of(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.UP_TO_DATE);
    }

    @Test
    void evenAForcedBackfillLeavesAnUploadWhoseDeliveryIsAtWorkToIt() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null,
                new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null);
        records = killedAfterTheClaim;
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
            .isThrownBy(() -> processor(failingThumbnailWrites(1), ImageProcessor.DEFAULT_SETTINGS).process(event));
        records = metadata;

        BackfillResult forced = processor().backfill(listed(PHOTO), true, true);

        assertThat(forced.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(notifier.notifications()).isEmpty();
        assertThat(store.read(THUMBNAIL)).isEmpty();
    }

    @Test
    void aLapsedClaimOnAnObjectOverTheSizeLimitIsNotifiedOnceAndThenLeftAlone() {
        // given an upload over the limit, REJECTED by its event, whose notification failed
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ListedObject big = listed(PHOTO);
        UploadEvent event = new UploadEvent(PHOTO, big.size(), new ObjectVersion(null, big.eTag(), "0A1B2C3D4E5F678901"),
                null);
        ImageProcessor tight = new ImageProcessor(store, image -> {
            throw new AssertionError("not resized");
        }, metadata, image -> {
            throw new IllegalStateException("SNS is down");
        }, new OutputLocation("processed", "thumbnails/"), 1000, Clock.systemUTC());
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> tight.process(event));
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.REJECTED);

        // when backfills with the same limit run after the claim's lease
        now = Instant.now().plus(ImageProcessor.CLAIM_LEASE);
        ImageProcessor backfilling = new ImageProcessor(store, image -> {
            throw new AssertionError("not resized");
        }, metadata, notifier, new OutputLocation("processed", "thumbnails/"), 1000, Clock.fixed(now, ZoneOffset.UTC));
        BackfillResult first = backfilling.backfill(big, false, false);
        BackfillResult second = backfilling.backfill(big, false, false);

        // then the upload gets its one notification, and the next run leaves the record alone
        assertThat(first.kind()).isEqualTo(Kind.REJECTED);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(second.kind()).isEqualTo(Kind.ALREADY_REJECTED);
    }

    /**
     * {@link #aLapsedClaimOnAnObjectOverTheSizeLimitIsNotifiedOnceAndThenLeftAlone} named by an S3 Batch task (no eTag,
     * no size) on a store that does not announce the size: the read stops one byte past the limit, before it learns
     * the eTag, which the remake still needs to take the claim over.
     */
    @Test
    void aLapsedClaimOnAnObjectOfUnannouncedSizeOverTheLimitNamedByATaskWithoutAnETagIsNotifiedOnce() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ImageStore unannounced = new ForwardingImageStore(store) {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                Optional<StoredObject> object = super.read(ref, versionId, Long.MAX_VALUE);
                if (object.isPresent() && object.get().size() > maxBytes) {
                    throw ObjectTooLargeException.moreThan(ref, maxBytes);
                }
                return object;
            }
        };
        UploadEvent event = new UploadEvent(PHOTO, null,
                new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null);
        ImageProcessor tight = new ImageProcessor(unannounced, image -> {
            throw new AssertionError("not resized");
        }, metadata, image -> {
            throw new IllegalStateException("SNS is down");
        }, new OutputLocation("processed", "thumbnails/"), 1000, Clock.systemUTC());
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> tight.process(event));
        ProcessedImage claimed = metadata.find(PHOTO).orElseThrow();
        assertThat(claimed.status()).isEqualTo(Status.REJECTED);

        now = Instant.now().plus(ImageProcessor.CLAIM_LEASE);
        ImageProcessor backfilling = new ImageProcessor(unannounced, image -> {
            throw new AssertionError("not resized");
        }, metadata, notifier, new OutputLocation("processed", "thumbnails/"), 1000, Clock.fixed(now, ZoneOffset.UTC));
        BackfillResult first = backfilling.backfill(ListedObject.of(PHOTO), false, false);
        BackfillResult second = backfilling.backfill(ListedObject.of(PHOTO), false, false);

        assertThat(first.kind()).isEqualTo(Kind.REJECTED);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(image -> assertThat(image.reason()).contains("over the limit of 1000 bytes"));
        ProcessedImage finished = metadata.find(PHOTO).orElseThrow();
        assertThat(finished.event()).as("the upload's identity, kept").isEqualTo(claimed.event());
        assertThat(finished.notifiedAt()).isNotNull();
        assertThat(second.kind()).isEqualTo(Kind.ALREADY_REJECTED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aReUploadAfterTheNotifyingBackfillIsNotifiedEvenAfterALaterBackfillRemadeTheRecord() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        String eTag = listed(PHOTO).eTag();
        processor().backfill(listed(PHOTO), false, true);
        // the same bytes uploaded again; its event fails before claiming, and is redriven after a settings change
        // made a backfill remake the record
        Instant reUploaded = now.plusSeconds(60);
        now = now.plusSeconds(120);
        processor(store, SMALLER).backfill(listed(PHOTO), false, false);

        ProcessedImage redriven = processor(store, SMALLER).process(new UploadEvent(PHOTO, null,
                new ObjectVersion(null, eTag, "0A1B2C3D4E5F678999"), null, reUploaded));

        assertThat(redriven.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void anUnknownETagIsLearnedFromTheReadBeforeResizing() {
        // an S3 Batch task names key and version only
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(ListedObject.of(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();

        BackfillResult second = processor().backfill(ListedObject.of(PHOTO), false, false);

        assertThat(second.kind()).isEqualTo(Kind.UP_TO_DATE);
        assertThat(metadata.find(PHOTO)).contains(first);
    }

    @Test
    void forceRemakesAnUpToDateObject() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        ProcessedImage first = metadata.find(PHOTO).orElseThrow();

        BackfillResult forced = processor().backfill(listed(PHOTO), true, false);

        assertThat(forced.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().processedAt()).isAfter(first.processedAt());
    }

    @Test
    void afterASettingsChangeTheStaleRecordIsRemadeWithTheNewSettings() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);

        BackfillResult result = processor(store, SMALLER).backfill(listed(PHOTO), false, false);

        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(result.image().output().width()).isEqualTo(128);
        assertThat(metadata.find(PHOTO).orElseThrow().settings()).isEqualTo(SMALLER);
        assertThat(TestImages.decode(store.read(THUMBNAIL).orElseThrow().content()).getWidth()).isEqualTo(128);
    }

    @Test
    void aRecordWithoutSettingsFromAnOlderReleaseIsStale() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        processor().backfill(listed(PHOTO), false, false);
        metadata.records().computeIfPresent(PHOTO, (ref, record) -> record.withSettings(null));

        assertThat(processor().backfill(listed(PHOTO), false, false).kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().settings()).isEqualTo(ImageProcessor.DEFAULT_SETTINGS);
    }

    @Test
    void remakingAnEventsRecordKeepsItsIdentitySoARepeatedEventStillSkips() {
        // given an upload processed by its S3 event with the old settings
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        String eTag = listed(PHOTO).eTag();
        UploadEvent event = new UploadEvent(PHOTO, null, new ObjectVersion(null, eTag, "0A1B2C3D4E5F678901"), null);
        ProcessedImage byEvent = processor().process(event);
        assertThat(notifier.notifications()).hasSize(1);

        // when the settings change and the backfill runs
        BackfillResult result = processor(store, SMALLER).backfill(listed(PHOTO), false, false);

        // then the record is remade, still for the event's version and still notified (no second notification) ...
        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        ProcessedImage remade = metadata.find(PHOTO).orElseThrow();
        assertThat(remade.settings()).isEqualTo(SMALLER);
        assertThat(remade.event()).isEqualTo(byEvent.event());
        assertThat(remade.notifiedAt()).isEqualTo(byEvent.notifiedAt());
        assertThat(notifier.notifications()).hasSize(1);
        // ... so a late redelivery of the event is a duplicate, whatever the settings
        ProcessedImage redelivered = processor().process(event);
        assertThat(redelivered.status()).isEqualTo(Status.SKIPPED);
        assertThat(redelivered.reason()).startsWith("already processed");
        assertThat(metadata.find(PHOTO)).contains(remade);
    }

    @Test
    void theEventPathSkipsARepeatedDeliveryEvenWhenTheRecordsSettingsAreStale() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        UploadEvent event = new UploadEvent(PHOTO, null, new ObjectVersion(null, listed(PHOTO).eTag(), "0A1B2C3D4E5F678901"), null);
        ProcessedImage first = processor().process(event);

        ProcessedImage repeated = processor(store, SMALLER).process(event);

        assertThat(repeated.status()).isEqualTo(Status.SKIPPED);
        assertThat(metadata.find(PHOTO)).contains(first);
    }

    @Test
    void aBadFileIsRejectedAndRecordedSoTheNextRunSkipsIt() {
        ObjectRef notes = new ObjectRef("uploads", "notes.jpg");
        store.write(notes, "not a picture".getBytes(), "image/jpeg", Map.of());

        BackfillResult first = processor().backfill(listed(notes), false, false);
        BackfillResult second = processor().backfill(listed(notes), false, false);

        assertThat(first.kind()).isEqualTo(Kind.REJECTED);
        assertThat(first.reason()).contains("not a JPEG");
        assertThat(metadata.find(notes).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(second.kind()).isEqualTo(Kind.ALREADY_REJECTED);
        assertThat(second.reason()).startsWith("not a JPEG");
    }

    @Test
    void aFolderMarkerIsNoUploadAndNeitherRecordedNorNotifiedListedOrNamedByATask() {
        // what the S3 console's "Create folder" leaves: an empty object whose key ends in '/'
        ObjectRef folder = new ObjectRef("uploads", "albums/2026/");
        store.write(folder, new byte[0], "application/x-directory", Map.of());

        BackfillResult fromListing = processor().backfill(listed(folder), false, true);
        BackfillResult fromTask = processor().backfill(ListedObject.of(folder), true, true, "job-1");

        assertThat(fromListing.kind()).isEqualTo(Kind.NOT_AN_UPLOAD);
        assertThat(fromListing.reason()).contains("folder");
        assertThat(fromTask.kind()).isEqualTo(Kind.NOT_AN_UPLOAD);
        assertThat(metadata.records()).isEmpty();
        assertThat(notifier.notifications()).isEmpty();
    }

    @Test
    void aKeyEndingInASlashWithContentIsAnUploadLikeAnyOther() {
        ObjectRef odd = new ObjectRef("uploads", "camera.jpg/");
        store.write(odd, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        assertThat(processor().backfill(listed(odd), false, false).kind()).isEqualTo(Kind.PROCESSED);
    }

    @Test
    void aMissingObjectAThumbnailAndAnArchivedObjectWriteNothing() {
        ImageStore archive = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new ObjectArchivedException(ref, "The operation is not valid for the object's storage class");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("nothing may be written");
            }
        };

        BackfillResult missing = processor().backfill(ListedObject.of(new ObjectRef("uploads", "gone.jpg")), false,
                false);
        BackfillResult thumbnail = processor().backfill(ListedObject.of(THUMBNAIL), false, false);
        BackfillResult archived = processor(archive, ImageProcessor.DEFAULT_SETTINGS)
            .backfill(ListedObject.of(PHOTO), false, false);

        assertThat(missing.kind()).isEqualTo(Kind.MISSING);
        assertThat(thumbnail.kind()).isEqualTo(Kind.NOT_AN_UPLOAD);
        assertThat(archived.kind()).isEqualTo(Kind.ARCHIVED);
        assertThat(archived.reason()).contains("restored");
        assertThat(metadata.records()).isEmpty();
    }

    @Test
    void anUploadStraightIntoAnArchiveClassIsRejectedByItsEventAndMadeByABackfillAfterTheRestore() {
        ImageStore archive = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                throw new ObjectArchivedException(ref, "The operation is not valid for the object's storage class");
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("nothing may be written");
            }

            @Override
            public void delete(ObjectRef ref) {
                store.delete(ref);
            }
        };

        ProcessedImage result = processor(archive, ImageProcessor.DEFAULT_SETTINGS)
            .process(new UploadEvent(PHOTO, null, new ObjectVersion(null, "etag", "0A"), null));

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).contains("archived").contains("must be restored");
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.REJECTED);

        // when: restored (readable again), then backfilled without --force
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        BackfillResult backfilled = processor(store, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false,
                false);

        // then: the archived rejection did not count as up to date
        assertThat(backfilled.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().status()).isEqualTo(Status.PROCESSED);
    }

    /**
     * A hand-made event that names no version (no sequencer) cannot tell a backfill's remake of its record from a later
     * upload: when a forced backfill remakes the record while the delivery writes the thumbnail, the delivery still
     * sends the one notification (the backfill owes none).
     */
    @Test
    void anEventWithoutASequencerStillNotifiesWhenABackfillRemadeItsRecordMeanwhile() {
        String eTag = store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        java.util.concurrent.atomic.AtomicBoolean crossed = new java.util.concurrent.atomic.AtomicBoolean();
        ImageStore crossing = new ForwardingImageStore(store) {
            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                if (ref.equals(THUMBNAIL) && crossed.compareAndSet(false, true)) {
                    assertThat(processor(store, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), true, false)
                        .kind()).isEqualTo(Kind.PROCESSED);
                }
                return super.write(ref, content, contentType, m);
            }
        };

        ProcessedImage delivered = processor(crossing, ImageProcessor.DEFAULT_SETTINGS)
            .process(new UploadEvent(PHOTO, null, new ObjectVersion(null, eTag, null), null));

        assertThat(delivered.status()).isEqualTo(Status.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
    }

    @Test
    void aRecordAnUploadEventSavesMeanwhileStands() {
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        ProcessedImage byEvent = ProcessedImage.processed(ImageObject.unread(PHOTO),
                ImageObject.unread(THUMBNAIL), NOW.minusSeconds(1));
        // an event's record lands between the backfill's look-up and its save
        ImageStore racing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                metadata.save(byEvent);
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                throw new AssertionError("the thumbnail is the event's to write");
            }
        };

        BackfillResult result = processor(racing, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO), false,
                false);

        assertThat(result.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(metadata.find(PHOTO)).contains(byEvent);
    }

    /** A bucket with versioning: every write a new version, reads and look-ups by version id. */
    private static final class VersionedStore implements ImageStore {

        private final Map<String, StoredObject> versions = new java.util.HashMap<>();

        private final Map<ObjectRef, String> current = new java.util.HashMap<>();

        private int lookUps;

        String put(ObjectRef ref, byte[] content) {
            String versionId = "V" + (versions.size() + 1);
            StoredObject object = new StoredObject(content, "image/jpeg", Map.of(),
                    Integer.toHexString(java.util.Arrays.hashCode(content)));
            versions.put(ref + "#" + versionId, object);
            current.put(ref, versionId);
            return versionId;
        }

        @Override
        public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
            String version = versionId != null ? versionId : current.get(ref);
            return Optional.ofNullable(versions.get(ref + "#" + version));
        }

        @Override
        public boolean isCurrentVersion(ObjectRef ref, String versionId) {
            lookUps++;
            return versionId.equals(current.get(ref));
        }

        @Override
        public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
            String versionId = "V" + (versions.size() + 1);
            StoredObject object = new StoredObject(content, contentType, metadata,
                    Integer.toHexString(java.util.Arrays.hashCode(content)));
            versions.put(ref + "#" + versionId, object);
            current.put(ref, versionId);
            return object.eTag();
        }
    }

    @Test
    void aTaskNamingAVersionThatIsNoLongerCurrentLeavesTheCurrentOnesRecordAndThumbnailAlone() {
        VersionedStore versioned = new VersionedStore();
        String first = versioned.put(PHOTO, TestImages.bytes(TestImages.SMALL));
        String second = versioned.put(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO));
        ImageProcessor processor = processor(versioned, ImageProcessor.DEFAULT_SETTINGS);
        UploadEvent secondsEvent = new UploadEvent(PHOTO, null,
                new ObjectVersion(second, versioned.read(PHOTO).orElseThrow().eTag(), "0B"), null);
        assertThat(processor.process(secondsEvent).status()).isEqualTo(Status.PROCESSED);
        ProcessedImage recorded = metadata.find(PHOTO).orElseThrow();
        byte[] thumbnail = versioned.read(THUMBNAIL).orElseThrow().content();

        // an S3 Batch Operations task from a manifest made before the second upload
        BackfillResult result = processor.backfill(new ListedObject(PHOTO, null, first, null), false, false);

        assertThat(result.kind()).isEqualTo(Kind.NOT_CURRENT);
        assertThat(result.reason()).isEqualTo("version " + first + " is no longer the current version of this "
                + "object: the current one's record and thumbnail stand");
        assertThat(metadata.find(PHOTO)).contains(recorded);
        assertThat(versioned.read(THUMBNAIL).orElseThrow().content()).isEqualTo(thumbnail);
        assertThat(processor.process(secondsEvent).status()).as("a redelivery still a duplicate")
            .isEqualTo(Status.SKIPPED);
        assertThat(notifier.notifications()).hasSize(1);
        // the recorded version needs no look-up to be remade; an unrecorded current one is asked about once
        int lookUps = versioned.lookUps;
        assertThat(processor.backfill(new ListedObject(PHOTO, null, second, null), true, false).kind())
            .isEqualTo(Kind.PROCESSED);
        assertThat(versioned.lookUps).isEqualTo(lookUps);
        ObjectRef other = new ObjectRef("uploads", "albums/2026/other.jpg");
        String only = versioned.put(other, TestImages.bytes(TestImages.SMALL));
        assertThat(processor.backfill(new ListedObject(other, null, only, null), false, false).kind())
            .isEqualTo(Kind.PROCESSED);
        assertThat(versioned.lookUps).isEqualTo(lookUps + 1);
    }

    @Test
    void whenABackfillsThumbnailWriteLandsAfterAnUploadEventsTheThumbnailAndEmailAreTheRecordedUploads() {
        store.write(PHOTO, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ListedObject listedBeforeTheUpload = listed(PHOTO);
        ImageProcessor[] processor = new ImageProcessor[1];
        boolean[] uploaded = new boolean[1];
        // the backfill's thumbnail write is held back until a new upload of the key was stored and fully processed
        ImageStore crossing = new ImageStore() {
            @Override
            public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
                return store.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> m) {
                if (ref.equals(THUMBNAIL) && !uploaded[0]) {
                    uploaded[0] = true;
                    String eTag = store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg",
                            Map.of());
                    ProcessedImage byEvent = processor[0].process(
                            new UploadEvent(PHOTO, null, new ObjectVersion(null, eTag, "0B"), null));
                    assertThat(byEvent.status()).isEqualTo(Status.PROCESSED);
                }
                return store.write(ref, content, contentType, m);
            }
        };
        processor[0] = processor(crossing, ImageProcessor.DEFAULT_SETTINGS);

        BackfillResult result = processor[0].backfill(listedBeforeTheUpload, false, true);

        // the upload's record stands, and its email is the only one: the backfill's, for the bytes the upload
        // replaced, would point at the upload's thumbnail
        assertThat(result.kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(sent -> assertThat(sent.version().sequencer()).isEqualTo("0B"));
        ProcessedImage recorded = metadata.find(PHOTO).orElseThrow();
        assertThat(recorded.version().sequencer()).isEqualTo("0B");
        StoredObject thumbnail = store.read(THUMBNAIL).orElseThrow();
        assertThat(thumbnail.metadata()).containsEntry(ImageProcessor.SOURCE_VERSION, recorded.version().key());
        java.awt.image.BufferedImage image = TestImages.decode(thumbnail.content());
        assertThat(image.getWidth() + "x" + image.getHeight()).as("the upload's 800x600 photo, not the old one's")
            .isEqualTo("256x192");
    }

    /**
     * A forced run whose listing is older than the object reaches the record of a notifying run at work on the bytes it
     * reads (the key's photo replaced after the forced run listed it, with no event: the upload bucket's notification
     * configuration broken, which is when {@code --notify} is run). The listing's eTag does not name that record, but
     * the bytes read do: the notifying run is at work on them, and it sends the one notification.
     */
    @Test
    void aForcedRunListedBeforeTheObjectChangedLeavesANotifyingRunAtWorkOnItsBytesToNotify() {
        store.write(PHOTO, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ListedObject listedBeforeTheReplacement = listed(PHOTO);
        store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());
        BackfillResult[] forced = new BackfillResult[1];
        // the forced run goes while the notifying run's thumbnail write is under way
        ImageStore meanwhile = new ForwardingImageStore(store) {
            @Override
            public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> meta) {
                if (ref.equals(THUMBNAIL) && forced[0] == null) {
                    forced[0] = processor().backfill(listedBeforeTheReplacement, true, false);
                }
                return super.write(ref, content, contentType, meta);
            }
        };

        BackfillResult notifying = processor(meanwhile, ImageProcessor.DEFAULT_SETTINGS).backfill(listed(PHOTO),
                false, true);

        assertThat(forced[0].kind()).isEqualTo(Kind.CHANGED_CONCURRENTLY);
        assertThat(notifying.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(metadata.find(PHOTO).orElseThrow().notifiedAt()).isNotNull();
    }

    @Test
    void anObjectReplacedSinceItWasListedIsRecordedWithTheETagOfTheBytesRead() {
        store.write(PHOTO, TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        ListedObject listedBefore = listed(PHOTO);
        String eTagNow = store.write(PHOTO, TestImages.bytes(TestImages.CAMERA_PHOTO), "image/jpeg", Map.of());

        BackfillResult result = processor().backfill(listedBefore, false, false);

        assertThat(result.kind()).isEqualTo(Kind.PROCESSED);
        assertThat(metadata.find(PHOTO).orElseThrow().version().eTag()).isEqualTo(eTagNow);
        assertThat(processor().backfill(listed(PHOTO), false, false).kind()).isEqualTo(Kind.UP_TO_DATE);
    }
}
