package io.github.lambdaimageprocessor.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The use case: turn one uploaded object into a thumbnail, record the outcome and notify.
 *
 * <p>Bad input (not an image, too large, a key the store cannot hold) ends as a {@link Status#REJECTED} outcome that
 * is recorded and notified like any other. Infrastructure failures (store, repository or notifier throwing) propagate
 * to the caller, so the delivery can be retried.
 */
public final class ImageProcessor {

    private static final System.Logger log = System.getLogger(ImageProcessor.class.getName());

    /** User metadata written on every thumbnail, so our own outputs can be recognised. */
    public static final Map<String, String> OUTPUT_MARKER = Map.of("processed-by", "lambda-image-processor");

    /** The settings of a resizer with default configuration: a 256x256 box at quality 0.85, the current pipeline version. */
    public static final ThumbnailSettings DEFAULT_SETTINGS = new ThumbnailSettings(256, 256, 0.85f, 6);

    /** User metadata on a thumbnail: the version ({@link ObjectVersion#key()}) of the upload it was made from. */
    static final String SOURCE_VERSION = "source-version";

    private static final String OBJECT_GONE = "object no longer exists";

    private static final String FOLDER_MARKER = "an empty object whose key ends in '/', a folder marker, not an upload";

    /**
     * How long a claimed record whose notification is outstanding is taken to be in progress: longer than a delivery
     * can live after claiming (the function's {@code Timeout}, 60 s in template.yaml; SamTemplateTest checks). A
     * delivery that finds a younger claim fails with {@link DeliveryInProgressException} and comes back later (Lambda
     * retries a failed event a minute and then two minutes after; the failure queue and redrive after that); one that
     * finds an older claim finishes the work the claimer left. A claimer that fails (rather than crashes or times out)
     * gives its claim back on the way out, so the next delivery finishes its work at once.
     */
    public static final Duration CLAIM_LEASE = Duration.ofSeconds(90);

    /** How the reason of an upload REJECTED because it must be restored first begins. */
    static final String ARCHIVED = "object is archived";

    private final ImageStore store;
    private final Resizer resizer;
    private final MetadataRepository metadata;
    private final Notifier notifier;
    private final OutputLocation output;
    private final long maxInputBytes;
    private final Clock clock;
    private final ThumbnailSettings settings;

    private final StandbyGate standbyGate;

    /** A processor without a standby gate whose resizer makes thumbnails with {@link #DEFAULT_SETTINGS}. */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock) {
        this(store, resizer, metadata, notifier, output, maxInputBytes, clock, DEFAULT_SETTINGS, StandbyGate.open());
    }

    /** A processor without a standby gate (one region, or the local runtime). */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock, ThumbnailSettings settings) {
        this(store, resizer, metadata, notifier, output, maxInputBytes, clock, settings, StandbyGate.open());
    }

    /** A processor whose resizer makes thumbnails with {@link #DEFAULT_SETTINGS}. */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock, StandbyGate standbyGate) {
        this(store, resizer, metadata, notifier, output, maxInputBytes, clock, DEFAULT_SETTINGS, standbyGate);
    }

    /**
     * @param settings what the resizer makes thumbnails with; written into every record, so a backfill can find the
     *        records made with other settings
     * @param standbyGate consulted for every upload before anything is read: in the standby region of a pair the
     *        upload is SKIPPED
     */
    public ImageProcessor(ImageStore store, Resizer resizer, MetadataRepository metadata, Notifier notifier,
            OutputLocation output, long maxInputBytes, Clock clock, ThumbnailSettings settings,
            StandbyGate standbyGate) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.standbyGate = Objects.requireNonNull(standbyGate, "standbyGate");
        this.store = Objects.requireNonNull(store, "store");
        this.resizer = Objects.requireNonNull(resizer, "resizer");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.output = Objects.requireNonNull(output, "output");
        this.maxInputBytes = maxInputBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public OutputLocation output() {
        return output;
    }

    public ThumbnailSettings settings() {
        return settings;
    }

    /**
     * Why this region stands by (a backfill asks once before it lists a bucket), or empty where it is active or
     * alone.
     *
     * @throws ActiveRegionUnavailableException when the switch cannot be read
     */
    public Optional<String> standbyReason() {
        return standbyGate.standbyReason();
    }

    /**
     * Processes one event, at most once per object version: ask the standby gate (in the standby region of a pair
     * the event is SKIPPED before anything is read), look up the record, read and resize, claim the record with a
     * conditional save, write the thumbnail, notify, mark notified. What each step guards against and what a retry
     * after a failure between two steps does is written out once, in {@code docs/exactly-once.md}.
     *
     * <p>The thumbnail settings play no part here: a repeated delivery of a version recorded with other settings is
     * still SKIPPED, since an event says "this upload is new", not "remake it". Remaking after a settings change is
     * {@link #backfill}'s job.
     */
    public ProcessedImage process(UploadEvent event) {
        return process(event, null);
    }

    /**
     * {@link #process(UploadEvent)} for an upload whose bytes the caller holds because it has just stored them (the
     * local routes): they are used instead of reading the object back, which saves a copy of every upload. Any other
     * read (a later version's thumbnail written back) still goes to the store.
     *
     * @param uploaded the content stored as the version the event names, with the eTag the store reported for it
     * @throws IllegalArgumentException when {@code uploaded} has another eTag than the event's version
     */
    public ProcessedImage process(UploadEvent event, StoredObject uploaded) {
        if (uploaded != null && (uploaded.eTag() == null || !uploaded.eTag().equals(event.version().eTag()))) {
            throw new IllegalArgumentException("the bytes in hand (eTag " + uploaded.eTag()
                    + ") are not the version the event names (eTag " + event.version().eTag() + ")");
        }
        ObjectRef sourceRef = event.object();
        ImageObject unread = ImageObject.unread(sourceRef);
        if (output.contains(sourceRef)) {
            // our own output, not read at all: processing it would make a thumbnail of a thumbnail, and on S3
            // trigger us again
            return ProcessedImage.skipped(unread, "an output of this function (" + output + "), not an upload",
                    clock.instant());
        }
        // before the first read: the standby region reads, writes and notifies nothing; an unreadable switch throws
        Optional<String> standby = standbyGate.standbyReason();
        if (standby.isPresent()) {
            return ProcessedImage.skipped(unread, standby.get(), clock.instant()).withEvent(event.info());
        }
        return processVersion(withStoredETag(event), unread, uploaded, true);
    }

    /**
     * {@link #process(UploadEvent, StoredObject)} from the look-up of the record on.
     *
     * @param lookAgain whether a takeover that finds the record changed since it was read decides again on what it
     *        finds then (once), rather than wait
     */
    private ProcessedImage processVersion(UploadEvent event, ImageObject unread, StoredObject uploaded,
            boolean lookAgain) {
        ObjectRef sourceRef = event.object();
        ObjectVersion version = event.version();
        Optional<ProcessedImage> recorded = version.key() == null ? Optional.empty() : metadata.find(sourceRef);
        if (recorded.isPresent()) {
            ProcessedImage previous = recorded.get();
            if (version.sameAs(previous.version())) {
                if (previous.notifiedAt() != null) {
                    return ProcessedImage.skipped(unread, "already processed: this version was recorded at "
                            + previous.processedAt() + " with status " + previous.status(), clock.instant())
                        .withEvent(event.info());
                }
                Duration age = Duration.between(previous.processedAt(), clock.instant());
                if (age.compareTo(CLAIM_LEASE) < 0) {
                    throw new DeliveryInProgressException("a concurrent delivery of this version claimed it "
                            + Math.max(0, age.toSeconds()) + " s ago and has not notified yet: retry after "
                            + CLAIM_LEASE.minus(age).toSeconds() + " s", CLAIM_LEASE.minus(age));
                }
                // the claimer is gone. Take its claim over by a conditional write, so that of two deliveries
                // arriving after the lease (a retry and a duplicate) only one finishes the work; the other now finds
                // a young claim and comes back when it is done
                // no longer a backfill job's: a task of that job run again meanwhile would take the record for its
                // own work and notify beside this delivery. Whether a notification is owed stays, should this one fail
                BackfillRun run = previous.backfill();
                ProcessedImage takenOver = previous.withProcessedAt(clock.instant())
                    .withBackfill(run == null ? null : BackfillRun.of(null, run.notifying()));
                if (!metadata.replace(takenOver, previous)) {
                    // the record changed since it was read: most often another delivery took the claim over and is
                    // at work, and this one waits for it. But that one may have failed and given the claim back
                    // already, or a later version been recorded meanwhile: waiting would then be for nobody's claim
                    if (lookAgain && !isClaimedNow(metadata.find(sourceRef), version)) {
                        return processVersion(event, unread, uploaded, false);
                    }
                    throw new DeliveryInProgressException("another delivery took over the lapsed claim of this "
                            + "version just now: retry after " + CLAIM_LEASE.toSeconds() + " s", CLAIM_LEASE);
                }
                UploadEvent retried = event;
                return givenBackOnFailure(takenOver, () -> {
                    // whether the claimer's thumbnail write happened cannot be known without reading the processed
                    // bucket (which the function may not): make it again; a rare retry costs one resize
                    Optional<ProcessedImage> later = Optional.empty();
                    if (takenOver.status() == Status.PROCESSED) {
                        byte[] thumbnail = decide(retried, unread, uploaded).thumbnail();
                        if (thumbnail != null) {
                            later = writeThumbnail(sourceRef, thumbnail, takenOver);
                        }
                    }
                    else if (takenOver.status() == Status.REJECTED) {
                        // likewise whether the claimer removed the earlier upload's thumbnail: removed again
                        later = removeThumbnail(sourceRef, takenOver);
                    }
                    return isSuperseded(retried, later) ? supersededMeanwhile(unread, retried, later.get())
                            : notifyAndMark(takenOver);
                });
            }
            if (version.isOlderThan(previous.version())) {
                // an attempt of this version may have written its thumbnail after the later version's and failed or
                // died before it looked at the record again (a crash, a timeout, the write's answer lost): the later
                // delivery is done and nothing else would put its thumbnail back. This retry (or any late delivery of
                // the version) is the one that can
                writeBack(sourceRef, previous);
                return ProcessedImage.skipped(unread, "stale event: a later version (sequencer "
                        + previous.version().sequencer() + ") was already processed", clock.instant())
                    .withEvent(event.info());
            }
            if (notifiedByBackfillAfter(previous, event)) {
                // a backfill knows an object by its eTag only (no sequencer, and no version id from a plain listing):
                // the same bytes, uploaded before the backfill recorded and notified them, are that upload
                return ProcessedImage.skipped(unread, "already processed: a backfill recorded this object (eTag "
                        + previous.version().eTag() + ") at " + previous.processedAt() + ", after this upload, and "
                        + "notified it", clock.instant())
                    .withEvent(event.info());
            }
        }
        Decision decision = decide(event, unread, uploaded);
        ProcessedImage outcome = decision.outcome().withEvent(event.info()).withSettings(settings);
        if (outcome.status() == Status.SKIPPED) {
            return outcome;
        }
        if (!metadata.save(outcome)) {
            return ProcessedImage.skipped(unread, overtakenBy(metadata.find(sourceRef), event), clock.instant())
                .withEvent(event.info());
        }
        return givenBackOnFailure(outcome, () -> {
            Optional<ProcessedImage> later;
            if (decision.thumbnail() != null) {
                later = writeThumbnail(sourceRef, decision.thumbnail(), outcome);
            }
            else {
                // the thumbnail of an earlier upload of the key is removed after the REJECTED record is claimed, not
                // before: only the conditional save tells that this version is the newest (removed first, the
                // thumbnail of a later upload whose claim then wins would be gone), and until the notification is
                // marked the claim is the marker of work left, which a redelivery takes over and removes it again
                later = removeThumbnail(sourceRef, outcome);
            }
            return isSuperseded(event, later) ? supersededMeanwhile(unread, event, later.get()) : notifyAndMark(outcome);
        });
    }

    /**
     * Whether the record found after the thumbnail was written or removed means a later upload replaced this one. An
     * event that names no version (hand-made, without a sequencer: S3 always sends one) cannot tell a later upload from
     * a backfill's remake of its own record, which owes no notification: it notifies, rather than risk that nobody does.
     */
    private static boolean isSuperseded(UploadEvent event, Optional<ProcessedImage> later) {
        return later.isPresent() && event.version().key() != null;
    }

    /**
     * The outcome of a delivery whose record a later upload of the key replaced while it wrote or removed the thumbnail
     * (its claim came first, its work landed last): the thumbnail is the later upload's by now, or none for a REJECTED
     * one, and that upload's delivery sends the notification. This one sends none, as a delivery that finds the later
     * record before it claims sends none: a "Thumbnail ready" email would point at another photo's thumbnail, or at
     * none.
     */
    private ProcessedImage supersededMeanwhile(ImageObject unread, UploadEvent event, ProcessedImage later) {
        return ProcessedImage.skipped(unread, supersededBy(later.version()) + " was recorded while this one was being "
                + "processed; its record, thumbnail and notification stand", clock.instant()).withEvent(event.info());
    }

    /** The start of the reason of an upload a later one of its key replaced: "superseded: a later upload ...". */
    private static String supersededBy(ObjectVersion later) {
        return "superseded: a later upload of this key"
                + (later == null || later.eTag() == null ? "" : " (eTag " + later.eTag() + ")");
    }

    /** Whether the record is a claim of this version still under its lease, its notification outstanding. */
    private boolean isClaimedNow(Optional<ProcessedImage> recorded, ObjectVersion version) {
        return recorded.filter(record -> version.sameAs(record.version()) && record.notifiedAt() == null)
            .filter(record -> Duration.between(record.processedAt(), clock.instant()).compareTo(CLAIM_LEASE) < 0)
            .isPresent();
    }

    /**
     * The event, naming the stored object's eTag when it names a sequencer and neither eTag nor version id. S3 sends the
     * eTag with every object-created event (not with deletions, which are skipped unread); one without is made by
     * hand, and would have no identity: processed, recorded and notified again at each delivery. The object's eTag now
     * (one {@code HeadObject} on S3) names the version as exactly as S3's would: should the object be replaced before
     * it is read, the read finds another eTag and the event is skipped as overwritten, as any event is. Without a
     * sequencer an eTag alone names the bytes, not the upload (the same photo uploaded twice), so nothing is looked up.
     */
    private UploadEvent withStoredETag(UploadEvent event) {
        ObjectVersion version = event.version();
        if (version.eTag() != null || version.versionId() != null || version.sequencer() == null) {
            return event;
        }
        Optional<String> stored;
        try {
            stored = store.eTagOf(event.object(), null);
        }
        catch (InvalidObjectKeyException e) {
            // a key the store cannot hold: the read rejects it, as bad input
            return event;
        }
        return stored.map(ObjectVersion::bareETag)
            .map(eTag -> new UploadEvent(event.object(), event.size(),
                    new ObjectVersion(null, eTag, version.sequencer()), event.requestId(), event.time()))
            .orElse(event);
    }

    /**
     * Makes the thumbnail of an object that is already in the bucket (no upload event), unless its record is up to
     * date: recorded for this object version (same version id, else same eTag) with the current
     * {@link #settings()}, its thumbnail in place and no notification owed ({@link #isDone}). Records without settings
     * (older ones) are stale. {@code force} remakes it whatever the record says.
     *
     * <p>Writes are those of {@link #process}: the record (an optimistic {@link MetadataRepository#replace}, so a
     * record an upload event saved meanwhile stands), the thumbnail, and the notification when {@code notify}, or when
     * the upload event that claimed this version never sent its own.
     * Remaking the record of the version an event recorded keeps that event's identity and {@code notifiedAt}, so a
     * later redelivery of the event is still recognised as a duplicate.
     *
     * @throws ObjectArchivedException never: an archived object is {@link BackfillResult.Kind#ARCHIVED}
     */
    public BackfillResult backfill(ListedObject object, boolean force, boolean notify) {
        return backfill(object, force, notify, null);
    }

    /**
     * {@link #backfill(ListedObject, boolean, boolean)} forced only for a record made before {@code forceBefore} (its
     * {@code processedAt}): a forced run that stopped midway goes on with its start instant, and what it remade since
     * is up to date again, not remade a second time.
     *
     * @param forceBefore remake whatever the record says if it was made before this instant; null forces nothing
     */
    public BackfillResult backfill(ListedObject object, Instant forceBefore, boolean notify) {
        return backfill(object, forceBefore, notify, null);
    }

    /**
     * {@link #backfill(ListedObject, boolean, boolean)} as a task of a job that may run it more than once (S3 Batch
     * Operations retries a task after a TemporaryFailure, a timeout or an invocation error): the job is kept with the
     * record, so a run of the task that finds its own job's record takes it for its own work, not another's. It does
     * not remake it again for {@code force} (a new job still does), and it finishes the notification its job owes at
     * once, where another run would leave it to the run at work for {@link #CLAIM_LEASE}.
     *
     * @param job the job's id, or null for a run of its own (the {@code backfill} command)
     */
    public BackfillResult backfill(ListedObject object, boolean force, boolean notify, String job) {
        return backfill(object, force ? Instant.MAX : null, notify, job);
    }

    private BackfillResult backfill(ListedObject object, Instant forceBefore, boolean notify, String job) {
        ObjectRef sourceRef = object.ref();
        ImageObject unread = ImageObject.unread(sourceRef);
        if (output.contains(sourceRef)) {
            return new BackfillResult(BackfillResult.Kind.NOT_AN_UPLOAD, ProcessedImage.skipped(unread,
                    "an output of this function (" + output + "), not an upload", clock.instant()));
        }
        if (Long.valueOf(0).equals(object.size()) && isFolderKey(sourceRef)) {
            // the listing says it is empty: neither the record nor the object need be read
            return new BackfillResult(BackfillResult.Kind.NOT_AN_UPLOAD,
                    ProcessedImage.skipped(unread, FOLDER_MARKER, clock.instant()));
        }
        // like uploads: the standby region writes nothing, so one region makes each thumbnail and record
        Optional<String> standby = standbyGate.standbyReason();
        if (standby.isPresent()) {
            return new BackfillResult(BackfillResult.Kind.STANDBY,
                    ProcessedImage.skipped(unread, standby.get(), clock.instant()));
        }
        ProcessedImage recorded = metadata.find(sourceRef).orElse(null);
        // an earlier run of this very task (or of another task of its job naming the same object) made this record
        boolean own = job != null && recorded != null && recorded.backfill() != null
                && job.equals(recorded.backfill().job());
        boolean forced = forceBefore != null && !own
                && (recorded == null || recorded.processedAt() == null || recorded.processedAt().isBefore(forceBefore));
        if (atWorkByAnother(recorded, own)
                && (isSameObject(recorded, object.eTag(), object.versionId()) || object.eTag() == null)) {
            // an upload event's delivery (or a notifying backfill) is at work on this object, forced or not: it makes
            // the thumbnail and sends the one notification; a remake here would send a second
            return atWork(unread, recorded);
        }
        // whether the recorded thumbnail is in place, asked of the store once per object however often it is needed
        ThumbnailInPlace thumbnail = new ThumbnailInPlace(recorded);
        // the store's eTag of the object, when asked for below (once)
        String asked = null;
        if (!forced && isDone(recorded, object.eTag(), object.versionId(), thumbnail, own)) {
            return upToDate(unread, recorded);
        }
        if (!forced && recorded != null && object.eTag() == null && isUpToDateButForIdentity(recorded)
                && (recorded.version() == null || recorded.version().versionId() == null
                        || object.versionId() == null)) {
            // an S3 Batch task names no eTag: ask for it rather than download an object that may well be done (and
            // may since have moved to an archive class, which no read gets past); when both name a version id, the
            // eTag would decide nothing
            // a key the store cannot hold (recorded REJECTED for it) has none: the read below rejects it again, as
            // bad input, rather than fail the task as if the store were down
            asked = storedETag(sourceRef, object.versionId(), null);
            if (asked != null && isDone(recorded, asked, object.versionId(), thumbnail, own)) {
                return upToDate(unread, recorded);
            }
        }
        // a task naming a version that is not recorded: one record per object, for its current version, so an older
        // one (from a manifest made before the latest upload) must not replace it; a record of this very version is
        // remade without asking
        if (object.versionId() != null && (recorded == null || !isSameObject(recorded, null, object.versionId()))
                && !store.isCurrentVersion(sourceRef, object.versionId())) {
            return new BackfillResult(BackfillResult.Kind.NOT_CURRENT, ProcessedImage.skipped(unread, "version "
                    + object.versionId() + " is no longer the current version of this object: the current one's "
                    + "record and thumbnail stand", clock.instant()));
        }
        if (object.size() != null && object.size() > maxInputBytes) {
            ProcessedImage rejected = ProcessedImage.rejected(new ImageObject(sourceRef.bucket(), sourceRef.key(),
                    null, null, object.size(), null), tooLarge(object.size()), clock.instant());
            return record(new Decision(rejected), object.eTag(), object, recorded,
                    notify || notificationOwed(recorded, own, object.eTag(), object.versionId()), job);
        }
        Source read;
        try {
            read = read(sourceRef, object.versionId(), unread);
        }
        catch (ObjectArchivedException e) {
            return new BackfillResult(BackfillResult.Kind.ARCHIVED,
                    ProcessedImage.skipped(unread, e.getMessage(), clock.instant()));
        }
        if (read.decision() != null && read.decision().outcome().status() == Status.SKIPPED) {
            return new BackfillResult(BackfillResult.Kind.MISSING, read.decision().outcome());
        }
        // the eTag of the bytes read, which is the listing's unless the object changed since it was listed
        String eTag = read.object() != null && read.object().eTag() != null ? read.object().eTag() : object.eTag();
        if (eTag == null && read.object() == null) {
            // refused unread (over the size limit, a key the store cannot hold) where the listing named no eTag (the
            // local app's restart, an S3 Batch task): without one, the remake of a lapsed claim on this very upload
            // takes it for other bytes, drops the upload's identity and owes nobody its notification
            eTag = asked != null ? asked : storedETag(sourceRef, object.versionId(), recorded);
        }
        if (!forced && read.object() != null && isDone(recorded, eTag, object.versionId(), thumbnail, own)) {
            return upToDate(unread, recorded);
        }
        if (read.object() != null && atWorkByAnother(recorded, own) && isSameObject(recorded, eTag, object.versionId())) {
            // the listing named other bytes (the object was replaced after it was listed), but the bytes read are
            // the ones the delivery or notifying backfill is at work on: left to it, as above. A remake here (forced,
            // or other settings) would not send the notification, and the notifying backfill, finding its record
            // remade, leaves it to the remaker: sent by nobody
            return atWork(unread, recorded);
        }
        Decision decision = read.decision() != null ? read.decision() : resize(sourceRef, read.object(), unread);
        if (decision.outcome().status() == Status.SKIPPED) {
            return new BackfillResult(BackfillResult.Kind.NOT_AN_UPLOAD, decision.outcome());
        }
        return record(decision, eTag, object, recorded,
                notify || notificationOwed(recorded, own, eTag, object.versionId()), job);
    }

    /**
     * The eTag of an object, asked of the store (null when it has none); for a key the store cannot hold, which it
     * refuses whatever the object holds (so a record of the key is of that same refusal), the record's, if given.
     */
    private String storedETag(ObjectRef sourceRef, String versionId, ProcessedImage recorded) {
        try {
            return store.eTagOf(sourceRef, versionId).map(ObjectVersion::bareETag).orElse(null);
        }
        catch (InvalidObjectKeyException e) {
            return recorded == null || recorded.event() == null ? null : recorded.event().version().eTag();
        }
    }

    /**
     * Whether a delivery or a notifying backfill other than this job is at work on the record: its notification is
     * outstanding and its claim still under its lease.
     */
    private boolean atWorkByAnother(ProcessedImage recorded, boolean own) {
        return notificationPending(recorded) && !notificationOwed(recorded, own);
    }

    /** The outcome of a backfill that finds a delivery or a notifying backfill at work on the object it would remake. */
    private BackfillResult atWork(ImageObject unread, ProcessedImage recorded) {
        return new BackfillResult(BackfillResult.Kind.CHANGED_CONCURRENTLY, ProcessedImage.skipped(unread,
                claimedByEvent(recorded)
                        // locally no delivery comes back: the app stopped mid-work leaves the claim to a backfill
                        ? "an upload event is being processed for this object (claimed at "
                                + recorded.processedAt() + "); its delivery finishes it, or, should that delivery "
                                + "be gone (the app stopped while processing it), a backfill after "
                                + recorded.processedAt().plus(CLAIM_LEASE) + " does"
                        : "a backfill that was to notify this object recorded it at " + recorded.processedAt()
                                + " and has not notified yet; a backfill after " + CLAIM_LEASE.toSeconds()
                                + " s sends the notification if it is still owed",
                clock.instant()));
    }

    /**
     * Whether a backfill recorded and notified these very bytes after the event's upload. Compared with the
     * notification's time, which a later remake (new settings, {@code --force}) keeps, unlike {@code processedAt}.
     */
    private static boolean notifiedByBackfillAfter(ProcessedImage recorded, UploadEvent event) {
        ObjectVersion version = recorded.version();
        return version != null && recorded.notifiedAt() != null && version.versionId() == null
                && version.sequencer() == null && version.eTag() != null
                && version.eTag().equals(event.version().eTag()) && event.time() != null
                && event.time().isBefore(recorded.notifiedAt());
    }

    /**
     * Whether nothing is left to do for this object version: its record is up to date, the thumbnail it names is in
     * place, and no notification is owed. A run cut short between the record and the thumbnail (a failed write, a
     * killed backfill), or a delivery that claimed the version and never finished (a crash of the local app, which no
     * retry follows), is finished by the next backfill.
     */
    private boolean isDone(ProcessedImage recorded, String eTag, String versionId, ThumbnailInPlace thumbnail,
            boolean own) {
        if (!isUpToDate(recorded, eTag, versionId)) {
            return false;
        }
        if (notificationPending(recorded)) {
            // a younger claim is the delivery (or backfill) at work, which makes the thumbnail and notifies: left to
            // it; an older one, or this job's own, is remade, and notified
            return !notificationOwed(recorded, own);
        }
        return thumbnail.get();
    }

    /** {@link #isUpToDate} but for the object's identity, which a task without an eTag cannot tell yet. */
    private boolean isUpToDateButForIdentity(ProcessedImage recorded) {
        // an upload that arrived archived was REJECTED by its event; once restored, a backfill makes its thumbnail
        boolean archived = recorded.status() == Status.REJECTED && recorded.reason().startsWith(ARCHIVED);
        return recorded.status() != Status.SKIPPED && !archived && settings.equals(recorded.settings());
    }

    /** Whether the recorded thumbnail is in place (true for records that name none), looked up at most once. */
    private final class ThumbnailInPlace {

        private final ProcessedImage recorded;

        private Boolean inPlace;

        ThumbnailInPlace(ProcessedImage recorded) {
            this.recorded = recorded;
        }

        boolean get() {
            if (inPlace == null) {
                inPlace = hasThumbnailInPlace(recorded);
            }
            return inPlace;
        }
    }

    /**
     * Whether the thumbnail the record names is in place (true for SKIPPED records): there, carrying this function's
     * marker and, when it says which version it was made from, the record's; for a REJECTED record, that there is
     * none. One look at its metadata ({@code HeadObject} on S3). A local thumbnail whose metadata write was cut short
     * (the app killed between the thumbnail's rename and its properties') has no marker, and one that another
     * version's thumbnail write overtook names that version: each is made again, not taken for done.
     */
    public boolean hasThumbnailInPlace(ProcessedImage recorded) {
        if (recorded != null && recorded.status() == Status.REJECTED) {
            // a REJECTED upload has no thumbnail: one found under its key is an earlier upload's that the removal
            // missed (cut short, or before releases removed them), still shown for a photo its owner replaced
            try {
                return store.metadataOf(output.thumbnailOf(recorded.source().ref())).isEmpty();
            }
            catch (InvalidObjectKeyException e) {
                return true;
            }
        }
        if (recorded == null || recorded.status() != Status.PROCESSED || recorded.output() == null) {
            return true;
        }
        String version = recorded.version() == null ? null : recorded.version().key();
        return store.metadataOf(output.thumbnailOf(recorded.source().ref()))
            .filter(metadata -> OUTPUT_MARKER.entrySet()
                .stream()
                .allMatch(marker -> marker.getValue().equals(metadata.get(marker.getKey()))))
            // thumbnails written before they named their version name none
            .filter(metadata -> version == null || metadata.get(SOURCE_VERSION) == null
                    || version.equals(metadata.get(SOURCE_VERSION)))
            .isPresent();
    }

    /** Whether an upload event claimed this record (its version carries the event's sequencer) and never notified. */
    private static boolean claimedByEvent(ProcessedImage recorded) {
        return recorded != null && recorded.notifiedAt() == null && recorded.status() != Status.SKIPPED
                && recorded.event() != null && recorded.event().version().sequencer() != null;
    }

    /**
     * Whether a notifying backfill made this record and its notification is not out: not marked at all, or marked only
     * with the time an upload event notified it before the backfill remade it (kept for its redeliveries, and older
     * than the remake).
     */
    private static boolean notificationUnsent(ProcessedImage recorded) {
        return recorded != null && recorded.backfill() != null && recorded.backfill().notifying()
                && recorded.status() != Status.SKIPPED
                && (recorded.notifiedAt() == null || recorded.notifiedAt().isBefore(recorded.processedAt()));
    }

    /**
     * Whether the work on this record's object was left unfinished: claimed by an upload event's delivery, or made by a
     * backfill that was to notify it, and not notified since. A {@link #backfill} finishes it once the claim is
     * {@link #CLAIM_LEASE} old (until then the claimer may still be at work).
     */
    public static boolean isUnfinished(ProcessedImage recorded) {
        return notificationPending(recorded);
    }

    /** Whether a notification is outstanding on this record: an upload event's claim, or a notifying backfill's. */
    private static boolean notificationPending(ProcessedImage recorded) {
        return claimedByEvent(recorded) || notificationUnsent(recorded);
    }

    /**
     * Whether the notification outstanding on this record has lapsed: the delivery (or backfill) that claimed it is
     * gone, and the notification falls to whoever finishes it, as to a retried event ({@link #process}). A backfill
     * whose SNS publish failed leaves its notification so, rather than behind a record that looks up to date.
     */
    private boolean notificationOwed(ProcessedImage recorded, boolean own) {
        return notificationPending(recorded) && (own
                || Duration.between(recorded.processedAt(), clock.instant()).compareTo(CLAIM_LEASE) >= 0);
    }

    /** {@link #notificationOwed(ProcessedImage, boolean)} to this very object: what a backfill remaking it sends. */
    private boolean notificationOwed(ProcessedImage recorded, boolean own, String eTag, String versionId) {
        return notificationOwed(recorded, own) && isSameObject(recorded, eTag, versionId);
    }

    private BackfillResult record(Decision decision, String eTag, ListedObject object, ProcessedImage recorded,
            boolean notify, String job) {
        ObjectRef sourceRef = object.ref();
        boolean sameVersion = recorded != null && isSameObject(recorded, eTag, object.versionId());
        EventInfo identity = sameVersion ? recorded.event()
                : new EventInfo(new ObjectVersion(object.versionId(), eTag, null), null).orNullIfEmpty();
        // the run is kept with a record it is to notify: should the notification fail, the next backfill owes it
        ProcessedImage outcome = decision.outcome().withEvent(identity).withSettings(settings)
            .withNotifiedAt(sameVersion ? recorded.notifiedAt() : null)
            .withBackfill(BackfillRun.of(job, notify));
        if (!metadata.replace(outcome, recorded)) {
            return changedConcurrently(sourceRef);
        }
        Supplier<BackfillResult> finish = () -> {
            Optional<ProcessedImage> later;
            if (decision.thumbnail() != null) {
                later = writeThumbnail(sourceRef, decision.thumbnail(), outcome);
            }
            else {
                // should this fail or be cut short, the next backfill finds a thumbnail under a REJECTED record (not
                // in place, hasThumbnailInPlace) and remakes the record, removing it
                later = removeThumbnail(sourceRef, outcome);
            }
            if (later.isPresent()) {
                // replaced while the thumbnail was written: whoever recorded it notifies, as in process
                return changedConcurrently(sourceRef);
            }
            ProcessedImage result = notify ? notifyAndMark(outcome) : outcome;
            return new BackfillResult(
                    result.status() == Status.PROCESSED ? BackfillResult.Kind.PROCESSED : BackfillResult.Kind.REJECTED,
                    result);
        };
        // only a record it is to notify is a claim (one without a notification owed is simply remade by the next run)
        return notify ? givenBackOnFailure(outcome, finish) : finish.get();
    }

    private BackfillResult changedConcurrently(ObjectRef sourceRef) {
        return new BackfillResult(BackfillResult.Kind.CHANGED_CONCURRENTLY, ProcessedImage.skipped(
                ImageObject.unread(sourceRef), "an upload event or another backfill recorded this object meanwhile; its record stands",
                clock.instant()));
    }

    private BackfillResult upToDate(ImageObject unread, ProcessedImage recorded) {
        if (recorded.status() == Status.REJECTED) {
            // the reason stands as recorded: a job's report says it again, rather than "done" for a file it refused
            return new BackfillResult(BackfillResult.Kind.ALREADY_REJECTED, ProcessedImage.skipped(unread,
                    recorded.reason() + " (recorded at " + recorded.processedAt() + " with settings "
                            + recorded.settings() + ")",
                    clock.instant()).withEvent(recorded.event()));
        }
        return new BackfillResult(BackfillResult.Kind.UP_TO_DATE, ProcessedImage.skipped(unread, "up to date: "
                + recorded.status() + " at " + recorded.processedAt() + " with settings " + recorded.settings(),
                clock.instant()).withEvent(recorded.event()));
    }

    /** Whether {@code recorded} is this object version's outcome with the current settings. */
    private boolean isUpToDate(ProcessedImage recorded, String eTag, String versionId) {
        return recorded != null && isUpToDateButForIdentity(recorded) && isSameObject(recorded, eTag, versionId);
    }

    /** By version id when both know one (versioned bucket), else by eTag (the content's fingerprint). */
    private static boolean isSameObject(ProcessedImage recorded, String eTag, String versionId) {
        EventInfo event = recorded.event();
        if (event == null) {
            return false;
        }
        ObjectVersion version = event.version();
        if (versionId != null && version.versionId() != null) {
            return versionId.equals(version.versionId());
        }
        return eTag != null && eTag.equals(version.eTag());
    }

    /**
     * Writes the thumbnail of the record just saved, then checks that no other record was saved meanwhile. Records
     * are claimed in version order, but the writes that follow can cross: the delivery of an earlier version (or a
     * backfill) may write after a later one did. The delivery that then finds another record writes that record's
     * thumbnail back, or removes it for a REJECTED record (and checks again, a bounded number of times), so the
     * thumbnail always ends as the recorded version's, and none for a REJECTED one.
     */
    private Optional<ProcessedImage> writeThumbnail(ObjectRef sourceRef, byte[] thumbnail, ProcessedImage recorded) {
        store.write(output.thumbnailOf(sourceRef), thumbnail, Thumbnail.CONTENT_TYPE, markerFor(recorded.version()));
        return followRecord(sourceRef, recorded);
    }

    /**
     * Removes the thumbnail of the key for its REJECTED record (the thumbnail key is the same for every version of an
     * upload: the earlier upload's), then checks for another record, as {@link #writeThumbnail} does: a later upload's
     * thumbnail written before this removal landed is written back.
     */
    private Optional<ProcessedImage> removeThumbnail(ObjectRef sourceRef, ProcessedImage recorded) {
        return deleteThumbnail(sourceRef) ? followRecord(sourceRef, recorded) : Optional.empty();
    }

    /** Deletes the thumbnail of the key; false when the store cannot hold its key, so that there is none. */
    private boolean deleteThumbnail(ObjectRef sourceRef) {
        try {
            store.delete(output.thumbnailOf(sourceRef));
            return true;
        }
        catch (InvalidObjectKeyException e) {
            return false;
        }
    }

    /**
     * After the thumbnail was written or removed for {@code written}: while the record is another by now, makes the
     * thumbnail that one's (written back when PROCESSED, removed when REJECTED), a bounded number of times. Returns
     * the record found in place of {@code written} at the first look, empty when {@code written} still stands.
     */
    private Optional<ProcessedImage> followRecord(ObjectRef sourceRef, ProcessedImage written) {
        Optional<ProcessedImage> replacedBy = Optional.empty();
        for (int check = 0; check < 3; check++) {
            Optional<ProcessedImage> now = metadata.find(sourceRef);
            if (now.isEmpty() || isSameRecord(written, now.get())) {
                return replacedBy;
            }
            if (replacedBy.isEmpty()) {
                replacedBy = now;
            }
            switch (now.get().status()) {
                case PROCESSED -> {
                    ObjectVersion later = now.get().version();
                    byte[] repaired = thumbnailOf(sourceRef, later);
                    if (repaired == null) {
                        return replacedBy;
                    }
                    store.write(output.thumbnailOf(sourceRef), repaired, Thumbnail.CONTENT_TYPE, markerFor(later));
                }
                case REJECTED -> deleteThumbnail(sourceRef);
                case SKIPPED -> {
                    return replacedBy;
                }
            }
            written = now.get();
        }
        return replacedBy;
    }

    /** The thumbnail of a version, made again from the upload (null when it cannot be read as that version). */
    private byte[] thumbnailOf(ObjectRef sourceRef, ObjectVersion version) {
        return decide(new UploadEvent(sourceRef, null, version, null), ImageObject.unread(sourceRef), null)
            .thumbnail();
    }

    /**
     * Writes the thumbnail of {@code recorded} (and checks for a later record, as {@link #writeThumbnail} does) when it
     * is PROCESSED; removes the key's thumbnail when it is REJECTED (an attempt of an earlier version may have written
     * its own after the removal, and died before it looked at the record again).
     */
    private void writeBack(ObjectRef sourceRef, ProcessedImage recorded) {
        switch (recorded.status()) {
            case PROCESSED -> {
                byte[] thumbnail = thumbnailOf(sourceRef, recorded.version());
                if (thumbnail != null) {
                    writeThumbnail(sourceRef, thumbnail, recorded);
                }
            }
            case REJECTED -> removeThumbnail(sourceRef, recorded);
            case SKIPPED -> {
            }
        }
    }

    /**
     * Whether {@code now} is still the record whose thumbnail was written: the same version where the record
     * identifies one, else the very same record (a backfill's record of an unversioned object names no version that
     * another could be compared with).
     */
    private static boolean isSameRecord(ProcessedImage written, ProcessedImage now) {
        ObjectVersion version = written.version();
        if (version != null && version.key() != null) {
            return version.sameAs(now.version());
        }
        return written.processedAt().equals(now.processedAt()) && Objects.equals(version, now.version());
    }

    /** The output marker, plus the version the thumbnail was made from (provenance, visible in S3). */
    private static Map<String, String> markerFor(ObjectVersion version) {
        if (version == null || version.key() == null) {
            return OUTPUT_MARKER;
        }
        Map<String, String> marker = new java.util.HashMap<>(OUTPUT_MARKER);
        marker.put(SOURCE_VERSION, version.key());
        return Map.copyOf(marker);
    }

    /**
     * Does the work that follows a claim ({@code claim}, just written) and, should it fail, gives the claim back before
     * the failure propagates: nothing is at work on the record any more, so the next delivery (Lambda's retry a minute
     * later, a duplicate looking again meanwhile, the next backfill) takes it over at once, where the lease would have
     * made it wait for a claimer that is gone. A crash or a timeout gives nothing back: the lease covers those.
     */
    private <T> T givenBackOnFailure(ProcessedImage claim, Supplier<T> work) {
        try {
            return work.get();
        }
        catch (RuntimeException | Error failure) {
            giveBack(claim, failure);
            throw failure;
        }
    }

    /**
     * Makes the claim read as lapsed, by a conditional write that leaves a record another delivery took over or marked
     * notified meanwhile as it is. A release that fails (the store is down too) leaves the claim under its lease, as
     * a crash would; the original failure is the one that propagates.
     */
    private void giveBack(ProcessedImage claim, Throwable failure) {
        Instant lapsed = claim.processedAt().minus(CLAIM_LEASE);
        if (claim.notifiedAt() != null && !lapsed.isAfter(claim.notifiedAt())) {
            // a backfill's remake of a record an event notified owes its notification only while it is newer than
            // that notification: it lapses a little later instead, rather than read as notified
            lapsed = claim.notifiedAt().plusNanos(1);
        }
        try {
            metadata.release(claim, lapsed);
        }
        catch (RuntimeException | Error releaseFailed) {
            if (releaseFailed != failure) {
                failure.addSuppressed(releaseFailed);
            }
            log.log(System.Logger.Level.WARNING, "Could not give back the claim on the record of "
                    + claim.source().ref().shown() + " after the failure, so the next "
                    + "delivery waits for its lease to pass (" + claim.processedAt().plus(CLAIM_LEASE) + "): "
                    + UntrustedText.printable(releaseFailed.toString()));
        }
    }

    private ProcessedImage notifyAndMark(ProcessedImage recorded) {
        notifier.imageProcessed(recorded);
        Instant notifiedAt = clock.instant();
        metadata.markNotified(recorded.source().ref(), recorded.version(), notifiedAt);
        return recorded.withNotifiedAt(notifiedAt);
    }

    /** An outcome, and the thumbnail to write when it is PROCESSED. */
    private record Decision(ProcessedImage outcome, byte[] thumbnail) {

        Decision(ProcessedImage outcome) {
            this(outcome, null);
        }
    }

    /** Reads (unless the bytes are {@code inHand}) and resizes; writes nothing. */
    private Decision decide(UploadEvent event, ImageObject unread, StoredObject inHand) {
        ObjectRef sourceRef = event.object();
        // the event's size is not trusted to reject: a hand-made event's may be anything (and was taken for the
        // object's, recorded and notified as too large). The store refuses an object over the limit by the size it
        // announces, without downloading it, at the cost of one request
        if (inHand != null) {
            return resize(sourceRef, inHand, unread);
        }
        Source read;
        try {
            read = read(sourceRef, event.version().versionId(), unread);
        }
        catch (ObjectArchivedException e) {
            // no retry can read it, a restore can: bad input for now, and a backfill after the restore remakes it
            return new Decision(ProcessedImage.rejected(unread, ARCHIVED
                    + (e.storageClass() == null ? "" : " in storage class " + e.storageClass())
                    + " and must be restored (S3 RestoreObject) before it can be read", clock.instant()));
        }
        if (read.decision() != null) {
            return read.decision();
        }
        String named = event.version().eTag();
        String found = read.object().eTag();
        if (isS3ETag(named) && found != null && !found.equals(ObjectVersion.bareETag(named))) {
            // without a version id only the current object can be read, and it is not the upload this event is
            // about: another upload replaced it, and that upload's own event (S3 sends one for every write) reads,
            // records and notifies it. Processing it here would record the later bytes under this event's version
            // (a photo REJECTED for the bytes that replaced it, and a second notification for one upload). With a
            // version id S3 reads that very version, whose eTag is the event's; a store that keeps one version per
            // key (the local folders) reads the current object all the same, so the eTag is compared there too
            return new Decision(ProcessedImage.skipped(unread, "overwritten before it could be read: the event "
                    + "names eTag " + named + ", the object now has eTag " + found + "; the later upload's event "
                    + "processes it", clock.instant()));
        }
        return resize(sourceRef, read.object(), unread);
    }

    /**
     * Whether an event's eTag is one S3 computes (32 hex digits, and {@code -<parts>} after a multipart upload), so
     * that a store's eTag can be compared with it; a hand-made event's ("e1" in a test, a replayed sample) names no
     * stored object and is not compared.
     */
    private static boolean isS3ETag(String eTag) {
        return eTag != null && S3_ETAG.matcher(ObjectVersion.bareETag(eTag)).matches();
    }

    private static final Pattern S3_ETAG = Pattern.compile("[0-9a-fA-F]{32}(-[0-9]+)?");

    /**
     * Why a delivery whose conditional save lost is skipped: another delivery of its version recorded first, or a later
     * upload of its key did (two uploads of one key at once), in which case its bytes are not the ones processed.
     */
    private static String overtakenBy(Optional<ProcessedImage> recorded, UploadEvent event) {
        ObjectVersion winner = recorded.map(ProcessedImage::version).orElse(null);
        if (winner != null && winner.key() != null && event.version().key() != null
                && !ObjectVersion.names(event.version(), winner)) {
            return supersededBy(winner) + " was recorded first, so this upload is not the current object";
        }
        return "already processed: a concurrent delivery of this version was recorded first";
    }

    /** The object read, or the decision that ends its processing when it cannot be. */
    private record Source(StoredObject object, Decision decision) {
    }

    private Source read(ObjectRef sourceRef, String versionId, ImageObject unread) {
        Optional<StoredObject> read;
        try {
            // the version the event names: a later upload of the same key is its own event's business; an object the
            // resizer refuses by its first bytes (a video in a bucket being backfilled) is not downloaded further
            read = store.read(sourceRef, versionId, maxInputBytes, Resizer.HEAD_BYTES,
                    head -> resizer.refusalByHead(head).isEmpty());
        }
        catch (InvalidObjectKeyException e) {
            return new Source(null, new Decision(ProcessedImage.rejected(unread, e.getMessage(), clock.instant())));
        }
        catch (ObjectTooLargeException e) {
            if (!e.sizeKnown()) {
                return new Source(null, new Decision(ProcessedImage.rejected(unread, "object is more than "
                        + maxInputBytes + " bytes, over the limit of " + maxInputBytes + " bytes (its size was not "
                        + "announced; reading stopped there)", clock.instant())));
            }
            return new Source(null, new Decision(ProcessedImage.rejected(new ImageObject(sourceRef.bucket(),
                    sourceRef.key(), null, null, e.bytes(), null), tooLarge(e.bytes()), clock.instant())));
        }
        if (read.isEmpty()) {
            return new Source(null, new Decision(ProcessedImage.skipped(unread, OBJECT_GONE, clock.instant())));
        }
        return new Source(read.get(), null);
    }

    private Decision resize(ObjectRef sourceRef, StoredObject source, ImageObject unread) {
        if (isOutputMarked(source)) {
            return new Decision(ProcessedImage.skipped(unread, "carries this function's output marker "
                    + OUTPUT_MARKER.keySet().iterator().next() + ", so it is a thumbnail, not an upload",
                    clock.instant()));
        }
        if (source.size() == 0 && isFolderKey(sourceRef)) {
            return new Decision(ProcessedImage.skipped(unread, FOLDER_MARKER, clock.instant()));
        }
        long bytes = source.size();
        if (bytes > maxInputBytes) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    tooLarge(bytes), clock.instant()));
        }
        if (source.partial()) {
            // the store stopped after the head because the resizer refused it: that is the reason
            String reason = resizer.refusalByHead(source.content()).orElseThrow(() -> new IllegalStateException(
                    "the store read only the head of " + sourceRef + ", which the resizer does not refuse"));
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    reason, clock.instant()));
        }
        Thumbnail thumbnail;
        try {
            thumbnail = resizer.resize(source.content());
        }
        catch (RejectedImageException e) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, null, bytes, source.contentType()),
                    e.getMessage(), clock.instant()));
        }
        ObjectRef thumbnailRef = output.thumbnailOf(sourceRef);
        try {
            // decided now, before the record is claimed: a key the store cannot hold is bad input, not a failure
            store.checkWritable(thumbnailRef);
        }
        catch (InvalidObjectKeyException e) {
            return new Decision(ProcessedImage.rejected(ImageObject.of(sourceRef, thumbnail.source(), bytes,
                    source.contentType()), e.getMessage(), clock.instant()));
        }
        return new Decision(ProcessedImage.processed(
                ImageObject.of(sourceRef, thumbnail.source(), bytes, source.contentType()),
                ImageObject.of(thumbnailRef, thumbnail.size(), thumbnail.jpeg().length, Thumbnail.CONTENT_TYPE),
                clock.instant(), thumbnail.orientation(), thumbnail.colorSpace()), thumbnail.jpeg());
    }

    /**
     * Whether the key names a folder: an empty object under such a key is what the S3 console's "Create folder" (and
     * many sync tools) leave, not a photo. Recorded as a REJECTED image, it would show in the gallery and be notified.
     */
    private static boolean isFolderKey(ObjectRef ref) {
        return ref.key().endsWith("/");
    }

    private static boolean isOutputMarked(StoredObject object) {
        return OUTPUT_MARKER.entrySet()
            .stream()
            .allMatch(marker -> marker.getValue().equals(object.metadata().get(marker.getKey())));
    }

    private String tooLarge(long bytes) {
        return "object is " + bytes + " bytes, over the limit of " + maxInputBytes + " bytes";
    }
}
