package io.github.lambdaimageprocessor.processing;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MetadataRepository} adapter must do. Each adapter's test extends this.
 */
public abstract class MetadataRepositoryContract {

    protected static final Instant AT = Instant.parse("2026-11-26T10:15:30.123456Z");

    protected abstract MetadataRepository repository();

    protected static ProcessedImage processed(String key) {
        return ProcessedImage.processed(new ImageObject("uploads", key, 2725, 2225, 829183L, "image/jpeg"),
                new ImageObject("processed", "thumbnails/" + key, 256, 209, 13851L, "image/jpeg"), AT);
    }

    @Test
    void findsWhatItSaved() {
        ProcessedImage image = processed("photos/my photo(1).jpg");

        repository().save(image);

        assertThat(repository().find(image.source().ref())).contains(image);
    }

    @Test
    void keepsRejectedRecordsWithTheirReason() {
        ProcessedImage rejected = ProcessedImage.rejected(
                new ImageObject("uploads", "notes.jpg", null, null, 45L, "text/plain"), "not a JPEG: content is text",
                AT);

        repository().save(rejected);

        assertThat(repository().find(rejected.source().ref())).contains(rejected);
    }

    @Test
    void aSecondSaveForTheSameSourceReplacesTheFirst() {
        ProcessedImage first = processed("same.jpg");
        ProcessedImage second = ProcessedImage.rejected(first.source(), "replaced", AT.plusSeconds(1));

        repository().save(first);
        repository().save(second);

        assertThat(repository().find(first.source().ref())).contains(second);
    }

    @Test
    void keysThatDifferOnlyInCaseOrEncodingAreDifferentRecords() {
        repository().save(processed("Photo.jpg"));

        assertThat(repository().find(new ObjectRef("uploads", "photo.jpg"))).isEmpty();
        assertThat(repository().find(new ObjectRef("uploads", "Photo%2Ejpg"))).isEmpty();
        assertThat(repository().find(new ObjectRef("uploads", "Photo.jpg"))).isPresent();
    }

    protected static ProcessedImage version(String key, String eTag, String sequencer) {
        return processed(key).withEvent(new EventInfo(new ObjectVersion(null, eTag, sequencer), null));
    }

    @Test
    void savesTheSameVersionOnlyOnce() {
        ProcessedImage first = version("once.jpg", "e1", "0A");

        assertThat(repository().save(first)).isTrue();
        assertThat(repository().save(version("once.jpg", "e1", "0A"))).isFalse();
        assertThat(repository().find(first.source().ref())).contains(first);
    }

    @Test
    void aLaterVersionReplacesAnEarlierOneButNeverTheOtherWayRound() {
        ProcessedImage earlier = version("ordered.jpg", "e1", "0A");
        ProcessedImage later = version("ordered.jpg", "e2", "0B");

        assertThat(repository().save(later)).isTrue();
        assertThat(repository().save(earlier)).isFalse();
        assertThat(repository().find(later.source().ref())).contains(later);

        ProcessedImage latest = version("ordered.jpg", "e3", "00C");
        assertThat(repository().save(latest)).isTrue();
        assertThat(repository().find(later.source().ref())).contains(latest);
    }

    @Test
    void aRecordWithoutVersionAlwaysReplaces() {
        repository().save(version("unversioned.jpg", "e1", "0A"));
        ProcessedImage unversioned = processed("unversioned.jpg");

        assertThat(repository().save(unversioned)).isTrue();
        assertThat(repository().find(unversioned.source().ref())).contains(unversioned);
    }

    @Test
    void marksOnlyTheNamedVersionNotified() {
        ProcessedImage record = version("notify.jpg", "e1", "0A");
        repository().save(record);
        ObjectRef source = record.source().ref();

        repository().markNotified(source, new ObjectVersion(null, "e0", "09"), AT.plusSeconds(1));
        assertThat(repository().find(source).orElseThrow().notifiedAt()).isNull();

        repository().markNotified(source, record.version(), AT.plusSeconds(2));
        assertThat(repository().find(source)).contains(record.withNotifiedAt(AT.plusSeconds(2)));
    }

    @Test
    void anUnknownVersionMarksOnlyARecordOfAnUnknownVersion() {
        // a backfill's record of an object listed without a version, replaced by an upload's before the backfill
        // marks it notified: the upload's record is the upload's to mark, after its own notification
        ProcessedImage upload = version("replaced.jpg", "e1", "0A");
        repository().save(upload);
        ObjectRef source = upload.source().ref();

        repository().markNotified(source, new ObjectVersion(null, "e1", null), AT.plusSeconds(1));
        repository().markNotified(source, null, AT.plusSeconds(2));
        assertThat(repository().find(source).orElseThrow().notifiedAt()).isNull();

        ProcessedImage listed = processed("listed.jpg").withEvent(new EventInfo(new ObjectVersion(null, "e2", null),
                null));
        repository().save(listed);
        repository().markNotified(listed.source().ref(), new ObjectVersion(null, "e2", null), AT.plusSeconds(3));
        assertThat(repository().find(listed.source().ref()).orElseThrow().notifiedAt()).isEqualTo(AT.plusSeconds(3));
    }

    @Test
    void ofManyConcurrentSavesOfOneVersionExactlyOneWins() throws Exception {
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> saves = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                saves.add(pool.submit(() -> {
                    start.await();
                    return repository().save(version("race.jpg", "e1", "0A"));
                }));
            }
            start.countDown();
            int won = 0;
            for (java.util.concurrent.Future<Boolean> save : saves) {
                won += save.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void findsNothingForAnUnknownSource() {
        assertThat(repository().find(new ObjectRef("uploads", "never-seen.jpg"))).isEmpty();
    }

    @Test
    void listsRecordsNewestFirstPageByPage() {
        for (int i = 0; i < 5; i++) {
            repository().save(ProcessedImage.rejected(new ImageObject("uploads", "page/" + i + ".jpg", null, null, 1L,
                    "image/jpeg"), "reason " + i, AT.plusSeconds(i)));
        }

        Page<ProcessedImage> first = repository().findRecent(2, null);
        Page<ProcessedImage> second = repository().findRecent(2, first.next());
        Page<ProcessedImage> third = repository().findRecent(2, second.next());

        assertThat(first.items()).extracting(image -> image.source().key()).containsExactly("page/4.jpg", "page/3.jpg");
        assertThat(second.items()).extracting(image -> image.source().key())
            .containsExactly("page/2.jpg", "page/1.jpg");
        assertThat(third.items()).extracting(image -> image.source().key()).containsExactly("page/0.jpg");
        assertThat(first.next()).isNotNull();
        assertThat(third.next()).isNull();
        assertThat(first.items().getFirst()).isEqualTo(repository().find(new ObjectRef("uploads", "page/4.jpg"))
            .orElseThrow());
    }

    @Test
    void aReplacedRecordIsListedOnceAtItsNewPlace() {
        repository().save(processed("old.jpg"));
        repository().save(ProcessedImage.rejected(new ImageObject("uploads", "middle.jpg", null, null, 1L, null),
                "middle", AT.plusSeconds(1)));
        repository().save(ProcessedImage.rejected(processed("old.jpg").source(), "replaced", AT.plusSeconds(2)));

        assertThat(repository().findRecent(10, null).items()).extracting(image -> image.source().key())
            .containsExactly("old.jpg", "middle.jpg");
        assertThat(repository().findRecent(10, null).next()).isNull();
    }

    @Test
    void listsNothingFromAnEmptyStore() {
        assertThat(repository().findRecent(10, null)).isEqualTo(new Page<>(java.util.List.of(), null));
    }

    @Test
    void refusesACursorItDidNotHandOut() {
        org.assertj.core.api.Assertions.assertThatExceptionOfType(InvalidCursorException.class)
            .isThrownBy(() -> repository().findRecent(10, "not-a-cursor"));
    }

    @Test
    void keepsTheThumbnailSettingsAndReadsRecordsWithoutThemAsNone() {
        ThumbnailSettings settings = new ThumbnailSettings(128, 96, 0.7f, 3);
        ProcessedImage withSettings = processed("with-settings.jpg").withSettings(settings);
        ProcessedImage without = processed("without-settings.jpg");

        repository().save(withSettings);
        repository().save(without);

        assertThat(repository().find(withSettings.source().ref())).contains(withSettings);
        assertThat(repository().find(without.source().ref()).orElseThrow().settings()).isNull();
    }

    @Test
    void keepsTheBackfillRunThroughAMarkAndReadsRecordsWithoutOneAsNone() {
        ProcessedImage command = processed("by-the-command.jpg").withBackfill(new BackfillRun(null, true));
        ProcessedImage job = processed("by-a-job.jpg").withBackfill(new BackfillRun("job-1", false));
        ProcessedImage without = processed("by-an-event.jpg");

        repository().save(command);
        repository().save(job);
        repository().save(without);
        repository().markNotified(command.source().ref(), null, AT.plusSeconds(1));

        assertThat(repository().find(command.source().ref())).contains(command.withNotifiedAt(AT.plusSeconds(1)));
        assertThat(repository().find(job.source().ref())).contains(job);
        assertThat(repository().find(without.source().ref()).orElseThrow().backfill()).isNull();
    }

    @Test
    void replacesOnlyTheRecordItWasGivenOrNoneWhenGivenNone() {
        ProcessedImage first = processed("replace.jpg").withEvent(new EventInfo(new ObjectVersion(null, "etag", null), null));
        ProcessedImage second = ProcessedImage.processed(first.source(), first.output(), AT.plusSeconds(1))
            .withSettings(new ThumbnailSettings(256, 256, 0.85f, 1));
        ProcessedImage third = ProcessedImage.processed(first.source(), first.output(), AT.plusSeconds(2));

        assertThat(repository().replace(first, null)).isTrue();
        assertThat(repository().replace(first, null)).as("a record exists by now").isFalse();
        assertThat(repository().replace(second, first)).isTrue();
        assertThat(repository().replace(third, first)).as("first is no longer the stored record").isFalse();
        repository().markNotified(first.source().ref(), null, AT.plusSeconds(5));
        assertThat(repository().replace(third, second)).as("marked notified since second was read").isFalse();

        assertThat(repository().find(first.source().ref()).orElseThrow().processedAt()).isEqualTo(second.processedAt());
    }

    @Test
    void givesAClaimBackWhileItIsStillThatClaim() {
        ProcessedImage claim = version("claimed.jpg", "e1", "0A");
        repository().save(claim);
        Instant lapsed = AT.minusSeconds(90);

        assertThat(repository().release(claim, lapsed)).isTrue();

        ProcessedImage givenBack = claim.withProcessedAt(lapsed);
        assertThat(repository().find(claim.source().ref())).contains(givenBack);
        assertThat(repository().findRecent(10, null).items()).as("listed at its new time, once")
            .containsExactly(givenBack);
        assertThat(repository().release(claim, lapsed.minusSeconds(1))).as("given back already").isFalse();
        assertThat(repository().find(claim.source().ref())).contains(givenBack);
    }

    @Test
    void leavesAClaimAnotherDeliveryTookOverOrMarkedNotified() {
        ProcessedImage claim = version("taken.jpg", "e1", "0A");
        repository().save(claim);
        ProcessedImage takenOver = claim.withProcessedAt(AT.plusSeconds(95));
        repository().replace(takenOver, claim);

        assertThat(repository().release(claim, AT.minusSeconds(90))).isFalse();
        assertThat(repository().find(claim.source().ref())).contains(takenOver);

        repository().markNotified(claim.source().ref(), claim.version(), AT.plusSeconds(96));
        ProcessedImage notified = takenOver.withNotifiedAt(AT.plusSeconds(96));
        assertThat(repository().release(takenOver, AT.minusSeconds(90))).as("notified since").isFalse();
        assertThat(repository().find(claim.source().ref())).contains(notified);
    }

    @Test
    void leavesTheRecordOfAnotherVersionClaimedAtTheSameInstant() {
        ProcessedImage earlier = version("two-versions.jpg", "e1", "0A");
        ProcessedImage later = version("two-versions.jpg", "e2", "0B");
        repository().save(earlier);
        repository().save(later);

        assertThat(repository().release(earlier, AT.minusSeconds(90))).isFalse();
        assertThat(repository().find(later.source().ref())).contains(later);
    }

    @Test
    void givesBackABackfillsClaimOfAnObjectListedWithoutAVersionKeepingTheEarlierNotification() {
        // a --notify backfill's remake of a record an event notified earlier: notifiedAt is that event's
        ProcessedImage claim = processed("listed-claim.jpg")
            .withEvent(new EventInfo(new ObjectVersion(null, "e1", null), null))
            .withNotifiedAt(AT.minusSeconds(30))
            .withBackfill(new BackfillRun(null, true));
        repository().save(claim);

        assertThat(repository().release(claim, AT.minusSeconds(29))).isTrue();
        assertThat(repository().find(claim.source().ref())).contains(claim.withProcessedAt(AT.minusSeconds(29)));
    }
}
