package io.github.lambdaimageprocessor.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.DelegatingMetadataRepository;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.MutableClock;
import io.github.lambdaimageprocessor.processing.Notifier;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.RecordingNotifier;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.UploadEvent;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The local app started again after a kill -9 (or a power cut) finishes the uploads the last run had accepted: stored
 * with no record, or claimed and never notified. Real folders, a real resizer.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnfinishedUploadsTest {

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.now());

    private final RecordingNotifier notifier = new RecordingNotifier();

    private FileSystemImageStore store;

    private FileMetadataRepository metadata;

    /** image-processor.limits.max-input-size of the run the processors stand for. */
    private long maxInputBytes = 50_000_000;

    @BeforeEach
    void folders() {
        store = new FileSystemImageStore(root);
        metadata = new FileMetadataRepository(root.resolve(".metadata"), JsonMapper.builder().build());
    }

    @AfterEach
    void close() throws Exception {
        metadata.close();
    }

    private ImageProcessor processor(Notifier notifying) {
        return processor(metadata, notifying);
    }

    private ImageProcessor processor(MetadataRepository records, Notifier notifying) {
        return new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), records,
                notifying, new OutputLocation("processed", "thumbnails/"), maxInputBytes, clock);
    }

    /** The app killed after it claimed a record: the failure that stands for the kill gives nothing back. */
    private ImageProcessor killedAfterTheClaim() {
        MetadataRepository neverGivenBack = new DelegatingMetadataRepository(metadata) {
            @Override
            public boolean release(ProcessedImage claim, Instant lapsedAt) {
                return false;
            }
        };
        return processor(neverGivenBack, image -> {
            throw new IllegalStateException("killed");
        });
    }

    /** What the upload routes store before they process: the app was killed between the two. */
    private ObjectRef storedOnly(String key, byte[] content) {
        ObjectRef ref = new ObjectRef("uploads", key);
        store.write(ref, content, "image/jpeg", Map.of());
        return ref;
    }

    /** The app started again now: what was written so far is the last run's. */
    private UnfinishedUploads restarted(UnfinishedUploads.Pause pause) {
        Duration sinceClock = Duration.between(clock.instant(), Instant.now());
        if (sinceClock.isPositive()) {
            clock.advance(sinceClock);
        }
        return new UnfinishedUploads(store, metadata, processor(notifier), "uploads", clock, pause);
    }

    private UnfinishedUploads restarted() {
        return restarted(duration -> {
            throw new AssertionError("no claim to wait for");
        });
    }

    private Path thumbnail(String key) {
        return root.resolve("processed/thumbnails").resolve(key);
    }

    @Test
    void anUploadStoredWithoutARecordIsProcessedAndNotifiedOnceAndOneLineSaysSo(CapturedOutput output) {
        ObjectRef photo = storedOnly("albums/beach.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        ObjectRef notes = storedOnly("notes.jpg", "meeting notes, not a photo".getBytes(StandardCharsets.UTF_8));

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(summary.found()).isEqualTo(2);
        assertThat(summary.processed()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(1);
        ProcessedImage recorded = metadata.find(photo).orElseThrow();
        assertThat(recorded.status()).isEqualTo(Status.PROCESSED);
        assertThat(recorded.notifiedAt()).isNotNull();
        assertThat(thumbnail("albums/beach.jpg")).isRegularFile();
        assertThat(metadata.find(notes).orElseThrow().status()).isEqualTo(Status.REJECTED);
        assertThat(notifier.notifications()).extracting(image -> image.source().key())
            .containsExactlyInAnyOrder("albums/beach.jpg", "notes.jpg");
        assertThat(output).containsOnlyOnce("Finished 2 of 2 uploads left unfinished in s3://uploads/ when the app "
                + "last stopped (1 processed, 1 rejected)");

        // the next start finds nothing left, and says nothing
        UnfinishedUploads.Summary again = restarted().finish();
        assertThat(again.found()).isZero();
        assertThat(notifier.notifications()).hasSize(2);
        assertThat(output).containsOnlyOnce("uploads left unfinished");
    }

    /** The app as {@code java -jar} starts it: ready at once, the upload finished in the background. */
    @Test
    void theAppStartedAgainFinishesTheUploadItsLastRunAccepted(CapturedOutput output) throws Exception {
        ObjectRef photo = storedOnly("killed/mid-upload.jpg", TestImages.bytes(TestImages.PHOTO));

        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ImageProcessorApplication.class).run(
                "--server.port=0", "--image-processor.local.root=" + root)) {
            MetadataRepository records = app.getBean(MetadataRepository.class);
            Instant deadline = Instant.now().plusSeconds(30);
            while (records.find(photo).map(ProcessedImage::notifiedAt).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }

            assertThat(records.find(photo)).get().extracting(ProcessedImage::status).isEqualTo(Status.PROCESSED);
            assertThat(thumbnail("killed/mid-upload.jpg")).isRegularFile();
            assertThat(output).contains("Finished 1 of 1 uploads left unfinished in s3://uploads/");
        }
    }

    /**
     * The app killed between a thumbnail's rename and its properties': the thumbnail without them, or (an earlier
     * thumbnail replaced) beside the previous write's; and the reverse, properties whose thumbnail is gone. Each is made
     * again at the next start, and nobody is notified twice.
     */
    @Test
    void aThumbnailCutShortBetweenItsFileAndItsPropertiesIsMadeAgainAtTheNextStart() throws Exception {
        List<String> keys = List.of("no-properties.jpg", "stale-properties.jpg", "no-file.jpg");
        for (String key : keys) {
            ObjectRef upload = storedOnly(key, TestImages.bytes(TestImages.SMALL));
            assertThat(processor(notifier).process(new UploadEvent(upload, null,
                    new ObjectVersion(null, store.read(upload).orElseThrow().eTag(), "0A"), null)).status())
                .isEqualTo(Status.PROCESSED);
        }
        Files.delete(propertiesOf("thumbnails/no-properties.jpg"));
        // a later thumbnail renamed over it, whose properties never followed
        Files.write(thumbnail("stale-properties.jpg"), TestImages.bytes(TestImages.SMALL));
        Files.delete(thumbnail("no-file.jpg"));
        for (String key : keys) {
            assertThat(processor(notifier).hasThumbnailInPlace(metadata.find(new ObjectRef("uploads", key))
                .orElseThrow())).as(key).isFalse();
        }

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(summary.processed()).isEqualTo(3);
        for (String key : keys) {
            ObjectRef upload = new ObjectRef("uploads", key);
            assertThat(store.metadataOf(new ObjectRef("processed", "thumbnails/" + key))).as(key)
                .hasValueSatisfying(thumbnailMetadata -> assertThat(thumbnailMetadata)
                    .containsEntry("processed-by", "lambda-image-processor"));
            assertThat(processor(notifier).hasThumbnailInPlace(metadata.find(upload).orElseThrow())).isTrue();
        }
        assertThat(notifier.notifications()).as("one per upload, when it was processed").hasSize(3);
        assertThat(restarted().finish().found()).isZero();
    }

    /**
     * A photo replaced at its key by a file that is REJECTED, by a release before REJECTED uploads removed the key's
     * thumbnail (or by a run killed before that removal): the record says REJECTED and was notified, yet the earlier
     * photo's thumbnail is still in the folder. The next start removes it, file and properties, and notifies nobody
     * again.
     */
    @Test
    void aThumbnailLeftUnderARejectedRecordIsRemovedAtTheNextStartWithoutANotification() throws Exception {
        ObjectRef avatar = storedOnly("avatar.jpg", TestImages.bytes(TestImages.SMALL));
        assertThat(processor(notifier).process(new UploadEvent(avatar, null,
                new ObjectVersion(null, store.read(avatar).orElseThrow().eTag(), "0A"), null)).status())
            .isEqualTo(Status.PROCESSED);
        storedOnly("avatar.jpg", "not a photo".getBytes(StandardCharsets.UTF_8));
        FileSystemImageStore removingNothing = new FileSystemImageStore(root) {
            @Override
            public void delete(ObjectRef ref) {
                // as releases did before a REJECTED upload removed its key's thumbnail
            }
        };
        ImageProcessor earlierRelease = new ImageProcessor(removingNothing,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC), metadata, notifier,
                new OutputLocation("processed", "thumbnails/"), 50_000_000, clock);
        assertThat(earlierRelease.process(new UploadEvent(avatar, null,
                new ObjectVersion(null, store.read(avatar).orElseThrow().eTag(), "0B"), null)).status())
            .isEqualTo(Status.REJECTED);
        ProcessedImage rejected = metadata.find(avatar).orElseThrow();
        assertThat(rejected.notifiedAt()).isNotNull();
        assertThat(thumbnail("avatar.jpg")).isRegularFile();
        assertThat(propertiesOf("thumbnails/avatar.jpg")).isRegularFile();
        assertThat(notifier.notifications()).hasSize(2);

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(summary.found()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(thumbnail("avatar.jpg")).doesNotExist();
        assertThat(propertiesOf("thumbnails/avatar.jpg")).doesNotExist();
        // remade by the backfill, so dated by it; the outcome, the upload it names and its notification stand
        assertThat(metadata.find(avatar).orElseThrow()).usingRecursiveComparison()
            .ignoringFields("processedAt")
            .isEqualTo(rejected);
        assertThat(notifier.notifications()).as("no second notification").hasSize(2);
        // and the next start leaves it alone
        assertThat(restarted().finish().found()).isZero();
        assertThat(notifier.notifications()).hasSize(2);
    }

    private Path propertiesOf(String thumbnailKey) {
        String hash = FileMetadataRepository.sha256(thumbnailKey);
        return root.resolve(".object-metadata/processed").resolve(hash.substring(0, 2)).resolve(hash + ".properties");
    }

    @Test
    void uploadsThatWereFinishedOrArrivedAfterTheStartAreLeftAlone() throws Exception {
        ObjectRef done = storedOnly("done.jpg", TestImages.bytes(TestImages.SMALL));
        ProcessedImage finished = processor(notifier).process(new UploadEvent(done, null,
                new ObjectVersion(null, store.read(done).orElseThrow().eTag(), "0A"), null));
        assertThat(finished.status()).isEqualTo(Status.PROCESSED);
        ProcessedImage before = metadata.find(done).orElseThrow();
        UnfinishedUploads unfinished = restarted();
        // stored by this run, whose request is processing it right now
        ObjectRef arriving = storedOnly("arriving.jpg", TestImages.bytes(TestImages.SMALL));
        Files.setLastModifiedTime(root.resolve("uploads/arriving.jpg"),
                FileTime.from(clock.instant().plusSeconds(1)));

        UnfinishedUploads.Summary summary = unfinished.finish();

        assertThat(summary.found()).isZero();
        assertThat(metadata.find(arriving)).isEmpty();
        assertThat(metadata.find(done).orElseThrow()).isEqualTo(before);
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * A key uploaded again (an avatar replaced), the app killed after it stored the new photo and before its record:
     * the key's record is the earlier upload's, notified, its thumbnail in place, yet the photo in the folder is
     * another. Finished as an upload with no record is, not taken for done.
     */
    @Test
    void aKeyUploadedAgainAndStoredWithoutItsRecordIsProcessedAndNotifiedAtTheNextStart() {
        ObjectRef avatar = storedOnly("avatar.jpg", TestImages.bytes(TestImages.SMALL));
        assertThat(processor(notifier).process(new UploadEvent(avatar, null,
                new ObjectVersion(null, store.read(avatar).orElseThrow().eTag(), "0A"), null)).status())
            .isEqualTo(Status.PROCESSED);
        // the new photo stored; the app killed before the record
        String replaced = storedOnly("avatar.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO)).key();
        String newETag = store.read(avatar).orElseThrow().eTag();
        assertThat(metadata.find(avatar).orElseThrow().version().eTag()).isNotEqualTo(newETag);

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(summary.processed()).isEqualTo(1);
        ProcessedImage recorded = metadata.find(avatar).orElseThrow();
        assertThat(recorded.version().eTag()).as("the record names the photo in the folder").isEqualTo(newETag);
        assertThat(recorded.notifiedAt()).isNotNull();
        assertThat(notifier.notifications()).extracting(image -> image.source().key())
            .containsExactly(replaced, replaced);
        assertThat(notifier.notifications().getLast().version().eTag()).isEqualTo(newETag);
        // and the next start leaves it alone
        assertThat(restarted().finish().found()).isZero();
        assertThat(notifier.notifications()).hasSize(2);
    }

    @Test
    void aClaimTheStoppedAppNeverFinishedIsFinishedOnceItsLeaseHasPassed(CapturedOutput output) {
        ObjectRef photo = storedOnly("claimed.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        // the app claimed the record, then was killed before the thumbnail and the notification
        assertThatRuntimeException().isThrownBy(() -> killedAfterTheClaim().process(new UploadEvent(photo, null,
                new ObjectVersion(null, store.read(photo).orElseThrow().eTag(), "0A"), null)));
        assertThat(thumbnail("claimed.jpg").toFile().delete()).isTrue();
        List<Duration> waits = new ArrayList<>();
        UnfinishedUploads unfinished = restarted(duration -> {
            waits.add(duration);
            clock.advance(duration);
        });

        // restarted 10 s after the claim: 80 s before its lease ends
        Instant claimed = metadata.find(photo).orElseThrow().processedAt();
        clock.advance(Duration.between(clock.instant(), claimed.plusSeconds(10)));

        UnfinishedUploads.Summary summary = unfinished.finish();

        assertThat(waits).containsExactly(ImageProcessor.CLAIM_LEASE.minusSeconds(10));
        assertThat(output).as("the wait is said before it starts")
            .containsOnlyOnce("Waiting until " + claimed.plus(ImageProcessor.CLAIM_LEASE) + " for the claim of 1 upload "
                    + "left in work when the app last stopped to lapse");
        assertThat(summary.processed()).isEqualTo(1);
        assertThat(thumbnail("claimed.jpg")).isRegularFile();
        assertThat(notifier.notifications()).singleElement()
            .satisfies(image -> assertThat(image.version().sequencer()).as("the upload's identity, kept")
                .isEqualTo("0A"));
        assertThat(metadata.find(photo).orElseThrow().notifiedAt()).isNotNull();
    }

    /**
     * Claims on files the restart's read refuses before it learns their eTag: a file over the size limit (refused by
     * the size the folder gives, unread), claimed REJECTED by the run killed before its notification, and a photo
     * claimed PROCESSED by a run before the limit was lowered. Each upload gets its one notification, REJECTED for its
     * size, and its record keeps the upload's identity, as a claim on a readable file does.
     */
    @Test
    void aClaimOnAFileOverTheSizeLimitIsFinishedWithItsOneRejectedNotificationAndTheUploadsIdentity() {
        ObjectRef lowered = storedOnly("claimed-before-the-limit-was-lowered.jpg",
                TestImages.bytes(TestImages.CAMERA_PHOTO));
        assertThatRuntimeException().isThrownBy(() -> killedAfterTheClaim().process(new UploadEvent(lowered, null,
                new ObjectVersion(null, store.read(lowered).orElseThrow().eTag(), "0A"), null)));
        maxInputBytes = 100_000;
        ObjectRef tooLarge = storedOnly("over-the-limit.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        String tooLargeETag = store.eTagOf(tooLarge, null).orElseThrow();
        assertThatRuntimeException().isThrownBy(() -> killedAfterTheClaim().process(new UploadEvent(tooLarge, null,
                new ObjectVersion(null, tooLargeETag, "0B"), null)));
        ProcessedImage loweredClaim = metadata.find(lowered).orElseThrow();
        ProcessedImage tooLargeClaim = metadata.find(tooLarge).orElseThrow();
        assertThat(loweredClaim.status()).isEqualTo(Status.PROCESSED);
        assertThat(tooLargeClaim.status()).isEqualTo(Status.REJECTED);
        assertThat(loweredClaim.notifiedAt()).isNull();
        assertThat(tooLargeClaim.notifiedAt()).isNull();
        UnfinishedUploads unfinished = restarted(clock::advance);

        UnfinishedUploads.Summary summary = unfinished.finish();

        assertThat(summary.rejected()).isEqualTo(2);
        assertThat(notifier.notifications()).as("one per upload, REJECTED for its size, naming its upload")
            .hasSize(2)
            .allSatisfy(image -> {
                assertThat(image.status()).isEqualTo(Status.REJECTED);
                assertThat(image.reason()).contains("over the limit of 100000 bytes");
            })
            .extracting(image -> image.version().sequencer())
            .containsExactlyInAnyOrder("0A", "0B");
        for (ProcessedImage claim : List.of(loweredClaim, tooLargeClaim)) {
            ProcessedImage finished = metadata.find(claim.source().ref()).orElseThrow();
            assertThat(finished.status()).isEqualTo(Status.REJECTED);
            assertThat(finished.event()).as("the upload's identity, kept").isEqualTo(claim.event());
            assertThat(finished.notifiedAt()).isNotNull();
        }
        assertThat(thumbnail("claimed-before-the-limit-was-lowered.jpg")).as("none for a REJECTED upload")
            .doesNotExist();
        // and the next start leaves them alone
        assertThat(restarted().finish().found()).isZero();
        assertThat(notifier.notifications()).hasSize(2);
    }

    /**
     * A claim on a file whose name the folders cannot hold as a key (a 245-byte name, copied in and named by a
     * {@code POST /processImage} event): REJECTED by the read for its key, before any eTag, and notified once.
     */
    @Test
    void aClaimOnAFileWhoseKeyTheFoldersCannotHoldIsFinishedWithItsOneRejectedNotification() throws Exception {
        String key = "a".repeat(241) + ".jpg";
        byte[] content = TestImages.bytes(TestImages.SMALL);
        Files.write(Files.createDirectories(root.resolve("uploads")).resolve(key), content);
        ObjectRef copied = new ObjectRef("uploads", key);
        String eTag = java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        assertThatRuntimeException().isThrownBy(() -> killedAfterTheClaim().process(new UploadEvent(copied, null,
                new ObjectVersion(null, eTag, "0A"), null)));
        ProcessedImage claim = metadata.find(copied).orElseThrow();
        assertThat(claim.status()).isEqualTo(Status.REJECTED);
        assertThat(claim.notifiedAt()).isNull();
        UnfinishedUploads unfinished = restarted(clock::advance);

        UnfinishedUploads.Summary summary = unfinished.finish();

        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(notifier.notifications()).singleElement().satisfies(image -> {
            assertThat(image.reason()).contains("cannot be stored locally");
            assertThat(image.version().sequencer()).isEqualTo("0A");
        });
        ProcessedImage finished = metadata.find(copied).orElseThrow();
        assertThat(finished.event()).as("the upload's identity, kept").isEqualTo(claim.event());
        assertThat(finished.notifiedAt()).isNotNull();
        assertThat(restarted().finish().found()).isZero();
        assertThat(notifier.notifications()).hasSize(1);
    }

    /**
     * An upload whose processing failed after its claim (here the notification; the disk full when the thumbnail was
     * written, say) gave its claim back: the next start finishes it at once rather than wait out the lease.
     */
    @Test
    void aClaimGivenBackByAFailedUploadIsFinishedAtTheNextStartWithoutWaiting() {
        ObjectRef photo = storedOnly("failed.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        Notifier failing = image -> {
            throw new IllegalStateException("Failed to log the notification");
        };
        assertThatRuntimeException().isThrownBy(() -> processor(failing).process(new UploadEvent(photo, null,
                new ObjectVersion(null, store.read(photo).orElseThrow().eTag(), "0A"), null)));

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(summary.processed()).isEqualTo(1);
        assertThat(notifier.notifications()).singleElement()
            .satisfies(image -> assertThat(image.source().key()).isEqualTo("failed.jpg"));
        assertThat(metadata.find(photo).orElseThrow().notifiedAt()).isNotNull();
    }

    /** A file a write made on the way and never renamed, last written {@code age} before now. */
    private Path leftover(String folder, String name, int bytes, Duration age) throws Exception {
        Path file = Files.createDirectories(root.resolve(folder)).resolve(name);
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    @Test
    void theTemporaryFilesOfWritesTheStopCutShortAreRemovedAndOneLineSaysSo(CapturedOutput output) throws Exception {
        Path upload = leftover("uploads/albums", ".tmp-11.part", 3000, Duration.ofMinutes(5));
        Path record = leftover(".metadata/ab", ".tmp-12.part", 200, Duration.ofMinutes(2));

        UnfinishedUploads.Summary summary = restarted().finish();

        assertThat(upload).doesNotExist();
        assertThat(record).doesNotExist();
        assertThat(summary.found()).as("no upload was left unfinished").isZero();
        assertThat(output).containsOnlyOnce(
                "Removed 2 temporary files (3200 bytes) of writes left unfinished when the app last stopped");
    }

    @Test
    void aTemporaryFileWrittenJustBeforeTheStartIsRemovedOnlyOnceAMinuteHasPassedWithoutAWrite() throws Exception {
        // killed 5 s before the start: abandoned; and another process's write at work on the same folder
        Path abandoned = leftover("uploads", ".tmp-21.part", 100, Duration.ofSeconds(5));
        Path beingWritten = leftover("uploads", ".tmp-22.part", 100, Duration.ofSeconds(5));
        List<Duration> waits = new ArrayList<>();
        UnfinishedUploads unfinished = restarted(duration -> {
            waits.add(duration);
            try {
                Files.write(beingWritten, new byte[200]);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            clock.advance(duration);
        });
        Path startedSince = leftover("uploads", ".tmp-23.part", 100, Duration.ofSeconds(-5));

        unfinished.finish();

        assertThat(waits).singleElement()
            .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(56)));
        assertThat(abandoned).doesNotExist();
        assertThat(beingWritten).as("written during the minute: a write at work").exists();
        assertThat(startedSince).as("written since the start").exists();
    }

    @Test
    void theLineOnTheUploadsIsNotHeldBackByTheMinuteATemporaryFileMustStayUnchanged(CapturedOutput output)
            throws Exception {
        // killed 5 s before the start, mid-write of one photo after another was stored: the restart says what it did
        // with the upload at once, not a minute later once it may remove the temporary file
        storedOnly("albums/beach.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        leftover("uploads", ".tmp-41.part", 100, Duration.ofSeconds(5));
        List<String> shownBeforeTheWait = new ArrayList<>();
        UnfinishedUploads unfinished = restarted(duration -> {
            shownBeforeTheWait.add(output.getAll());
            clock.advance(duration);
        });

        unfinished.finish();

        assertThat(shownBeforeTheWait).singleElement()
            .asString()
            .contains("Finished 1 of 1 uploads left unfinished in s3://uploads/ when the app last stopped");
        assertThat(output).contains("Removed 1 temporary file (100 bytes)");
    }

    @Test
    void aFolderGoneWhileTheWalkIsUnderWayCostsOnlyItsOwnUploads() throws Exception {
        for (int i = 0; i < 20; i++) {
            storedOnly("album-" + i + "/notes.jpg", "not a photo".getBytes(StandardCharsets.UTF_8));
        }
        Path leftover = leftover("uploads", ".tmp-31.part", 100, Duration.ofMinutes(5));
        // the first upload finished removes every other album's folder: the walk meets those it has not read yet
        Notifier removingTheOthers = image -> {
            notifier.imageProcessed(image);
            String finished = image.source().key().substring(0, image.source().key().indexOf('/'));
            for (int i = 0; i < 20; i++) {
                if (!finished.equals("album-" + i)) {
                    org.springframework.util.FileSystemUtils.deleteRecursively(root.resolve("uploads/album-" + i)
                        .toFile());
                }
            }
        };
        clock.advance(Duration.between(clock.instant(), Instant.now().plusMillis(1)));
        UnfinishedUploads unfinished = new UnfinishedUploads(store, metadata, processor(removingTheOthers), "uploads",
                clock, duration -> {
                    throw new AssertionError("nothing to wait for");
                });

        UnfinishedUploads.Summary summary = unfinished.finish();

        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(notifier.notifications()).hasSize(1);
        assertThat(leftover).as("the walk went on to the end").doesNotExist();
    }
}
