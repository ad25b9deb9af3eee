package io.github.lambdaimageprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One randomized schedule of uploads, duplicated and shuffled S3 deliveries, Lambda retries and redrives, run through
 * {@link ImageProcessor} with faults injected into every port call, then held to what {@code docs/exactly-once.md}
 * promises.
 *
 * <p>Deterministic for a seed: every delivery attempt runs on a thread of its own, but only one runs at a time, and a
 * scheduler driven by the seed picks which one takes its next step at each port call (a find, a read, a conditional
 * write, the thumbnail write, the notification). The attempts' steps interleave as those of concurrent Lambda
 * instances would, and a failing seed replays the very same interleaving. The clock is virtual: the scheduler moves it
 * in random steps, now and then far enough for a claim's 90 s lease to pass under an attempt; an attempt still at work
 * 60 s after it started (the function's {@code Timeout}) is killed at its next step, as Lambda kills it.
 *
 * <p>Faults, each drawn per port call: refused (the call throws, nothing happened), answer lost (it happened, then
 * throws), and crashes (the attempt dies before or after the call, and gives nothing back). A failed attempt is
 * retried a minute and then two minutes later; after the third, its event goes to the failure destination, and
 * redrives (the first two with faults, then without) run until none fails.
 *
 * <p>Checked while it runs: no record is ever replaced by an older version's; a delivery that waits
 * ({@link DeliveryInProgressException}) waits on a claim some attempt still holds, or one whose holder could not give
 * it back (crashed, timed out, its release refused, its claim's answer lost); an attempt that fails after claiming
 * gives its claim back. Checked at the end: the latest version of every key is recorded and notified; each version is
 * notified at most once, but for the documented at-least-once edge (SNS took the message, then {@code notifiedAt} was
 * not written): every notification of a version but its last must be such a one; the thumbnail of each key is its
 * recorded version's, and a key whose latest version is REJECTED has none (an earlier upload's removed).
 */
public final class ExactlyOnceSimulation {

    /** What the runs saw, summed over schedules. */
    public record Stats(int schedules, int attempts, int faults, int crashes, int timeouts, int waits, int edges,
            int redriven) {

        public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0, 0);

        public Stats plus(Stats other) {
            return new Stats(schedules + other.schedules, attempts + other.attempts, faults + other.faults,
                    crashes + other.crashes, timeouts + other.timeouts, waits + other.waits, edges + other.edges,
                    redriven + other.redriven);
        }

        @Override
        public String toString() {
            return schedules + " schedules, " + attempts + " delivery attempts, " + faults + " injected faults, "
                    + crashes + " crashes, " + timeouts + " timeouts, " + waits + " waits on a claim, " + edges
                    + " at-least-once edges (a second notification after SNS took one whose mark was not written), "
                    + redriven + " redriven events";
        }
    }

    static final String UPLOADS = "uploads";

    static final OutputLocation OUTPUT = new OutputLocation("processed", "thumbnails/");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(10);

    private static final int LAMBDA_ATTEMPTS = 3;

    private static final int REDRIVES = 8;

    private static final int FAULTY_REDRIVES = 2;

    private static final int TRACE_SHOWN = 120;

    private final long seed;

    private final Random random;

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);

    private final MetadataRepository records;

    private final SimStore store;

    private final List<Version> versions = new ArrayList<>();

    private final Map<ObjectRef, List<Version>> versionsOf = new LinkedHashMap<>();

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

    private final List<Actor> actors = new ArrayList<>();

    private final List<Invocation> failureDestination = new ArrayList<>();

    private final Map<ClaimId, Claim> claims = new HashMap<>();

    private final Map<ObjectRef, ObjectVersion> latestRecorded = new HashMap<>();

    private final List<Notification> notifications = new ArrayList<>();

    private final List<String> trace = new ArrayList<>();

    private final List<String> violations = new ArrayList<>();

    private final Semaphore back = new Semaphore(0);

    private final ImageProcessor processor;

    private volatile Actor running;

    private int taskSequence;

    private int actorSequence;

    private double faultRate;

    private double crashRate;

    private double bigStepRate;

    private int attempts;

    private int faults;

    private int crashes;

    private int timeouts;

    private int waits;

    private int redriven;

    private ExactlyOnceSimulation(long seed, MetadataRepository repository) {
        this.seed = seed;
        this.random = new Random(seed);
        this.store = new SimStore(random.nextBoolean());
        this.records = repository;
        this.processor = new ImageProcessor(new FaultyStore(), new FakeResizer(), new FaultyRecords(),
                new FaultyNotifier(), OUTPUT, 1_000_000, clock);
    }

    /**
     * Runs the schedule of {@code seed} against {@code repository} (empty, or holding no key of this seed: keys are
     * named by it).
     *
     * @throws AssertionError naming the seed, the broken promise and the steps that led to it
     */
    public static Stats run(long seed, MetadataRepository repository) {
        return new ExactlyOnceSimulation(seed, repository).run();
    }

    private Stats run() {
        plan();
        try {
            loop();
            if (violations.isEmpty()) {
                checkEnd();
            }
        }
        finally {
            abortAll();
        }
        if (!violations.isEmpty()) {
            List<String> shown = trace.subList(Math.max(0, trace.size() - TRACE_SHOWN), trace.size());
            throw new AssertionError("seed " + seed + " (" + describeShape() + "): " + String.join("; ", violations)
                    + "\nlast steps:\n  " + String.join("\n  ", shown));
        }
        return new Stats(1, attempts, faults, crashes, timeouts, waits, edges(), redriven);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the schedule

    private void plan() {
        int keys = 1 + random.nextInt(3);
        boolean together = random.nextBoolean();
        faultRate = new double[] { 0, 0.03, 0.1, 0.2 }[random.nextInt(4)];
        crashRate = new double[] { 0, 0.01, 0.03 }[random.nextInt(3)];
        bigStepRate = new double[] { 0, 0.005, 0.02 }[random.nextInt(3)];
        for (int k = 0; k < keys; k++) {
            ObjectRef ref = new ObjectRef(UPLOADS, "s" + Long.toHexString(seed) + "/photo " + k + ".jpg");
            int count = 1 + random.nextInt(4);
            long uploadAt = random.nextInt(3000);
            long sequencer = 0x1000 + random.nextInt(0x1000);
            List<Version> ofKey = new ArrayList<>();
            for (int n = 1; n <= count; n++) {
                sequencer += 1 + random.nextInt(0x100);
                String hex = "0".repeat(random.nextInt(3)) + Long.toHexString(sequencer).toUpperCase();
                boolean bad = random.nextInt(6) == 0;
                String content = (bad ? "BAD|" : "img|") + ref.key() + "|v" + n + "|" + random.nextInt(1000);
                String versionId = store.versioned ? "ver-" + k + "-" + n + "-" + random.nextInt(1000) : null;
                Version version = new Version(ref, n, content.getBytes(StandardCharsets.UTF_8), md5(content),
                        versionId, hex, bad);
                ofKey.add(version);
                versions.add(version);
                schedule(Duration.ofMillis(uploadAt), new Task.Upload(version));
                int deliveries = 1 + random.nextInt(3);
                for (int d = 0; d < deliveries; d++) {
                    long delay = uploadAt + random.nextInt(together ? 3000 : 20_000);
                    schedule(Duration.ofMillis(delay), new Task.Start(new Invocation(version, false), 1));
                }
                uploadAt += together ? random.nextInt(2000) : random.nextInt(120_000);
            }
            versionsOf.put(ref, ofKey);
        }
        trace("plan: " + describeShape());
    }

    private String describeShape() {
        return versionsOf.size() + " keys, " + versions.size() + " versions, "
                + (store.versioned ? "versioned" : "unversioned") + " bucket, fault rate " + faultRate
                + ", crash rate " + crashRate + ", lease-crossing steps " + bigStepRate;
    }

    private void schedule(Duration after, Task task) {
        task.at = clock.instant().plus(after);
        task.sequence = taskSequence++;
        tasks.add(task);
    }

    private void loop() {
        int redrives = 0;
        while (violations.isEmpty()) {
            startDue();
            List<Actor> ready = new ArrayList<>();
            Instant next = tasks.isEmpty() ? null : tasks.peek().at;
            for (Actor actor : actors) {
                if (actor.finished) {
                    continue;
                }
                if (!actor.readyAt.isAfter(clock.instant())) {
                    ready.add(actor);
                }
                else if (next == null || actor.readyAt.isBefore(next)) {
                    next = actor.readyAt;
                }
            }
            if (ready.isEmpty()) {
                if (next != null) {
                    clock.advanceTo(next);
                    continue;
                }
                if (failureDestination.isEmpty()) {
                    return;
                }
                if (redrives == REDRIVES) {
                    violations.add(failureDestination.size() + " events still fail after " + REDRIVES
                            + " redrives, the last " + (REDRIVES - FAULTY_REDRIVES) + " without faults");
                    return;
                }
                redrive(++redrives);
                continue;
            }
            double step = random.nextDouble();
            if (step < 0.3) {
                clock.advance(Duration.ofMillis(random.nextInt(400)));
            }
            else if (step < 0.3 + bigStepRate) {
                clock.advance(Duration.ofSeconds(5 + random.nextInt(50)));
            }
            Actor actor = ready.get(random.nextInt(ready.size()));
            resume(actor);
            if (actor.finished) {
                finished(actor);
            }
        }
    }

    private void startDue() {
        while (!tasks.isEmpty() && !tasks.peek().at.isAfter(clock.instant())) {
            Task task = tasks.poll();
            if (task instanceof Task.Upload upload) {
                store.upload(upload.version);
                trace("upload " + upload.version);
            }
            else if (task instanceof Task.Start start) {
                Actor actor = new Actor(start.invocation, start.attempt);
                actors.add(actor);
                attempts++;
                actor.thread.start();
            }
        }
    }

    private void redrive(int round) {
        if (round > FAULTY_REDRIVES) {
            faultRate = 0;
            crashRate = 0;
            bigStepRate = 0;
        }
        clock.advance(Duration.ofMinutes(10));
        List<Invocation> failed = new ArrayList<>(failureDestination);
        failureDestination.clear();
        Collections.shuffle(failed, random);
        trace("redrive " + round + " of " + failed.size() + " events" + (faultRate == 0 ? ", faults off" : ""));
        for (Invocation invocation : failed) {
            redriven++;
            schedule(Duration.ofMillis(random.nextInt(3000)), new Task.Start(new Invocation(invocation.version, true),
                    1));
        }
    }

    private void finished(Actor actor) {
        Throwable failure = actor.failure;
        if (failure == null) {
            trace(actor + " ends " + actor.result.status() + (actor.result.reason() == null ? ""
                    : ": " + actor.result.reason()));
            return;
        }
        trace(actor + " fails: " + failure);
        if (!(failure instanceof Outage || failure instanceof Killed
                || failure instanceof DeliveryInProgressException)) {
            violations.add(actor + " failed with " + failure + ", not an outage nor a delivery in progress");
            return;
        }
        if (!(failure instanceof Killed)) {
            checkGaveBack(actor);
        }
        if (!actor.invocation.redrive && actor.attempt < LAMBDA_ATTEMPTS) {
            Duration after = Duration.ofSeconds(actor.attempt == 1 ? 60 : 120).plusMillis(random.nextInt(5000));
            schedule(after, new Task.Start(actor.invocation, actor.attempt + 1));
        }
        else {
            failureDestination.add(actor.invocation);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // running the attempts one step at a time

    /** Lets the actor run up to its next step (or its end). */
    private void resume(Actor actor) {
        running = actor;
        actor.go.release();
        try {
            if (!back.tryAcquire(30, TimeUnit.SECONDS)) {
                violations.add(actor + " did not reach its next step within 30 s (a hang at " + actor.op + ")");
                throw new AssertionError("seed " + seed + ": " + actor + " hangs at " + actor.op);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        finally {
            running = null;
        }
    }

    /** Ends every attempt still parked: each dies at its step and so touches nothing. */
    private void abortAll() {
        for (Actor actor : actors) {
            if (!actor.finished) {
                actor.killed = true;
                resume(actor);
            }
        }
    }

    /** Called by the running actor at every port call: hands over to the scheduler until picked again. */
    private Actor step(String op) {
        Actor actor = Objects.requireNonNull(running, "a port was called outside an attempt");
        if (actor.killed) {
            throw new Killed();
        }
        actor.op = op;
        actor.readyAt = clock.instant();
        pause(actor);
        return actor;
    }

    private void sleep(Actor actor, Duration duration) {
        actor.op = "wait " + duration.toMillis() + " ms";
        actor.readyAt = clock.instant().plus(duration);
        pause(actor);
    }

    private void pause(Actor actor) {
        back.release();
        actor.go.acquireUninterruptibly();
        if (actor.killed) {
            throw new Killed();
        }
        if (clock.instant().isAfter(actor.deadline)) {
            actor.killed = true;
            timeouts++;
            trace(actor + " timed out at " + actor.op);
            throw new Killed();
        }
    }

    private enum Fault {
        NONE, REFUSED, ANSWER_LOST, CRASH_BEFORE, CRASH_AFTER
    }

    /** The fault of this call: drawn after the step, so the same seed draws the same faults. */
    private Fault fault(Actor actor, String op, boolean write) {
        double draw = random.nextDouble();
        Fault fault;
        if (draw < crashRate / 2) {
            fault = Fault.CRASH_BEFORE;
        }
        else if (draw < crashRate) {
            fault = write ? Fault.CRASH_AFTER : Fault.CRASH_BEFORE;
        }
        else if (draw < crashRate + faultRate / 2) {
            fault = Fault.REFUSED;
        }
        else if (draw < crashRate + faultRate) {
            fault = write ? Fault.ANSWER_LOST : Fault.REFUSED;
        }
        else {
            fault = Fault.NONE;
        }
        trace(actor + " " + op + (fault == Fault.NONE ? "" : " [" + fault + "]"));
        switch (fault) {
            case CRASH_BEFORE -> {
                crashes++;
                actor.killed = true;
                throw new Killed();
            }
            case REFUSED -> {
                faults++;
                throw new Outage(op + " refused");
            }
            case CRASH_AFTER -> crashes++;
            case ANSWER_LOST -> faults++;
            case NONE -> {
            }
        }
        return fault;
    }

    /** After a write that happened: the answer is lost, or the attempt dies with it. */
    private static void after(Actor actor, Fault fault, String op) {
        if (fault == Fault.ANSWER_LOST) {
            throw new Outage(op + ": the answer was lost after it was done");
        }
        if (fault == Fault.CRASH_AFTER) {
            actor.killed = true;
            throw new Killed();
        }
    }

    private final class Actor {

        final Invocation invocation;

        final int attempt;

        final int id = ++actorSequence;

        final Semaphore go = new Semaphore(0);

        final Thread thread;

        final Instant deadline = clock.instant().plus(TIMEOUT);

        volatile Instant readyAt = clock.instant();

        volatile String op = "start";

        volatile boolean killed;

        volatile boolean releaseRefused;

        volatile boolean finished;

        volatile ProcessedImage result;

        volatile Throwable failure;

        Actor(Invocation invocation, int attempt) {
            this.invocation = invocation;
            this.attempt = attempt;
            this.thread = Thread.ofVirtual().name("delivery-" + id).unstarted(this::body);
        }

        private void body() {
            go.acquireUninterruptibly();
            try {
                if (killed) {
                    throw new Killed();
                }
                result = deliver();
            }
            catch (Throwable e) {
                failure = e;
            }
            finally {
                finished = true;
                back.release();
            }
        }

        /** What processImage does with one record: process, and while another delivery is at work, look again. */
        private ProcessedImage deliver() {
            Duration waited = Duration.ZERO;
            Duration next = Duration.ofMillis(250);
            while (true) {
                try {
                    return processor.process(invocation.version.event());
                }
                catch (DeliveryInProgressException e) {
                    waits++;
                    checkWait(this, e);
                    if (waited.plus(next).compareTo(IN_PROGRESS_WAIT) > 0) {
                        throw e;
                    }
                    sleep(this, next);
                    waited = waited.plus(next);
                    next = next.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2)
                            : next.multipliedBy(2);
                }
            }
        }

        @Override
        public String toString() {
            return "a" + id + "(" + invocation.version + (invocation.redrive ? " redrive" : " try " + attempt) + ")";
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // what is checked

    private record ClaimId(ObjectRef ref, String versionKey, Instant processedAt) {

        static ClaimId of(ProcessedImage record) {
            return new ClaimId(record.source().ref(), record.version() == null ? null : record.version().key(),
                    record.processedAt());
        }
    }

    private static final class Claim {

        final Actor holder;

        final boolean answerLost;

        Claim(Actor holder, boolean answerLost) {
            this.holder = holder;
            this.answerLost = answerLost;
        }

        /** Why its holder could not give it back, or null when it could have. */
        String excuse() {
            if (answerLost) {
                return "the claim's answer was lost, so its holder did not know it held it";
            }
            if (holder.killed) {
                return "its holder crashed or timed out";
            }
            if (holder.releaseRefused) {
                return "its holder's release was refused";
            }
            return null;
        }
    }

    private void claimed(Actor actor, ProcessedImage claim, Fault fault) {
        claims.put(ClaimId.of(claim), new Claim(actor, fault == Fault.ANSWER_LOST));
    }

    /** A record is never replaced by an older version's than one recorded before. */
    private void checkOrder(ObjectRef ref) {
        Optional<ProcessedImage> now = records.find(ref);
        if (now.isEmpty() || now.get().version() == null) {
            return;
        }
        ObjectVersion latest = latestRecorded.get(ref);
        if (latest != null && now.get().version().isOlderThan(latest)) {
            violations.add("the record of " + ref + " went back from " + latest.key() + " to the older "
                    + now.get().version().key());
        }
        else {
            latestRecorded.put(ref, now.get().version());
        }
    }

    /** A delivery that waits waits on a claim someone holds, or one whose holder could not give it back. */
    private void checkWait(Actor actor, DeliveryInProgressException e) {
        ObjectRef ref = actor.invocation.version.ref;
        ProcessedImage record = records.find(ref).orElse(null);
        String versionKey = actor.invocation.version.objectVersion().key();
        if (record == null || record.notifiedAt() != null || record.version() == null
                || !versionKey.equals(record.version().key())) {
            violations.add(actor + " waits (" + e.getMessage() + ") while the record of its version is "
                    + describe(record) + ": there is no claim of its version to wait for");
            return;
        }
        Claim claim = claims.get(ClaimId.of(record));
        if (claim == null) {
            violations.add(actor + " waits on " + describe(record) + ", which no attempt claimed");
            return;
        }
        if (claim.holder.finished && claim.excuse() == null) {
            violations.add(actor + " waits on the claim " + describe(record) + " of " + claim.holder
                    + ", which ended (" + claim.holder.failure + ") without giving it back");
        }
    }

    /** An attempt that failed after claiming (not crashed) gave its claim back, unless its release was refused. */
    private void checkGaveBack(Actor actor) {
        claims.forEach((id, claim) -> {
            if (claim.holder != actor || claim.excuse() != null) {
                return;
            }
            ProcessedImage record = records.find(id.ref()).orElse(null);
            if (record != null && record.notifiedAt() == null && ClaimId.of(record).equals(id)) {
                violations.add(actor + " failed (" + actor.failure + ") and left its claim " + describe(record)
                        + " in place: the next delivery waits for the lease");
            }
        });
    }

    private int edges() {
        int edges = 0;
        Map<String, List<Notification>> byVersion = notificationsByVersion();
        for (List<Notification> ofVersion : byVersion.values()) {
            edges += ofVersion.size() - 1;
        }
        return edges;
    }

    private Map<String, List<Notification>> notificationsByVersion() {
        Map<String, List<Notification>> byVersion = new LinkedHashMap<>();
        for (Notification notification : notifications) {
            byVersion.computeIfAbsent(notification.versionKey, key -> new ArrayList<>()).add(notification);
        }
        return byVersion;
    }

    private void checkEnd() {
        for (Actor actor : actors) {
            if (!actor.finished) {
                violations.add(actor + " never ended");
            }
        }
        Map<String, List<Notification>> byVersion = notificationsByVersion();
        for (Map.Entry<String, List<Notification>> entry : byVersion.entrySet()) {
            List<Notification> sent = entry.getValue();
            for (int i = 0; i < sent.size() - 1; i++) {
                if (sent.get(i).marked) {
                    violations.add("version " + entry.getKey() + " was notified " + sent.size() + " times: "
                            + sent + "; the one by " + sent.get(i).actor + " was marked, and still another followed");
                    break;
                }
            }
        }
        for (Map.Entry<ObjectRef, List<Version>> entry : versionsOf.entrySet()) {
            ObjectRef ref = entry.getKey();
            Version latest = entry.getValue().getLast();
            ProcessedImage record = records.find(ref).orElse(null);
            if (record == null || record.version() == null
                    || !latest.objectVersion().key().equals(record.version().key())) {
                violations.add("the record of " + ref + " is " + describe(record) + ", not of its latest version "
                        + latest);
                continue;
            }
            if (record.notifiedAt() == null) {
                violations.add("the record of the latest version " + latest + " was never marked notified: "
                        + describe(record));
            }
            if (!byVersion.containsKey(record.version().key())) {
                violations.add("the latest version " + latest + " was never notified");
            }
            Status expected = latest.bad ? Status.REJECTED : Status.PROCESSED;
            if (record.status() != expected) {
                violations.add("the record of " + latest + " is " + record.status() + ", expected " + expected);
            }
            if (record.status() == Status.PROCESSED) {
                StoredObject thumbnail = store.thumbnails.get(OUTPUT.thumbnailOf(ref));
                String made = thumbnail == null ? "none" : thumbnail.metadata().get(ImageProcessor.SOURCE_VERSION);
                byte[] expectedBytes = FakeResizer.thumbnailOf(latest.content);
                if (thumbnail == null || !latest.objectVersion().key().equals(made)
                        || !java.util.Arrays.equals(thumbnail.content(), expectedBytes)) {
                    violations.add("the thumbnail of " + ref + " is made from " + made + ", while the record is of "
                            + latest + " (" + latest.objectVersion().key() + ")");
                }
            }
            else if (store.thumbnails.containsKey(OUTPUT.thumbnailOf(ref))) {
                violations.add("the thumbnail of " + ref + " made from "
                        + store.thumbnails.get(OUTPUT.thumbnailOf(ref)).metadata().get(ImageProcessor.SOURCE_VERSION)
                        + " is still there, while the record is of " + latest + ", " + record.status());
            }
        }
    }

    private static String describe(ProcessedImage record) {
        if (record == null) {
            return "no record";
        }
        return "[" + record.status() + " " + (record.version() == null ? "no version" : record.version().key())
                + " processedAt " + record.processedAt() + (record.notifiedAt() == null ? " not notified"
                        : " notified " + record.notifiedAt())
                + "]";
    }

    private void trace(String line) {
        trace.add("+" + Duration.between(START, clock.instant()).toMillis() / 1000.0 + "s " + line);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the ports, with faults

    private final class FaultyRecords implements MetadataRepository {

        @Override
        public boolean save(ProcessedImage image) {
            return claim("save", "save " + describe(image), "saved", image, () -> records.save(image));
        }

        @Override
        public boolean replace(ProcessedImage image, ProcessedImage expected) {
            return claim("replace", "take over " + describe(expected) + " as " + describe(image), "taken over", image,
                    () -> records.replace(image, expected));
        }

        /** A conditional write that claims {@code image} when it holds: a new claim or a takeover. */
        private boolean claim(String call, String what, String done, ProcessedImage image, BooleanSupplier write) {
            Actor actor = step(call);
            Fault fault = fault(actor, what, true);
            boolean written = write.getAsBoolean();
            if (written) {
                claimed(actor, image, fault);
                checkOrder(image.source().ref());
            }
            trace(actor + "   " + done + ": " + written);
            after(actor, fault, call);
            return written;
        }

        @Override
        public boolean release(ProcessedImage claim, Instant lapsedAt) {
            Actor actor = step("release");
            Fault fault;
            try {
                fault = fault(actor, "give back " + describe(claim) + " to " + lapsedAt, true);
            }
            catch (Outage e) {
                actor.releaseRefused = true;
                throw e;
            }
            boolean released = records.release(claim, lapsedAt);
            if (released) {
                checkOrder(claim.source().ref());
            }
            trace(actor + "   given back: " + released);
            after(actor, fault, "release");
            return released;
        }

        @Override
        public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
            Actor actor = step("mark");
            Fault fault = fault(actor, "mark " + version.key() + " notified", true);
            boolean applies = records.find(source)
                .map(stored -> ObjectVersion.names(version, stored.version()))
                .orElse(false);
            records.markNotified(source, version, at);
            if (applies) {
                for (Notification notification : notifications) {
                    if (notification.actor == actor && notification.versionKey.equals(version.key())) {
                        notification.marked = true;
                    }
                }
                checkOrder(source);
            }
            after(actor, fault, "mark");
        }

        @Override
        public Optional<ProcessedImage> find(ObjectRef source) {
            Actor actor = step("find");
            fault(actor, "find", false);
            Optional<ProcessedImage> found = records.find(source);
            trace(actor + "   found " + describe(found.orElse(null)));
            return found;
        }

        @Override
        public Page<ProcessedImage> findRecent(int limit, String cursor) {
            throw new UnsupportedOperationException("not a step of processing");
        }
    }

    private final class FaultyNotifier implements Notifier {

        @Override
        public void imageProcessed(ProcessedImage image) {
            Actor actor = step("notify");
            Fault fault = fault(actor, "notify " + image.status() + " " + image.version().key(), true);
            notifications.add(new Notification(image.version().key(), actor));
            after(actor, fault, "notify");
        }
    }

    private final class FaultyStore implements ImageStore {

        @Override
        public Optional<StoredObject> read(ObjectRef ref, String versionId, long maxBytes) {
            Actor actor = step("read");
            fault(actor, "read " + ref.key() + (versionId == null ? "" : " " + versionId), false);
            return store.read(ref, versionId);
        }

        @Override
        public String write(ObjectRef ref, byte[] content, String contentType, Map<String, String> metadata) {
            Actor actor = step("write");
            Fault fault = fault(actor, "write thumbnail of " + metadata.get(ImageProcessor.SOURCE_VERSION), true);
            store.thumbnails.put(ref, new StoredObject(content, contentType, metadata));
            after(actor, fault, "thumbnail write");
            return null;
        }

        @Override
        public void delete(ObjectRef ref) {
            Actor actor = step("delete");
            Fault fault = fault(actor, "delete thumbnail", true);
            store.thumbnails.remove(ref);
            after(actor, fault, "thumbnail delete");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the world

    /** A bucket of uploads, versioned or not, and the processed bucket's thumbnails. */
    private static final class SimStore {

        final boolean versioned;

        final Map<ObjectRef, List<Version>> uploads = new ConcurrentHashMap<>();

        final Map<ObjectRef, StoredObject> thumbnails = new ConcurrentHashMap<>();

        SimStore(boolean versioned) {
            this.versioned = versioned;
        }

        void upload(Version version) {
            uploads.computeIfAbsent(version.ref, ref -> new ArrayList<>()).add(version);
        }

        Optional<StoredObject> read(ObjectRef ref, String versionId) {
            List<Version> stored = uploads.getOrDefault(ref, List.of());
            Optional<Version> read;
            if (versioned && versionId != null) {
                read = stored.stream().filter(version -> versionId.equals(version.versionId)).findFirst();
            }
            else {
                read = stored.isEmpty() ? Optional.empty() : Optional.of(stored.getLast());
            }
            return read.map(version -> new StoredObject(version.content, "image/jpeg", Map.of(), version.eTag));
        }
    }

    /** Any bytes but those starting "BAD" make a "thumbnail" that names them, so the check can tell whose it is. */
    private static final class FakeResizer implements Resizer {

        static byte[] thumbnailOf(byte[] image) {
            return ("thumbnail of " + new String(image, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Thumbnail resize(byte[] image) throws RejectedImageException {
            if (new String(image, StandardCharsets.UTF_8).startsWith("BAD")) {
                throw new RejectedImageException("not an image");
            }
            return new Thumbnail(thumbnailOf(image), new Dimensions(640, 480), new Dimensions(256, 192));
        }
    }

    private record Version(ObjectRef ref, int n, byte[] content, String eTag, String versionId, String sequencer,
            boolean bad) {

        ObjectVersion objectVersion() {
            return new ObjectVersion(versionId, eTag, sequencer);
        }

        UploadEvent event() {
            return new UploadEvent(ref, (long) content.length, objectVersion(), null);
        }

        @Override
        public String toString() {
            return ref.key().substring(ref.key().indexOf('/') + 1) + " v" + n + (bad ? " (bad)" : "");
        }
    }

    /** One delivery of an event: S3's (retried by Lambda) or a redrive's. */
    private record Invocation(Version version, boolean redrive) {
    }

    private static final class Notification {

        final String versionKey;

        final Actor actor;

        boolean marked;

        Notification(String versionKey, Actor actor) {
            this.versionKey = versionKey;
            this.actor = actor;
        }

        @Override
        public String toString() {
            return "by " + actor + (marked ? " (marked)" : " (not marked)");
        }
    }

    private abstract static sealed class Task implements Comparable<Task> {

        Instant at;

        int sequence;

        @Override
        public int compareTo(Task other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Integer.compare(sequence, other.sequence);
        }

        static final class Upload extends Task {

            final Version version;

            Upload(Version version) {
                this.version = version;
            }
        }

        static final class Start extends Task {

            final Invocation invocation;

            final int attempt;

            Start(Invocation invocation, int attempt) {
                this.invocation = invocation;
                this.attempt = attempt;
            }
        }
    }

    /** A simulated infrastructure failure (S3, DynamoDB or SNS refusing a call, or its answer lost). */
    static final class Outage extends RuntimeException {

        Outage(String message) {
            super(message, null, false, false);
        }
    }

    /** The attempt dies here (a crash, or Lambda's timeout): an Error, as nothing in the core should survive it. */
    static final class Killed extends Error {

        Killed() {
            super("killed", null, false, false);
        }
    }

    private static String md5(String content) {
        try {
            return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code schedulesPerSeed} schedules from each seed (their seeds derived from it), each on the repository
     * {@code repositories} gives it, and sums what they saw.
     */
    public static Stats runAll(long[] seeds, int schedulesPerSeed, Supplier<MetadataRepository> repositories) {
        Stats stats = Stats.NONE;
        for (long base : seeds) {
            for (int i = 0; i < schedulesPerSeed; i++) {
                stats = stats.plus(run(base * 1_000_003L + i, repositories.get()));
            }
        }
        return stats;
    }
}
