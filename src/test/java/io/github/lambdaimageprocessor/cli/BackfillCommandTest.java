package io.github.lambdaimageprocessor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.ForkedJvm;
import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.TestImages;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.ListedObject;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.StandbyGate;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailatorResizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar <jar> backfill ...} in the local profile, run in this JVM through the same entry the jar's main
 * method uses: a bucket folder with nested prefixes, bad files and objects already processed.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackfillCommandTest {

    @TempDir
    Path root;

    private Path uploads;

    /** What one run printed, and its exit status. */
    private record Run(int status, String output) {
    }

    @BeforeEach
    void aBucketWithNestedPrefixesAndBadFiles() throws IOException {
        uploads = root.resolve("uploads");
        put("top.jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        put("albums/2025/beach.jpg", TestImages.bytes(TestImages.SMALL));
        put("albums/2026/deep/er/my photo(1).jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        put("albums/2026/notes.jpg", "meeting notes, not a photo".getBytes(StandardCharsets.UTF_8));
        put("albums/2026/truncated.jpg", TestImages.bytes("malformed/soi-only-4-bytes.jpg"));
        put("café €/日本.jpeg", TestImages.bytes(TestImages.SMALL));
    }

    private void put(String key, byte[] content) throws IOException {
        Path file = uploads.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private Run backfill(String... options) {
        List<String> args = new ArrayList<>(List.of("backfill", "--image-processor.local.root=" + root,
                "--image-processor.concurrency=2"));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            status = CommandLine.run(ImageProcessorApplication.class, args.toArray(String[]::new), print);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8));
    }

    /** Every file the backfill may write (thumbnails, their metadata, records), with its modification time. */
    private Map<String, FileTime> written() throws IOException {
        Map<String, FileTime> files = new TreeMap<>();
        for (Path folder : List.of(root.resolve("processed"), root.resolve(".metadata"),
                root.resolve(".object-metadata"))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(root.relativize(file).toString(), Files.getLastModifiedTime(file));
                }
            }
        }
        return files;
    }

    private Path thumbnail(String key) {
        return root.resolve("processed/thumbnails").resolve(key);
    }

    @Test
    void processesEveryObjectOnceRecordsBadFilesAndASecondRunWritesNothing() throws IOException {
        Run first = backfill();

        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("processed 4, skipped 0, rejected 2, failed 0")
            .contains("REJECTED s3://uploads/albums/2026/notes.jpg: not a JPEG")
            .contains("REJECTED s3://uploads/albums/2026/truncated.jpg");
        assertThat(thumbnail("albums/2026/deep/er/my photo(1).jpg")).isRegularFile();
        assertThat(thumbnail("café €/日本.jpeg")).isRegularFile();
        assertThat(thumbnail("albums/2026/notes.jpg")).doesNotExist();
        // no notification per object without --notify
        assertThat(first.output()).doesNotContain("Processed s3://");
        Map<String, FileTime> afterFirst = written();

        Run second = backfill();

        assertThat(second.status()).isZero();
        assertThat(second.output()).contains("processed 0, skipped 6, rejected 0, failed 0");
        assertThat(written()).isEqualTo(afterFirst);
    }

    @Test
    void aBucketWithoutAFolderFailsTheRunNamingItRatherThanPassingForEmpty() {
        Run misspelt = backfill("--image-processor.upload-bucket=uplods");

        assertThat(misspelt.status()).as(misspelt.output()).isEqualTo(1);
        assertThat(misspelt.output()).contains("FAILED listing s3://uplods/")
            .contains("no folder for bucket 'uplods'")
            .contains("stopped (listing failed)")
            .contains("The listing failed (see the FAILED line)")
            // no object failed, and a rerun alone would fail the same way
            .doesNotContain("Some objects failed");
    }

    @Test
    void aRunOfOneObjectSaysObjectInTheSingular() {
        Run one = backfill("--prefix=top");

        assertThat(one.status()).as(one.output()).isZero();
        assertThat(one.output()).contains(": 1 object, processed 1, skipped 0, rejected 0, failed 0");
    }

    @Test
    void honoursThePrefixAndThenSkipsWhatItAlreadyDid() {
        Run albums = backfill("--prefix=albums/2026/");

        assertThat(albums.status()).isZero();
        assertThat(albums.output()).contains("Backfill of s3://uploads/albums/2026/")
            .contains("3 objects, processed 1, skipped 0, rejected 2, failed 0")
            .doesNotContain("albums/2025/");
        assertThat(thumbnail("albums/2026/deep/er/my photo(1).jpg")).isRegularFile();
        assertThat(thumbnail("top.jpg")).doesNotExist();

        Run all = backfill();

        assertThat(all.output()).contains("6 objects, processed 3, skipped 3, rejected 0, failed 0");
    }

    @Test
    void forceRemakesEverythingUnderThePrefixOnly() throws IOException {
        backfill();
        Map<String, FileTime> before = written();

        Run forced = backfill("--force", "--prefix=albums/");

        assertThat(forced.output()).contains("remaking every thumbnail")
            .contains("4 objects, processed 2, skipped 0, rejected 2, failed 0");
        Map<String, FileTime> after = written();
        assertThat(after.get("processed/thumbnails/albums/2025/beach.jpg"))
            .isNotEqualTo(before.get("processed/thumbnails/albums/2025/beach.jpg"));
        assertThat(after.get("processed/thumbnails/top.jpg")).isEqualTo(before.get("processed/thumbnails/top.jpg"));
    }

    @Test
    void afterASettingsChangeRemakesExactlyTheStaleOnes() throws IOException {
        backfill();
        String smaller = "--image-processor.thumbnail.width=128";
        // the new settings applied to part of the bucket first ...
        Run part = backfill(smaller, "--prefix=albums/2026/deep/");
        assertThat(part.output()).contains("processed 1, skipped 0, rejected 0, failed 0");
        assertThat(TestImages.decode(Files.readAllBytes(thumbnail("albums/2026/deep/er/my photo(1).jpg")))
            .getWidth()).isEqualTo(128);

        // ... then everywhere: the one already made with them is skipped, every other record is stale
        Run all = backfill(smaller);

        assertThat(all.output()).contains("6 objects, processed 3, skipped 1, rejected 2, failed 0");
        assertThat(TestImages.decode(Files.readAllBytes(thumbnail("top.jpg"))).getWidth()).isEqualTo(128);
        assertThat(backfill(smaller).output()).contains("processed 0, skipped 6");
    }

    @Test
    void notifiesOnlyWhenAsked(CapturedOutput log) {
        Run quiet = backfill("--prefix=albums/2025/");
        assertThat(quiet.output()).contains("processed 1");
        assertThat(log.getOut()).doesNotContain("Processed s3://uploads/albums/2025/beach.jpg");

        Run run = backfill("--notify", "--prefix=top");

        assertThat(run.output()).contains(", notifying").contains("processed 1");
        // the local notifier is the log
        assertThat(log.getOut()).contains("Processed s3://uploads/top.jpg");
    }

    /**
     * Backfills albums/2025/, then breaks one of its records: one the repository cannot read at all, a failure (a
     * record that reads but does not parse is set aside and made again). Tests run as root, who reads any file, so a
     * folder where the record file should be stands for a file the app may not read.
     */
    private void backfillWithOneRecordBroken() throws IOException {
        backfill("--prefix=albums/2025/");
        try (Stream<Path> records = Files.list(root.resolve(".metadata"))) {
            Path record = records.filter(file -> file.toString().endsWith(".json")).findFirst().orElseThrow();
            Files.delete(record);
            Files.createDirectory(record);
        }
    }

    @Test
    void aFailedObjectIsReportedAndMakesTheExitStatusNonZeroWhileTheOthersAreDone() throws IOException {
        backfillWithOneRecordBroken();

        Run run = backfill();

        assertThat(run.status()).isEqualTo(Command.FAILED);
        assertThat(run.output()).contains("FAILED s3://uploads/albums/2025/beach.jpg: Failed to read the metadata record")
            .contains("processed 3, skipped 0, rejected 2, failed 1")
            .contains("run the same command again");
    }

    @Test
    void aForcedRunWithFailuresDoesNotSayARerunSkipsWhatIsDone() throws IOException {
        backfillWithOneRecordBroken();

        Run run = backfill("--force", "--notify");

        assertThat(run.status()).isEqualTo(Command.FAILED);
        assertThat(run.output()).doesNotContain("what is done is skipped")
            .containsPattern("To retry them without remaking \\(or notifying\\) again what this run remade: "
                    + "java -jar <jar> backfill --force-before=\\S+Z --notify");
    }

    /** The instant a forced run printed: {@code ..., remaking every thumbnail recorded before <instant>, ...}. */
    private static String forcedBefore(Run run) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("recorded before (\\S+Z),")
            .matcher(run.output());
        assertThat(matcher.find()).as(run.output()).isTrue();
        return matcher.group(1);
    }

    @Test
    void aForcedRunThatStoppedGoesOnWithItsStartWithoutRemakingWhatItRemade() throws IOException {
        backfill();
        // the part a forced run got through before it was stopped
        Run stopped = backfill("--force", "--prefix=albums/");
        Map<String, FileTime> before = written();

        Run rest = backfill("--force-before=" + forcedBefore(stopped));

        assertThat(rest.status()).isZero();
        assertThat(rest.output()).contains("6 objects, processed 2, skipped 4, rejected 0, failed 0");
        Map<String, FileTime> after = written();
        assertThat(after.get("processed/thumbnails/albums/2025/beach.jpg"))
            .isEqualTo(before.get("processed/thumbnails/albums/2025/beach.jpg"));
        assertThat(after.get("processed/thumbnails/top.jpg")).isNotEqualTo(before.get("processed/thumbnails/top.jpg"));
        assertThat(backfill("--force-before=" + forcedBefore(stopped)).output())
            .contains("processed 0, skipped 6, rejected 0, failed 0");
    }

    @Test
    void aForceBeforeThatIsNoInstantOrComesWithForceIsAUsageError() {
        Run noInstant = backfill("--force-before=yesterday");
        Run both = backfill("--force", "--force-before=2026-12-05T10:00:00Z");

        assertThat(noInstant.status()).isEqualTo(Command.USAGE);
        assertThat(noInstant.output()).contains("--force-before takes an instant in UTC such as 2026-12-05T10:00:00Z");
        assertThat(both.status()).isEqualTo(Command.USAGE);
        assertThat(both.output()).contains("give either --force or --force-before, not both");
        assertThat(root.resolve(".metadata")).doesNotExist();
    }

    @Test
    void anObjectWhoseResizeDiesWithAnErrorIsCountedAsFailedAndFailsTheRun() {
        ImageStore store = storeHolding("big.jpg");
        ImageProcessor dying = new ImageProcessor(store, image -> {
            throw new OutOfMemoryError("Java heap space");
        }, new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(), image -> {
        }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = new BackfillCommand(dying, store, "uploads", 2).run("", false, false, reporter(out));

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("FAILED s3://uploads/big.jpg: java.lang.OutOfMemoryError: Java heap space")
            .contains("processed 0, skipped 0, rejected 0, failed 1");
    }

    @Test
    void aRerunRightAfterAFailedNotificationSendsIt() {
        ImageStore store = storeHolding("photo.jpg");
        java.util.concurrent.atomic.AtomicBoolean snsDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(), image -> {
                    if (snsDown.get()) {
                        throw new IllegalStateException("SNS is down");
                    }
                    sent.add(image.source().key());
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());
        BackfillCommand command = new BackfillCommand(processor, store, "uploads", 2);
        assertThat(command.run("", false, true, reporter(new ByteArrayOutputStream()))).isEqualTo(Command.FAILED);
        snsDown.set(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = command.run("", false, true, reporter(out));

        // the failed run gave its claim back, so the rerun takes it over rather than wait out its lease
        assertThat(status).isEqualTo(Command.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("processed 1, skipped 0, rejected 0, failed 0");
        assertThat(sent).containsExactly("photo.jpg");
    }

    @Test
    void aRerunRightAfterAFailedNotificationWhoseClaimStayedSaysTheNotificationIsStillOwed() {
        ImageStore store = storeHolding("photo.jpg");
        java.util.concurrent.atomic.AtomicBoolean snsDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        // the records could not take the claim back either (the store failing too), as after a kill
        MetadataRepository records = new io.github.lambdaimageprocessor.processing.DelegatingMetadataRepository(
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository()) {
            @Override
            public boolean release(ProcessedImage claim, java.time.Instant lapsedAt) {
                throw new IllegalStateException("the metadata store is down too");
            }
        };
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                records, image -> {
                    if (snsDown.get()) {
                        throw new IllegalStateException("SNS is down");
                    }
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());
        BackfillCommand command = new BackfillCommand(processor, store, "uploads", 2);
        assertThat(command.run("", false, true, reporter(new ByteArrayOutputStream()))).isEqualTo(Command.FAILED);
        snsDown.set(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = command.run("", false, true, reporter(out));

        // within the lease the notification is left to the failed run's claim: the run must say so, not pass for done
        assertThat(status).isEqualTo(Command.OK);
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("processed 0, skipped 1, rejected 0, failed 0")
            .contains("SKIPPED s3://uploads/photo.jpg: a backfill that was to notify this object recorded it at")
            .contains("has not notified yet");
    }

    @Test
    void theTotalAndTimeLeftAreShownLongBeforeTheListingThatFeedsTheWorkEnds() {
        io.github.lambdaimageprocessor.processing.InMemoryImageStore bucket =
                new io.github.lambdaimageprocessor.processing.InMemoryImageStore();
        for (int i = 0; i < 40; i++) {
            bucket.write(new io.github.lambdaimageprocessor.processing.ObjectRef("uploads", "n/" + i + ".jpg"),
                    ("note " + i).getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressReporter progress = reporter(out);
        List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        // the listing that feeds the work (the one run in this thread) keeps only a few objects ahead of it: what
        // the progress line says halfway through that listing
        Thread runner = Thread.currentThread();
        ImageStore watched = new ImageStore() {
            @Override
            public java.util.Optional<io.github.lambdaimageprocessor.processing.StoredObject> read(
                    io.github.lambdaimageprocessor.processing.ObjectRef ref, String versionId, long maxBytes) {
                return bucket.read(ref, versionId, maxBytes);
            }

            @Override
            public String write(io.github.lambdaimageprocessor.processing.ObjectRef ref, byte[] content,
                    String contentType, Map<String, String> metadata) {
                return bucket.write(ref, content, contentType, metadata);
            }

            @Override
            public void delete(io.github.lambdaimageprocessor.processing.ObjectRef ref) {
                bucket.delete(ref);
            }

            @Override
            public Stream<ListedObject> list(String name, String prefix) {
                java.util.concurrent.atomic.AtomicInteger listed = new java.util.concurrent.atomic.AtomicInteger();
                return bucket.list(name, prefix).peek(object -> {
                    if (Thread.currentThread() == runner && listed.incrementAndGet() == 20) {
                        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
                        while (progress.render().contains("listing") && System.nanoTime() < deadline) {
                            Thread.onSpinWait();
                        }
                        shown.add(progress.render());
                    }
                });
            }
        };
        ImageProcessor processor = new ImageProcessor(watched,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(), image -> {
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());

        int status = new BackfillCommand(processor, watched, "uploads", 2).run("", false, false, progress);

        assertThat(status).isEqualTo(Command.OK);
        assertThat(shown).singleElement().asString().matches("\\d+/40 \\(\\d+%\\), .*");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("40 objects, processed 0, skipped 0, rejected 40");
    }

    @Test
    void aPrefixThatMatchesNothingSaysSoRatherThanPassForARunThatDidItsWork() {
        ImageStore store = storeHolding("albums/2026/photo.jpg");
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(), image -> {
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // a capital letter too many: S3 keys are case-sensitive
        int status = new BackfillCommand(processor, store, "uploads", 2).run("Albums/", false, false, reporter(out));

        assertThat(status).isEqualTo(Command.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 objects, processed 0")
            .contains("No key in s3://uploads/ starts with 'Albums/' (keys are case-sensitive): nothing was "
                    + "backfilled; check --prefix.");
    }

    /** An upload bucket in memory holding one small photo under this key. */
    @Test
    void stoppedWhileItStartsItSaysItDidNothingRatherThanFailWithShutdownInProgress() {
        // Ctrl-C in the second the application takes to start: the JVM is stopping when the run would begin
        ImageStore store = storeHolding("photo.jpg");
        io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository records =
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository();
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                records, image -> {
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC());
        BackfillCommand.StopHooks stopping = new BackfillCommand.StopHooks() {

            @Override
            public void add(Thread hook) {
                throw new IllegalStateException("Shutdown in progress");
            }

            @Override
            public void remove(Thread hook) {
                throw new IllegalStateException("Shutdown in progress");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = new BackfillCommand(processor, store, "uploads", 2, Throttling.none(), stopping).run("", true,
                false, reporter(out));

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Backfill of s3://uploads/ not started: it was "
                + "stopped (Ctrl-C or a kill) while it started; nothing was done")
            .as("no run began: neither its first line nor a result")
            .doesNotContain("remaking every thumbnail")
            .doesNotContain("(listing)")
            .doesNotContain("Shutdown in progress");
        assertThat(records.find(new io.github.lambdaimageprocessor.processing.ObjectRef("uploads", "photo.jpg")))
            .isEmpty();
    }

    @Test
    void aForcedRunStoppedMidwaySaysHowFarItGotAndTheCommandThatGoesOn() {
        ImageStore store = storeHolding("photo.jpg");
        List<Thread> hooks = new ArrayList<>();
        BackfillCommand.StopHooks captured = new BackfillCommand.StopHooks() {

            @Override
            public void add(Thread hook) {
                hooks.add(hook);
            }

            @Override
            public void remove(Thread hook) {
                hooks.remove(hook);
            }
        };
        // Ctrl-C as the first object is notified: the JVM runs the hook while the run is at work
        ImageProcessor processor = new ImageProcessor(store, new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(),
                image -> hooks.forEach(Thread::run), new OutputLocation("processed", "thumbnails/"), 50_000_000,
                java.time.Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new BackfillCommand(processor, store, "uploads", 2, Throttling.none(), captured).run("",
                java.time.Instant.parse("2026-12-05T10:00:00.123Z"), true, reporter(out));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Backfill of s3://uploads/ interrupted after")
            .contains("To go on without remaking what it remade: java -jar <jar> backfill "
                    + "--force-before=2026-12-05T10:00:00.123Z --notify");
        assertThat(hooks).as("removed once the run ended").isEmpty();
    }

    private static ImageStore storeHolding(String key) {
        io.github.lambdaimageprocessor.processing.InMemoryImageStore store =
                new io.github.lambdaimageprocessor.processing.InMemoryImageStore();
        store.write(new io.github.lambdaimageprocessor.processing.ObjectRef("uploads", key),
                TestImages.bytes(TestImages.SMALL), "image/jpeg", Map.of());
        return store;
    }

    private static ProgressReporter reporter(ByteArrayOutputStream out) {
        return new ProgressReporter(new PrintStream(out, true, StandardCharsets.UTF_8), false,
                java.time.Duration.ofSeconds(10), System::nanoTime);
    }

    @Test
    void aPropertyGivenBeforeTheCommandIsStillTheCommandsNotAServerStart() {
        List<String> args = List.of("--image-processor.local.root=" + root, "--image-processor.concurrency=2",
                "backfill", "--prefix=albums/2025/");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            assertThat(CommandLine.isCommand(args.toArray(String[]::new))).isTrue();
            status = CommandLine.run(ImageProcessorApplication.class, args.toArray(String[]::new), print);
        }

        assertThat(status).isEqualTo(Command.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Backfill of s3://uploads/albums/2025/")
            .contains("processed 1");
    }

    @Test
    void inTheStandbyRegionItDoesNotStartAndSaysWhereToRunIt() {
        ImageStore unlistable = new ImageStore() {
            @Override
            public java.util.Optional<io.github.lambdaimageprocessor.processing.StoredObject> read(
                    io.github.lambdaimageprocessor.processing.ObjectRef ref, String versionId, long maxBytes) {
                throw new AssertionError("the standby read " + ref);
            }

            @Override
            public String write(io.github.lambdaimageprocessor.processing.ObjectRef ref, byte[] content,
                    String contentType, Map<String, String> metadata) {
                throw new AssertionError("the standby wrote " + ref);
            }

            @Override
            public Stream<ListedObject> list(String bucket, String prefix) {
                throw new AssertionError("the standby listed " + bucket);
            }
        };
        ImageProcessor standby = new ImageProcessor(unlistable,
                new ThumbnailatorResizer(DefaultSettings.THUMBNAIL_SPEC),
                new io.github.lambdaimageprocessor.processing.InMemoryMetadataRepository(),
                image -> {
                    throw new AssertionError("the standby notified");
                }, new OutputLocation("processed", "thumbnails/"), 50_000_000, java.time.Clock.systemUTC(),
                StandbyGate.on("eu-west-1", "us-east-1", () -> "us-east-1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = new BackfillCommand(standby, unlistable, "uploads", 2).run("", false, false,
                new ProgressReporter(new PrintStream(out, true, StandardCharsets.UTF_8), false,
                        java.time.Duration.ofSeconds(10), System::nanoTime));

        assertThat(status).isEqualTo(Command.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Backfill of s3://uploads/ not started: "
                + "this region (eu-west-1) is the standby").contains("; run it in the active region");
        // that line alone: a progress line after it ("0/0+ (listing), 0.0/s") read as a listing begun
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
    }

    @Test
    void helpPrintsTheUsageAndDoesNothing() throws IOException {
        Run run = backfill("--help");

        assertThat(run.status()).isEqualTo(Command.OK);
        assertThat(run.output()).startsWith("Usage: java -jar <jar> backfill").contains("--force")
            .doesNotContain("unknown option");
        assertThat(root.resolve(".metadata")).doesNotExist();
    }

    @Test
    void aMistypedOptionIsAUsageErrorAndDoesNothing() throws IOException {
        Run run = backfill("--froce");

        assertThat(run.status()).isEqualTo(Command.USAGE);
        assertThat(run.output()).contains("unknown option '--froce'").contains("Usage: java -jar <jar> backfill");
        assertThat(written()).isEmpty();
    }

    @Test
    void aWrongSettingStopsItBeforeAnythingIsDone() throws IOException {
        Run run = backfill("--image-processor.thumbnail.width=0");

        assertThat(run.status()).isEqualTo(Command.USAGE);
        assertThat(run.output()).contains("could not start");
        assertThat(written()).isEmpty();
    }

    @Test
    void theJarsMainRunsTheCommandWithoutAWebServerAndExitsWithItsStatus() throws Exception {
        // the real entry point in its own JVM: it must end by itself, and System.exit carries the status
        ForkedJvm.Result done = ForkedJvm.run(ImageProcessorApplication.class, List.of("-Xmx256m"),
                List.of("backfill", "--image-processor.local.root=" + root, "--prefix=albums/2025/"),
                java.time.Duration.ofMinutes(3));
        ForkedJvm.Result mistyped = ForkedJvm.run(ImageProcessorApplication.class, List.of("-Xmx256m"),
                List.of("backfill", "--image-processor.local.root=" + root, "--prefx=albums/"),
                java.time.Duration.ofMinutes(3));

        assertThat(done.exitValue()).as(done.output()).isZero();
        assertThat(done.output()).contains("processed 1, skipped 0, rejected 0, failed 0")
            .doesNotContain("Tomcat started");
        assertThat(mistyped.exitValue()).as(mistyped.output()).isEqualTo(Command.USAGE);
        assertThat(mistyped.output()).contains("unknown option '--prefx=albums/'");
    }

    @Test
    void aRunStoppedMidwaySaysWhatItDidAndThatARerunSkipsIt() throws Exception {
        for (int i = 0; i < 300; i++) {
            put("many/" + i + ".jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        }
        String output = stoppedMidway();

        assertThat(output).as(output)
            .containsPattern("Backfill of s3://uploads/many/ interrupted after \\d+s: \\d+ of 300 objects done, "
                    + "processed \\d+, skipped 0, rejected 0, failed 0")
            .contains("Run the same command again: what is done is skipped.");
    }

    @Test
    void aForcedRunStoppedMidwayPrintsTheCommandThatGoesOnFromThere() throws Exception {
        for (int i = 0; i < 300; i++) {
            put("many/" + i + ".jpg", TestImages.bytes(TestImages.CAMERA_PHOTO));
        }
        String output = stoppedMidway("--force");

        assertThat(output).as(output).contains("Backfill of s3://uploads/many/ interrupted after")
            .containsPattern("To go on without remaking what it remade: java -jar <jar> backfill --force-before="
                    + "\\S+Z --prefix=many/");
        assertThat(output).contains("--force-before=" + forcedBefore(new Run(1, output)) + " --prefix=many/");
    }

    /**
     * Runs {@code backfill --prefix=many/ --image-processor.concurrency=1} and {@code options} in a JVM of its own,
     * stops it as Ctrl-C or a {@code kill} does once the first thumbnails are in place, and returns what it printed.
     */
    private String stoppedMidway(String... options) throws Exception {
        Path log = Files.createTempFile(root, "backfill-", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), ImageProcessorApplication.class.getName(), "backfill",
                "--image-processor.local.root=" + root, "--prefix=many/", "--image-processor.concurrency=1"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // when the first thumbnails are in place, stopped as Ctrl-C or a `kill` stops it (SIGINT and SIGTERM
            // alike run the JVM's shutdown hooks)
            Path thumbnails = root.resolve("processed/thumbnails/many");
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
            while (!(Files.isDirectory(thumbnails) && hasFiles(thumbnails)) && System.nanoTime() < deadline
                    && process.isAlive()) {
                Thread.sleep(50);
            }
            process.destroy();
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        return Files.readString(log);
    }

    private static boolean hasFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isPresent();
        }
    }

    @Test
    void helpAnswersFromTheJarsMainWithoutStartingTheApplicationWhateverTheConfiguration() throws Exception {
        // profile aws without a region, bucket or table: the application cannot start, and help needs none of it
        List<String> aws = List.of("-Xmx256m", "-Dspring.profiles.active=aws", "-Daws.region=");
        ForkedJvm.Result command = ForkedJvm.run(ImageProcessorApplication.class, aws, List.of("backfill", "--help"),
                java.time.Duration.ofMinutes(2));
        // without a command --help used to start the web app, which never exits
        ForkedJvm.Result general = ForkedJvm.run(ImageProcessorApplication.class, List.of("-Xmx256m"),
                List.of("--help"), java.time.Duration.ofMinutes(2));
        ForkedJvm.Result unknown = ForkedJvm.run(ImageProcessorApplication.class, aws, List.of("backfil", "-h"),
                java.time.Duration.ofMinutes(2));

        assertThat(command.exitValue()).as(command.output()).isZero();
        assertThat(command.output()).startsWith("Usage: java -jar <jar> backfill [--prefix=P]").contains("--notify")
            .doesNotContain("APPLICATION FAILED");
        assertThat(general.exitValue()).as(general.output()).isZero();
        assertThat(general.output()).startsWith("Usage: java -jar <jar> [--<property>=<value> ...]")
            .contains("  backfill [--prefix=P]").contains("  redrive --queue-url=").doesNotContain("Tomcat");
        assertThat(unknown.exitValue()).as(unknown.output()).isEqualTo(Command.USAGE);
        assertThat(unknown.output()).startsWith("Unknown command 'backfil'. Commands: backfill, redrive");
    }

    @Test
    void anUnknownCommandNamesTheKnownOnes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CommandLine.run(ImageProcessorApplication.class,
                new String[] { "backfil", "--image-processor.local.root=" + root }, new PrintStream(out, true));

        assertThat(status).isEqualTo(Command.USAGE);
        assertThat(out.toString()).contains("Unknown command 'backfil'").contains("backfill");
    }
}
