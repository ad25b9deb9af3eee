package io.github.lambdaimageprocessor.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.InvalidCursorException;
import io.github.lambdaimageprocessor.processing.InvalidUploadException;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutputLocation;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.StoredObject;
import io.github.lambdaimageprocessor.processing.Thumbnail;
import io.github.lambdaimageprocessor.processing.ThumbnailLinks;
import io.github.lambdaimageprocessor.processing.UploadRequest;
import io.github.lambdaimageprocessor.processing.UploadTicket;
import io.github.lambdaimageprocessor.processing.UntrustedText;
import io.github.lambdaimageprocessor.processing.Uploads;

/**
 * The browser-upload API as plain Java, so the Spring MVC routes (web app) and the API Gateway function (Lambda)
 * answer every request the same way: grant an upload, list recent records, show one record, serve a thumbnail.
 * Client errors are {@link ApiException}s; infrastructure failures propagate.
 */
public final class ImageApi {

    public static final int DEFAULT_LIMIT = 20;

    /** ASCII digits only: parseInt also takes a sign and the digits of every script ("+5", Arabic-Indic 5). */
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,9}");

    public static final int MAX_LIMIT = 100;

    private final Uploads uploads;

    private final MetadataRepository metadata;

    private final ImageStore store;

    private final OutputLocation output;

    private final String uploadBucket;

    private final String peerUploadBucket;

    private final ThumbnailLinks links;

    /**
     * @param peerUploadBucket in a two-region pair, the other region's upload bucket, else null: an upload is
     *        recorded under the bucket of the region that processed it (the active one), which need not be this one
     *        (an upload made through this region's API while the other is active, or made before a failover)
     * @param links short-lived thumbnail links, or null to serve thumbnails' bytes from the store
     */
    public ImageApi(Uploads uploads, MetadataRepository metadata, ImageStore store, OutputLocation output,
            String uploadBucket, String peerUploadBucket, ThumbnailLinks links) {
        this.uploads = Objects.requireNonNull(uploads, "uploads");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.store = Objects.requireNonNull(store, "store");
        this.output = Objects.requireNonNull(output, "output");
        this.uploadBucket = Objects.requireNonNull(uploadBucket, "uploadBucket");
        this.peerUploadBucket = peerUploadBucket;
        this.links = links;
    }

    /**
     * A field an upload request does not have, refused rather than ignored: a misspelt {@code checksumSha256} would
     * leave the upload unchecked while its client believes it is.
     */
    public static ApiException unknownUploadField(String name) {
        return ApiException.badRequest("The body names \"" + UntrustedText.excerpt(name) + "\", which an upload request does not have: it "
                + "takes fileName, contentType, contentLength and checksumSha256");
    }

    /**
     * A raw ';' in the path of a key's route: the web app's server takes it for the start of path parameters and cuts
     * it from the key ({@code /images/a;b.jpg} would answer for {@code a}), so both flavours of the API refuse it
     * rather than find a key on one that the other cannot.
     */
    public static final String SEMICOLON_IN_PATH = "A ';' in the path would be cut from the key: encode it as %3B";

    /**
     * The key as the path of its routes ({@code /images/} + this), for a {@code Location}: each character a path
     * segment may not hold percent-encoded as UTF-8, and ';' too, which a path may hold but the web app's server takes
     * for the start of path parameters. The inverse of how both flavours decode a key's path.
     */
    public static String pathOf(String key) {
        StringBuilder path = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,=:@/".indexOf(c) >= 0) {
                path.append(c);
            }
            else {
                path.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return path.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** An upload request with no body, or a JSON {@code null}. */
    public static ApiException emptyUploadRequest() {
        return ApiException.badRequest("The body is empty; send {\"fileName\", \"contentType\", \"contentLength\"}");
    }

    /** {@code POST /uploads}: 201 with the ticket. */
    public UploadTicket startUpload(UploadRequest request) {
        if (request == null) {
            throw emptyUploadRequest();
        }
        try {
            return uploads.start(request);
        }
        catch (InvalidUploadException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** {@code GET /images?limit=N&cursor=C}: newest first. */
    public Page<ProcessedImage> recent(String limit, String cursor) {
        int pageSize = DEFAULT_LIMIT;
        if (limit != null) {
            String digits = limit.strip();
            pageSize = LIMIT.matcher(digits).matches() ? Integer.parseInt(digits) : -1;
            if (pageSize < 1 || pageSize > MAX_LIMIT) {
                throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '"
                        + UntrustedText.excerpt(limit) + "'");
            }
        }
        try {
            return recentLatest(pageSize, cursor == null || cursor.isBlank() ? null : cursor);
        }
        catch (InvalidCursorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * The repository's listing with each key once in a pair, as {@link #status} answers for it: a key uploaded again
     * while the other region was active has a record under each bucket, and the earlier one is left out wherever it
     * falls, however many pages after the later one. The repository is asked for as many records as the page still
     * lacks, so each page it returns is taken whole and its cursor stays the position to go on from: no page over the
     * limit, none short of it while there are more, no record skipped or shown twice. One more read per record in a
     * pair (the key under the other bucket), none with one region.
     */
    private Page<ProcessedImage> recentLatest(int limit, String cursor) {
        if (peerUploadBucket == null) {
            return metadata.findRecent(limit, cursor);
        }
        List<ProcessedImage> items = new ArrayList<>(limit);
        String next = cursor;
        do {
            Page<ProcessedImage> page = metadata.findRecent(limit - items.size(), next);
            for (ProcessedImage item : page.items()) {
                if (isLatestOfItsKey(item)) {
                    items.add(item);
                }
            }
            next = page.next();
        }
        while (items.size() < limit && next != null);
        return new Page<>(items, next);
    }

    /** Whether {@link #record} answers for this record's key with it; a record of any other bucket is kept. */
    private boolean isLatestOfItsKey(ProcessedImage item) {
        String bucket = item.source().bucket();
        if (!bucket.equals(uploadBucket) && !bucket.equals(peerUploadBucket)) {
            return true;
        }
        ObjectRef other = new ObjectRef(bucket.equals(uploadBucket) ? peerUploadBucket : uploadBucket,
                item.source().key());
        Optional<ProcessedImage> otherRecord = metadata.find(other);
        if (otherRecord.isEmpty()) {
            return true;
        }
        boolean here = bucket.equals(uploadBucket);
        return later(here ? item : otherRecord.get(), here ? otherRecord.get() : item) == item;
    }

    /** {@code GET /images/{key}}: the record a client polls until its upload is processed or rejected. */
    public ProcessedImage status(String key) {
        ObjectRef source = source(key);
        return record(source)
            .orElseThrow(() -> ApiException.notFound("No record for " + source.shown() + " (yet: an upload is recorded a "
                    + "moment after it arrives)"));
    }

    /**
     * {@code GET /thumbnails/{key}}: the thumbnail of the key's recorded upload, only while the record says one was
     * made (a later upload of the key that was REJECTED removes the earlier thumbnail; should the removal be still to
     * come, or have been missed, that thumbnail is not served meanwhile).
     */
    public ThumbnailReply thumbnail(String key) {
        return thumbnail(key, links != null);
    }

    /**
     * {@code GET /thumbnails/{key}} as its bytes even where the store makes links: for a caller that cannot read the
     * link's answer, a page on another origin, whose fetch following a redirect reaches the store with
     * {@code Origin: null} (a redirect-tainted origin), which no CORS rule can allow. The same refusals as
     * {@link #thumbnail(String)}.
     */
    public ThumbnailReply.Content thumbnailContent(String key) {
        return (ThumbnailReply.Content) thumbnail(key, false);
    }

    private ThumbnailReply thumbnail(String key, boolean link) {
        ObjectRef source = source(key);
        ObjectRef thumbnail = output.thumbnailOf(source);
        ProcessedImage record = record(source)
            .filter(found -> found.output() != null)
            .orElseThrow(() -> ApiException.notFound("No thumbnail for " + source.shown()
                    + " (none yet, or its latest upload was not made into one: see its record, GET /images/{key})"));
        // in a pair, a record made in the other region names its thumbnail there, which is replicated to the same
        // key here, seconds to minutes after its record
        boolean peers = !record.source().bucket().equals(uploadBucket);
        // a claim whose notification is still to come may be saved before its thumbnail is written (and left so until
        // a retry when the write failed); once notified, the thumbnail was written
        boolean mayBeOnItsWay = peers || mayPrecedeItsThumbnail(record);
        if (link) {
            // a link to a missing object would answer the client with the store's own 404 page: say it here, looking
            // only where the thumbnail may still be missing
            if (mayBeOnItsWay && !store.exists(thumbnail)) {
                throw notYet(record, peers);
            }
            return new ThumbnailReply.Redirect(links.linkTo(thumbnail));
        }
        StoredObject stored = store.read(thumbnail).orElseThrow(() -> links != null && mayBeOnItsWay
                ? notYet(record, peers)
                : ApiException.notFound("No thumbnail for " + source.shown() + " (looked for " + thumbnail.shown()
                        + ")"));
        return new ThumbnailReply.Content(stored.content(), Thumbnail.CONTENT_TYPE);
    }

    /**
     * A thumbnail still on its way. Named by the recorded upload: in a peer's record that is the peer's bucket, and
     * this region's may hold no such object at all.
     */
    private static ApiException notYet(ProcessedImage record, boolean peers) {
        return ApiException.notFound(peers
                ? "No thumbnail for " + record.source().ref().shown() + " in this region yet: it was made in the other "
                        + "region and is being replicated here; try again shortly"
                : "No thumbnail for " + record.source().ref().shown() + " yet: its record is saved and the "
                        + "thumbnail is being made; try again shortly");
    }

    /**
     * Whether the record may have been saved ahead of its thumbnail: a claim whose notification is still to come, an
     * upload event's (its version carries the event's sequencer) or a notifying backfill's. A backfill that notifies
     * nothing never sets {@code notifiedAt}, so "not notified" alone would cost each of its thumbnails a lookup on
     * every request, for good.
     */
    private static boolean mayPrecedeItsThumbnail(ProcessedImage record) {
        if (record.notifiedAt() != null) {
            return false;
        }
        boolean eventClaim = record.event() != null && record.event().version().sequencer() != null;
        boolean notifyingBackfill = record.backfill() != null && record.backfill().notifying();
        return eventClaim || notifyingBackfill;
    }

    /**
     * The key's latest record: this region's or the peer's, whichever was made later (this region's on a tie). Both
     * exist when the key was uploaded again while the other region was active; the earlier one then describes an
     * upload that is no longer the key's, and its thumbnail may have been replaced by the later upload's replica.
     */
    private Optional<ProcessedImage> record(ObjectRef source) {
        Optional<ProcessedImage> here = metadata.find(source);
        if (peerUploadBucket == null) {
            return here;
        }
        Optional<ProcessedImage> there = metadata.find(new ObjectRef(peerUploadBucket, source.key()));
        if (here.isEmpty() || there.isEmpty()) {
            return here.or(() -> there);
        }
        return Optional.of(later(here.get(), there.get()));
    }

    /** Of a key's two records, this region's and the peer's, the one made later; this region's on a tie. */
    private static ProcessedImage later(ProcessedImage here, ProcessedImage there) {
        return there.processedAt().isAfter(here.processedAt()) ? there : here;
    }

    private ObjectRef source(String key) {
        String stripped = key == null ? "" : key.startsWith("/") ? key.substring(1) : key;
        if (stripped.isEmpty()) {
            throw ApiException.badRequest("Name the object: /images/<key> or /thumbnails/<key>");
        }
        return new ObjectRef(uploadBucket, stripped);
    }
}
