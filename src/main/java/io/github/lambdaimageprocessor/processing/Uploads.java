package io.github.lambdaimageprocessor.processing;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Grants uploads: checks what the client says it will send, chooses a key nobody else has, and has the
 * {@link UploadSigner} sign exactly that.
 *
 * <p>Keys are {@code <prefix><yyyy-MM-dd>/<random id>-<safe name>.jpg}: unique (a random UUID), grouped by day, still
 * recognisable to a person by the client's file name in its own script (letters, marks and digits of any language,
 * {@code .}, {@code _} and {@code -}: nothing a path, a shell or a log line takes for syntax), and always ending in
 * {@code .jpg}, the suffix the S3 notification filters deliver.
 */
public final class Uploads {

    public static final String JPEG = "image/jpeg";

    /** The longest expiry a deployment may configure: a leaked URL stays usable for at most this long. */
    public static final Duration MAX_EXPIRY = Duration.ofMinutes(15);

    /** Anything but letters, combining marks and digits of any script, dot, underscore and dash. */
    private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{M}\\p{N}._-]+");

    /** The same in ASCII, for a store that cannot take other keys. */
    private static final Pattern UNSAFE_ASCII = Pattern.compile("[^a-z0-9._-]+");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /** In code points, so that a letter outside the Basic Multilingual Plane is never cut in half. */
    private static final int MAX_NAME_CODE_POINTS = 60;

    private final UploadSigner signer;

    private final String bucket;

    private final String keyPrefix;

    private final long maxBytes;

    private final Duration expiry;

    private final Clock clock;

    private final Supplier<UUID> ids;

    private final boolean anyScript;

    /**
     * @param anyScript whether names keep letters of any script ({@link ImageStore#takesKeysInAnyScript()}), else
     *        ASCII only, accents dropped ("café" becomes "cafe")
     */
    public Uploads(UploadSigner signer, String bucket, String keyPrefix, long maxBytes, Duration expiry, Clock clock,
            Supplier<UUID> ids, boolean anyScript) {
        this.anyScript = anyScript;
        this.signer = Objects.requireNonNull(signer, "signer");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
        this.maxBytes = maxBytes;
        if (expiry == null || expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("upload URL expiry must be positive and at most " + MAX_EXPIRY
                    + ", got " + expiry);
        }
        this.expiry = expiry;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    public Uploads(UploadSigner signer, String bucket, String keyPrefix, long maxBytes, Duration expiry,
            boolean anyScript) {
        this(signer, bucket, keyPrefix, maxBytes, expiry, Clock.systemUTC(), UUID::randomUUID, anyScript);
    }

    public Uploads(UploadSigner signer, String bucket, String keyPrefix, long maxBytes, Duration expiry) {
        this(signer, bucket, keyPrefix, maxBytes, expiry, true);
    }

    /** The largest upload granted. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * @throws InvalidUploadException when the request cannot be granted, with a message for the client
     */
    public UploadTicket start(UploadRequest request) {
        if (request == null) {
            throw new InvalidUploadException("Send a JSON object: {\"fileName\": \"photo.jpg\", \"contentType\": "
                    + "\"image/jpeg\", \"contentLength\": <bytes>}");
        }
        if (request.contentType() == null || !JPEG.equals(request.contentType().toLowerCase(Locale.ROOT).strip())) {
            throw new InvalidUploadException("contentType must be image/jpeg (only JPEG photos are turned into "
                    + "thumbnails), got " + (request.contentType() == null ? "none" : "'" + request.contentType()
                            + "'"));
        }
        if (request.contentLength() == null || request.contentLength() <= 0) {
            throw new InvalidUploadException("contentLength must be the file's size in bytes, at least 1, got "
                    + request.contentLength());
        }
        if (request.contentLength() > maxBytes) {
            throw new InvalidUploadException("contentLength " + request.contentLength() + " is over the upload limit"
                    + " of " + maxBytes + " bytes");
        }
        String checksum = request.checksumSha256();
        if (checksum != null && !isSha256(checksum)) {
            throw new InvalidUploadException("checksumSha256 must be the base64 encoding of a 32-byte SHA-256 digest, "
                    + "44 characters ending in '=' (with its padding, as base64 encoders write it)");
        }
        Instant now = clock.instant();
        ObjectRef object = new ObjectRef(bucket, keyPrefix + LocalDate.ofInstant(now, ZoneOffset.UTC) + "/"
                + ids.get() + "-" + safeName(request.fileName(), anyScript) + ".jpg");
        return signer.sign(object, JPEG, request.contentLength(), checksum, now.plus(expiry));
    }

    /**
     * The client's file name, lower-cased, without its extension, in its own script but reduced to characters safe in
     * any URL (once percent-encoded), path or log line: a gallery of photos named in Cyrillic, Chinese or Arabic showed
     * "photo.jpg" under each. Composed (NFC), so a name a Mac sends decomposed is the same key as one typed on Windows.
     */
    static String safeName(String fileName) {
        return safeName(fileName, true);
    }

    /** @param anyScript false for ASCII only, accents dropped, for a store that cannot take other keys */
    static String safeName(String fileName, boolean anyScript) {
        if (fileName == null) {
            return "photo";
        }
        String last = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = last.lastIndexOf('.');
        String stem = dot > 0 ? last.substring(0, dot) : last;
        String safe = anyScript
                ? UNSAFE.matcher(Normalizer.normalize(stem, Normalizer.Form.NFC).toLowerCase(Locale.ROOT))
                    .replaceAll("-")
                : UNSAFE_ASCII.matcher(MARKS.matcher(Normalizer.normalize(stem, Normalizer.Form.NFD)).replaceAll("")
                    .toLowerCase(Locale.ROOT)).replaceAll("-");
        safe = trimDotsAndDashes(safe);
        if (safe.codePointCount(0, safe.length()) > MAX_NAME_CODE_POINTS) {
            // trimmed again: the cut may end on a dash ("a-long-name-.jpg")
            safe = trimDotsAndDashes(safe.substring(0, safe.offsetByCodePoints(0, MAX_NAME_CODE_POINTS)));
        }
        return safe.isEmpty() ? "photo" : safe;
    }

    /**
     * Without leading and trailing dots and dashes, trimmed by hand: the regex ^[.-]+|[.-]+$ tries [.-]+$ from every
     * character of a run to its end, time in the square of a name the client chooses (4 s for 40,000 dashes).
     */
    private static String trimDotsAndDashes(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && isDotOrDash(name.charAt(start))) {
            start++;
        }
        while (end > start && isDotOrDash(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(start, end);
    }

    private static boolean isDotOrDash(char c) {
        return c == '.' || c == '-';
    }

    /**
     * A 32-byte digest in canonical base64 only: the value is signed and sent as written, and checked against the
     * content's digest as its canonical encoding, so a spelling the decoder tolerates (no padding, non-zero unused
     * bits) would be granted and then refuse the very bytes it describes.
     */
    private static boolean isSha256(String base64) {
        try {
            byte[] digest = Base64.getDecoder().decode(base64);
            return digest.length == 32 && Base64.getEncoder().encodeToString(digest).equals(base64);
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }
}
