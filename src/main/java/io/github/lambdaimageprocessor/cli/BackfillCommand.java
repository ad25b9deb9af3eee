package io.github.lambdaimageprocessor.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.processing.BackfillResult;
import io.github.lambdaimageprocessor.processing.ImageProcessor;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.ListedObject;

/**
 * {@code backfill [--prefix=P] [--force] [--notify]}: every object already in the upload bucket (under the prefix)
 * through {@link ImageProcessor#backfill}, which skips what is recorded with the current settings. Lists as it goes
 * and keeps at most twice {@code concurrency} objects in flight (the resizer's own limit bounds the decoding), so a
 * bucket of any size runs in bounded memory. Ends with a summary; exit status 1 when an object failed.
 */
public final class BackfillCommand implements Command {

    /** Its name, for beans only this command needs ({@code image-processor.command}). */
    public static final String NAME = "backfill";

    /** Its usage, which {@code --help} prints without starting the application. */
    public static final CommandHelp HELP = new CommandHelp(NAME,
            "[--prefix=P] [--force | --force-before=INSTANT] [--notify]\n"
                    + "  --prefix=P        only keys starting with P (default: the whole upload bucket)\n"
                    + "  --force           remake every thumbnail, even those recorded with the current settings "
                    + "(those recorded before the run's start, which it prints)\n"
                    + "  --force-before=T  remake those recorded before T (an instant, 2026-12-05T10:00:00Z): goes on "
                    + "with a forced run that stopped, given its start\n"
                    + "  --notify          send a notification per processed or rejected object (default: none)");

    /** What the summary counts. */
    enum Outcome {
        PROCESSED, SKIPPED, REJECTED, FAILED
    }

    private final ImageProcessor processor;

    private final ImageStore store;

    private final String bucket;

    private final int concurrency;

    private final Throttling throttling;

    private final StopHooks stopHooks;

    /** Where a run leaves what it prints if Ctrl-C or a kill stops it: the JVM's shutdown hooks, but in tests. */
    interface StopHooks {

        StopHooks JVM = new StopHooks() {

            @Override
            public void add(Thread hook) {
                Runtime.getRuntime().addShutdownHook(hook);
            }

            @Override
            public void remove(Thread hook) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        };

        /** @throws IllegalStateException when the JVM is stopping already */
        void add(Thread hook);

        /** @throws IllegalStateException when the JVM is stopping already */
        void remove(Thread hook);
    }

    BackfillCommand(ImageProcessor processor, ImageStore store, String bucket, int concurrency) {
        this(processor, store, bucket, concurrency, Throttling.none());
    }

    BackfillCommand(ImageProcessor processor, ImageStore store, String bucket, int concurrency,
            Throttling throttling) {
        this(processor, store, bucket, concurrency, throttling, StopHooks.JVM);
    }

    BackfillCommand(ImageProcessor processor, ImageStore store, String bucket, int concurrency, Throttling throttling,
            StopHooks stopHooks) {
        this.processor = processor;
        this.store = store;
        this.bucket = bucket;
        this.concurrency = concurrency;
        this.throttling = throttling;
        this.stopHooks = stopHooks;
    }

    @Override
    public String name() {
        return HELP.name();
    }

    @Override
    public String usage() {
        return HELP.usage();
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("prefix", "force-before");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force", "notify");
    }

    @Override
    public int run(CommandArguments arguments, PrintStream out) {
        Instant forceBefore = null;
        if (arguments.value("force-before").isPresent()) {
            String given = arguments.value("force-before").get();
            String wrong = arguments.flag("force") ? "give either --force or --force-before, not both" : null;
            try {
                forceBefore = Instant.parse(given);
            }
            catch (DateTimeParseException e) {
                wrong = "--force-before takes an instant in UTC such as 2026-12-05T10:00:00Z (as a forced run prints "
                        + "it), got '" + given + "'";
            }
            if (wrong != null) {
                out.println(name() + ": " + wrong);
                out.println("Usage: java -jar <jar> " + name() + " " + usage());
                return USAGE;
            }
        }
        else if (arguments.flag("force")) {
            forceBefore = startOfRun();
        }
        return run(arguments.value("prefix").orElse(""), forceBefore, arguments.flag("notify"),
                ProgressReporter.forOutput(out));
    }

    /** Now, to the millisecond: what {@code --force} remakes, printed so that {@code --force-before} can go on with it. */
    private static Instant startOfRun() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    int run(String prefix, boolean force, boolean notify, ProgressReporter progress) {
        return run(prefix, force ? startOfRun() : null, notify, progress);
    }

    /**
     * @param forceBefore remake the objects whose record was made before it, whatever the record says; null: only
     *        those not up to date
     */
    int run(String prefix, Instant forceBefore, boolean notify, ProgressReporter progress) {
        boolean force = forceBefore != null;
        String where = "s3://" + bucket + "/" + prefix;
        java.util.Optional<String> standby = processor.standbyReason();
        if (standby.isPresent()) {
            // stopped, not closed: closing prints the final progress line, whose "0/0+ (listing)" read as a listing
            // begun after the line saying nothing was started
            progress.stop();
            progress.println("Backfill of " + where + " not started: " + standby.get()
                    + "; run it in the active region");
            return FAILED;
        }
        Map<Outcome, AtomicInteger> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new AtomicInteger());
        }
        // Ctrl-C or a kill: the run ends where it is, and says how far it got and that a rerun goes on from there
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Thread onStop = new Thread(() -> {
            if (!finished.get()) {
                // done as the sum of the outcomes it is printed with: a worker counts its outcome a moment before
                // the progress counts it done, and "22 of 150 objects done, processed 23" read as a miscount
                long done = counts.values().stream().mapToLong(AtomicInteger::get).sum();
                progress.println(summary(where, "interrupted after", done + " of " + progress.totalText()
                        + " objects done", progress, counts));
                throttled().ifPresent(progress::println);
                progress.println(force
                        ? "Objects in work when it stopped are finished by the next run. To go on without remaking "
                                + "what it remade: " + resume(prefix, forceBefore, notify)
                        : "Objects in work when it stopped are finished by the next run. Run the same command "
                                + "again: what is done is skipped.");
            }
        }, "backfill-stopped");
        try {
            stopHooks.add(onStop);
        }
        catch (IllegalStateException e) {
            // Ctrl-C while the application started: the JVM is stopping, and the run must not begin (nor fail with
            // the JVM's "Shutdown in progress")
            progress.stop();
            progress.println("Backfill of " + where + " not started: it was stopped (Ctrl-C or a kill) while it "
                    + "started; nothing was done");
            return FAILED;
        }
        progress.println("Backfill of " + where + (force ? ", remaking every thumbnail recorded before " + forceBefore
                : "")
                + (notify ? ", notifying" : "") + ", " + concurrency + " at a time");
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, task -> {
            Thread thread = new Thread(task, "backfill-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // the listing waits while this many objects are queued or in work: memory stays bounded however many keys
        Semaphore inFlight = new Semaphore(concurrency * 2);
        // so that listing stays a few objects ahead of the work to its end; the total and the time left come from a
        // listing of keys alone (one more LIST request per 1000 keys), done meanwhile
        Thread counter = new Thread(() -> {
            try {
                progress.counted(store.count(bucket, prefix));
            }
            catch (RuntimeException e) {
                // the listing that feeds the work reports the failure, if it lasts
            }
        }, "backfill-count");
        counter.setDaemon(true);
        counter.start();
        try {
            return work(prefix, forceBefore, notify, progress, where, counts, workers, inFlight);
        }
        finally {
            finished.set(true);
            try {
                stopHooks.remove(onStop);
            }
            catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook finds the run finished and prints nothing
            }
        }
    }

    private int work(String prefix, Instant forceBefore, boolean notify, ProgressReporter progress, String where,
            Map<Outcome, AtomicInteger> counts, ExecutorService workers, Semaphore inFlight) {
        boolean force = forceBefore != null;
        String listingFailure = null;
        try (progress) {
            // a listing that fails at once (no such bucket) ends the run the same way as one failing halfway
            try (Stream<ListedObject> objects = store.list(bucket, prefix)) {
                objects.forEach(object -> {
                    inFlight.acquireUninterruptibly();
                    progress.found();
                    workers.execute(() -> {
                        try {
                            Outcome outcome = backfill(object, forceBefore, notify, progress);
                            counts.get(outcome).incrementAndGet();
                        }
                        finally {
                            progress.completed();
                            inFlight.release();
                        }
                    });
                });
            }
            catch (RuntimeException e) {
                listingFailure = e.getMessage();
                progress.println("FAILED listing " + where + ": " + e.getMessage());
            }
            progress.allFound();
            workers.shutdown();
            awaitTermination(workers);
        }
        int failed = counts.get(Outcome.FAILED).get();
        out(progress, summary(where, listingFailure == null ? "done in" : "stopped (listing failed) in",
                progress.done() + (progress.done() == 1 ? " object" : " objects"), progress, counts));
        throttled().ifPresent(line -> out(progress, line));
        if (failed == 0 && listingFailure != null) {
            // no object failed: the listing did, often for good (a misspelt bucket), so a rerun alone may not help
            out(progress, "The listing failed (see the FAILED line), so objects it had not listed were not backfilled. "
                    + "Fix its cause, then run the command again" + (force
                            ? ", going on without remaking what this run remade: " + resume(prefix, forceBefore, notify)
                            : ": what is done is skipped."));
            return FAILED;
        }
        if (listingFailure == null && progress.done() == 0) {
            // a misspelt prefix lists nothing, as an empty bucket does: not an error, but not a run that did its work
            out(progress, prefix.isEmpty() ? "s3://" + bucket + "/ holds no object: nothing was backfilled."
                    : "No key in s3://" + bucket + "/ starts with '" + prefix + "' (keys are case-sensitive): nothing "
                            + "was backfilled; check --prefix.");
        }
        if (failed > 0) {
            out(progress, force
                    ? "Some objects failed (see the FAILED lines). To retry them without remaking (or notifying) "
                            + "again what this run remade: " + resume(prefix, forceBefore, notify)
                    : "Some objects failed (see the FAILED lines); run the same command again to retry them: "
                            + "what is done is skipped.");
            return FAILED;
        }
        return OK;
    }

    /**
     * {@code S3 asked to slow down 4 times (throttling): ...}, when a service did: the reason a run was slow, or for
     * FAILED lines that name SlowDown or ProvisionedThroughputExceeded.
     */
    private java.util.Optional<String> throttled() {
        Map<String, Long> throttled = throttling.throttled();
        if (throttled.isEmpty()) {
            return java.util.Optional.empty();
        }
        java.util.List<String> services = new java.util.ArrayList<>();
        throttled.forEach((service, times) -> services.add(service + " asked to slow down " + times
                + (times == 1 ? " time" : " times")));
        return java.util.Optional.of(String.join(", ", services) + " (throttling): the run waited, retried those "
                + "requests and sent more slowly; an object fails only if throttling outlasts its attempts (its FAILED "
                + "line then names SlowDown or ProvisionedThroughputExceeded). Run it at a quieter time, or with a "
                + "lower --image-processor.concurrency, if it was too slow.");
    }

    /** {@code Backfill of s3://uploads/ done in 33s: 156 objects, processed 118, skipped 0, rejected 38, failed 0}. */
    private static String summary(String where, String how, String objects, ProgressReporter progress,
            Map<Outcome, AtomicInteger> counts) {
        return "Backfill of %s %s %s: %s, processed %d, skipped %d, rejected %d, failed %d".formatted(where, how,
                ProgressReporter.format(progress.elapsed()), objects, counts.get(Outcome.PROCESSED).get(),
                counts.get(Outcome.SKIPPED).get(), counts.get(Outcome.REJECTED).get(),
                counts.get(Outcome.FAILED).get());
    }

    /** {@code java -jar <jar> backfill --force-before=2026-12-05T10:00:00Z --prefix=albums/}, to go on. */
    private static String resume(String prefix, Instant forceBefore, boolean notify) {
        return "java -jar <jar> backfill --force-before=" + forceBefore
                + (prefix.isEmpty() ? "" : " " + shellWord("--prefix=" + prefix)) + (notify ? " --notify" : "")
                + " (with the same --image-processor.* settings, if any)";
    }

    /** The word as a shell reads it back: quoted unless it holds only characters no shell treats specially. */
    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./=:@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private Outcome backfill(ListedObject object, Instant forceBefore, boolean notify, ProgressReporter progress) {
        BackfillResult result;
        try {
            result = processor.backfill(object, forceBefore, notify);
        }
        catch (RuntimeException e) {
            progress.println("FAILED " + object.ref() + ": " + e.getMessage());
            return Outcome.FAILED;
        }
        catch (Error e) {
            // out of memory, say: this object failed, and the run must say so rather than end "failed 0" with status 0
            progress.println("FAILED " + object.ref() + ": " + e);
            return Outcome.FAILED;
        }
        return switch (result.kind()) {
            case PROCESSED -> Outcome.PROCESSED;
            case UP_TO_DATE, ALREADY_REJECTED, NOT_AN_UPLOAD, MISSING, NOT_CURRENT -> Outcome.SKIPPED;
            case CHANGED_CONCURRENTLY -> {
                // said, as it may not be done: a delivery or a notifying run is still at work on it, or was killed
                // moments ago, or failed and could not give its claim back (a rerun would otherwise end "failed 0",
                // status 0, with the notification still owed until a run after the claim's lease)
                progress.println("SKIPPED " + object.ref() + ": " + result.reason());
                yield Outcome.SKIPPED;
            }
            case REJECTED -> {
                progress.println("REJECTED " + object.ref() + ": " + result.reason());
                yield Outcome.REJECTED;
            }
            case ARCHIVED, STANDBY -> {
                progress.println("FAILED " + object.ref() + ": " + result.reason());
                yield Outcome.FAILED;
            }
        };
    }

    private static void out(ProgressReporter progress, String line) {
        progress.println(line);
    }

    private static void awaitTermination(ExecutorService workers) {
        try {
            while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                // an image is bounded by max-processing-time; keep waiting for the last ones
            }
        }
        catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
