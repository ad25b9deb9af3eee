package io.github.lambdaimageprocessor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.processing.Dimensions;
import io.github.lambdaimageprocessor.thumbnail.ThumbnailSpec;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything a user configures, under {@code image-processor.*}. The defaults run with no AWS account.
 *
 * <p>Each record validates itself in its compact constructor, so a wrong value stops start-up with a message naming
 * the property. (Bean Validation would do the same through Hibernate Validator, whose bootstrap loads some 550 classes:
 * a measurable share of a Lambda cold start, for a handful of checks.)
 *
 * @param uploadBucket the bucket uploads arrive in (the local upload endpoint writes there)
 * @param processedBucket the bucket thumbnails are written to ({@code PROCESSED_BUCKET})
 * @param outputPrefix key prefix of every thumbnail; the thumbnail of key K is {@code outputPrefix + K}
 * @param table the DynamoDB table of metadata records ({@code DDB_TABLE})
 * @param topicArn the full ARN of the SNS topic notified of every outcome ({@code SNS_TOPIC_ARN})
 * @param thumbnail size and quality of thumbnails
 * @param limits what input is accepted
 * @param local where the local stand-ins keep their data
 * @param concurrency how many images are resized at once (records of an event, concurrent uploads); 0 means one per
 *     available processor
 * @param metrics CloudWatch metrics of the function's outcomes
 * @param failover the standby gate of a two-region deployment (docs/multi-region.md)
 * @param backfill how the {@code backfill} command lists the upload bucket
 * @param inProgressWait how long {@code processImage} waits for another delivery of the same version that is still at
 *     work (S3 delivering one event twice at once) before failing the record to be retried; 0 fails at once
 */
@ConfigurationProperties("image-processor")
public record ImageProcessorProperties(@DefaultValue("uploads") String uploadBucket,
        @DefaultValue("processed") String processedBucket, @DefaultValue("thumbnails/") String outputPrefix,
        @DefaultValue("processed-images") String table, @DefaultValue("") String topicArn,
        @DefaultValue ThumbnailProperties thumbnail, @DefaultValue Limits limits, @DefaultValue Local local,
        @DefaultValue("0") int concurrency, @DefaultValue Metrics metrics,
        @DefaultValue Failover failover, @DefaultValue Backfill backfill,
        @DefaultValue("10s") Duration inProgressWait) {

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public ImageProcessorProperties {
        requireBucketName("image-processor.upload-bucket", uploadBucket);
        requireBucketName("image-processor.processed-bucket", processedBucket);
        outputPrefix = outputPrefix == null ? "" : outputPrefix;
        require(isWritablePrefix(outputPrefix),
                "image-processor.output-prefix may not start with '/', hold a backslash or NUL, or name an empty, '.' "
                        + "or '..' folder, got '" + outputPrefix + "'");
        require(table != null && !table.isBlank(), "image-processor.table must not be blank");
        topicArn = topicArn == null ? "" : topicArn;
        // within the function's 60 s timeout (template.yaml), with time left for the record's own work
        require(inProgressWait != null && !inProgressWait.isNegative()
                && inProgressWait.compareTo(Duration.ofSeconds(30)) <= 0,
                "image-processor.in-progress-wait must be 0 to 30s, got " + inProgressWait);
        require(concurrency >= 0 && concurrency <= 64,
                "image-processor.concurrency must be 0 (one per CPU) to 64, got " + concurrency);
        // thumbnails written where uploads arrive, with no prefix to tell them apart, would be processed again and again
        require(!uploadBucket.equals(processedBucket) || !outputPrefix.isEmpty(),
                "image-processor.output-prefix must not be empty when processed-bucket is the upload-bucket");
        long boxPixels = (long) thumbnail.width() * thumbnail.height();
        require(limits.maxDecodedPixels() >= boxPixels,
                "image-processor.limits.max-decoded-pixels must hold at least the thumbnail box (" + thumbnail.width()
                        + "x" + thumbnail.height() + " = " + boxPixels + " pixels), got " + limits.maxDecodedPixels());
    }

    /** What the thumbnail maker needs of these properties (validated here, so it trusts them). */
    public ThumbnailSpec thumbnailSpec() {
        return new ThumbnailSpec(new Dimensions(thumbnail.width(), thumbnail.height()), thumbnail.quality(),
                limits.maxPixels(), limits.maxDecodedPixels(), limits.maxProcessingTime());
    }

    /** {@link #concurrency()}, with 0 resolved to the number of available processors. */
    public int effectiveConcurrency() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }

    /**
     * @param width the thumbnail fits this width
     * @param height the thumbnail fits this height
     * @param quality JPEG quality, 0.01 to 1.0
     */
    public record ThumbnailProperties(@DefaultValue("256") int width, @DefaultValue("256") int height,
            @DefaultValue("0.85") float quality) {

        public ThumbnailProperties {
            require(width >= 1 && width <= 8192, "image-processor.thumbnail.width must be 1 to 8192, got " + width);
            require(height >= 1 && height <= 8192,
                    "image-processor.thumbnail.height must be 1 to 8192, got " + height);
            require(quality >= 0.01f && quality <= 1f,
                    "image-processor.thumbnail.quality must be 0.01 to 1.0, got " + quality);
        }
    }

    /**
     * @param maxPixels sources with more pixels (from the header) are rejected before decoding
     * @param maxInputSize larger objects are rejected without being decoded
     * @param maxUploadSize larger uploads to {@code POST /images} and {@code PUT /images/{key}} are answered with 413;
     *        at most {@code maxInputSize}. Null: {@link #DEFAULT_MAX_UPLOAD_SIZE}, or {@code maxInputSize} when that is
     *        smaller, so lowering the input limit alone (a function that takes no upload) still starts
     * @param maxDecodedPixels larger sources are decoded at a reduced resolution, so one image's decoded raster never
     *        holds more pixels than this (bounds the heap: 24 MP is about 72 MB of RGB, and still 13x a 256 px
     *        thumbnail when a 100 MP source is reduced)
     * @param maxProcessingTime an image whose decoding and resizing takes longer is rejected and its decode aborted
     *        (a stop for a decode that runs away, not a limit on large photos: the slowest accepted file of the test
     *        corpus, the 99 MP progressive JPEG, takes about 0.5 s of one core with Lambda's JVM flags in a fresh
     *        JVM, 0.33 s warm, and the other 100 MP and the largest CMYK files at most 0.23 s; 20 s leaves room for
     *        a fraction of a core, as Lambda gives below 1769 MB, and for a host busy with other work)
     * @param uploadMemory the upload bodies the web app holds in memory at once; an upload that does not fit is
     *        answered 503 with Retry-After. Null: a quarter of the JVM's maximum heap. Never less than one upload of
     *        {@code maxUploadSize}
     * @param minUploadRate the bytes per second a request body must average, once {@code minUploadRateGrace} has
     *        passed since its first read, or the request ends with 408 and its connection is closed: a body arriving
     *        slowly holds one of the web app's request threads until its last byte, and without a floor a byte every
     *        few seconds held it for ever. 0 turns the floor off
     * @param minUploadRateGrace how long a body may take before its average rate is first checked (a slow start, a
     *        client's 100-continue wait)
     */
    public record Limits(@DefaultValue("100000000") long maxPixels, @DefaultValue("50MB") DataSize maxInputSize,
            DataSize maxUploadSize, @DefaultValue("24000000") long maxDecodedPixels,
            @DefaultValue("20s") Duration maxProcessingTime, DataSize uploadMemory,
            @DefaultValue("16KB") DataSize minUploadRate, @DefaultValue("10s") Duration minUploadRateGrace) {

        /** The upload limit when none is set and {@code maxInputSize} is not smaller. */
        public static final DataSize DEFAULT_MAX_UPLOAD_SIZE = DataSize.ofMegabytes(20);

        public Limits {
            require(maxPixels >= 1, "image-processor.limits.max-pixels must be positive, got " + maxPixels);
            require(maxInputSize != null && maxInputSize.toBytes() > 0,
                    "image-processor.limits.max-input-size must be positive");
            // unset: within the input limit by itself; only an upload limit written above it is refused below
            if (maxUploadSize == null) {
                maxUploadSize = maxInputSize.toBytes() < DEFAULT_MAX_UPLOAD_SIZE.toBytes() ? maxInputSize
                        : DEFAULT_MAX_UPLOAD_SIZE;
            }
            require(maxUploadSize != null && maxUploadSize.toBytes() > 0,
                    "image-processor.limits.max-upload-size must be positive");
            // an upload between the two would be stored, then rejected as too large to process
            require(maxUploadSize.toBytes() <= maxInputSize.toBytes(),
                    "image-processor.limits.max-upload-size (" + maxUploadSize.toBytes() + " bytes) must not exceed "
                            + "image-processor.limits.max-input-size (" + maxInputSize.toBytes() + " bytes): a larger "
                            + "upload would be stored, then rejected as too large to process");
            require(maxDecodedPixels >= 1_000_000,
                    "image-processor.limits.max-decoded-pixels must be at least 1000000, got " + maxDecodedPixels);
            require(maxProcessingTime != null && maxProcessingTime.isPositive(),
                    "image-processor.limits.max-processing-time must be positive");
            require(uploadMemory == null || uploadMemory.toBytes() > 0,
                    "image-processor.limits.upload-memory must be positive");
            require(minUploadRate != null && minUploadRate.toBytes() >= 0,
                    "image-processor.limits.min-upload-rate must be 0 (no floor) or more bytes per second, got "
                            + minUploadRate);
            // a rate measured over no time says nothing: a first read of a few bytes would end the request
            require(minUploadRateGrace != null && minUploadRateGrace.isPositive(),
                    "image-processor.limits.min-upload-rate-grace must be positive, got " + minUploadRateGrace);
        }

        /** {@link #uploadMemory}, or its default: a quarter of the JVM's maximum heap. */
        public long uploadMemoryBytes() {
            return uploadMemory != null ? uploadMemory.toBytes() : Runtime.getRuntime().maxMemory() / 4;
        }
    }

    /**
     * @param enabled whether the function writes its metrics (CloudWatch Embedded Metric Format lines on standard
     *        output); off by default, on in profile aws
     * @param namespace the CloudWatch namespace of the metrics
     * @param service the value of the {@code Service} dimension, telling deployments apart
     */
    public record Metrics(@DefaultValue("false") boolean enabled,
            @DefaultValue("LambdaImageProcessor") String namespace,
            @DefaultValue("lambda-image-processor") String service) {

        public Metrics {
            // CloudWatch's limits: a namespace of 1-255 characters without ':', a dimension value of 1-1024
            require(namespace != null && !namespace.isBlank() && namespace.length() <= 255 && !namespace.contains(":"),
                    "image-processor.metrics.namespace must be 1-255 characters without ':', got '" + namespace + "'");
            require(service != null && !service.isBlank() && service.length() <= 1024,
                    "image-processor.metrics.service must be 1-1024 characters, got '" + service + "'");
        }
    }

    /**
     * @param activeRegionParameter the name of the SSM parameter (in this region) that holds the active region's name
     *        ({@code ACTIVE_REGION_PARAMETER}); blank: no gate, every upload is processed
     * @param peerRegion the other region of the pair ({@code PEER_REGION}), only with {@code activeRegionParameter};
     *        when set, a parameter naming neither region is a failure rather than a reason to stand by
     * @param refresh how long a value read from the parameter is trusted: a failover takes effect within this time
     * @param peerUploadBucket the other region's upload bucket ({@code PEER_UPLOAD_BUCKET}): the upload API looks up
     *        a key's record under it too, since the region that processed an upload records it under its own bucket
     */
    public record Failover(String activeRegionParameter, String peerRegion, @DefaultValue("30s") Duration refresh,
            String peerUploadBucket) {

        private static final Pattern PARAMETER_NAME = Pattern.compile("[a-zA-Z0-9_.\\-/]{1,2048}");

        public Failover {
            activeRegionParameter = activeRegionParameter == null || activeRegionParameter.isBlank() ? null
                    : activeRegionParameter.strip();
            peerRegion = peerRegion == null || peerRegion.isBlank() ? null : peerRegion.strip();
            peerUploadBucket = peerUploadBucket == null || peerUploadBucket.isBlank() ? null : peerUploadBucket.strip();
            require(activeRegionParameter == null || PARAMETER_NAME.matcher(activeRegionParameter).matches(),
                    "image-processor.failover.active-region-parameter must be an SSM parameter name (letters, digits, "
                            + "_ . - /), got '" + activeRegionParameter + "'");
            require(refresh != null && !refresh.isNegative() && refresh.compareTo(Duration.ofHours(1)) <= 0,
                    "image-processor.failover.refresh must be 0s to 1h, got " + refresh);
            // a pair without its switch would process whatever the switch says: a backfill or redrive started by hand
            // in the standby region with PEER_REGION alone would do the active region's work a second time
            require(peerRegion == null || activeRegionParameter != null, "image-processor.failover.peer-region ("
                    + peerRegion + ") needs image-processor.failover.active-region-parameter (ACTIVE_REGION_PARAMETER)"
                    + ": without the switch this process cannot tell whether its region is the standby");
        }

        /** Whether uploads pass the standby gate: only with a parameter to read the active region from. */
        public boolean gated() {
            return activeRegionParameter != null;
        }
    }

    /**
     * @param listPageSize keys per S3 listing request, 1 to 1000 (S3's maximum and default; smaller only to exercise
     *        pagination)
     */
    public record Backfill(@DefaultValue("1000") int listPageSize) {

        public Backfill {
            require(listPageSize >= 1 && listPageSize <= 1000,
                    "image-processor.backfill.list-page-size must be 1 to 1000, got " + listPageSize);
        }
    }

    /**
     * @param root the folder holding the local buckets ({@code <root>/<bucket>/<key>}) and metadata records
     */
    public record Local(@DefaultValue("data") Path root) {

        public Local {
            require(root != null, "image-processor.local.root must be set");
        }
    }

    /**
     * Whether thumbnails can be written under the prefix: a thumbnail's key is the prefix and the upload's key, and a
     * folder no store can hold (the local store refuses it; S3 keeps it, but path-like tools do not read it back) would
     * reject every image, each recorded as its upload's fault. The part after the last '/' joins the key's first
     * folder, so it may be anything.
     */
    private static boolean isWritablePrefix(String prefix) {
        if (prefix.contains("\\") || prefix.indexOf('\0') >= 0) {
            return false;
        }
        int last = prefix.lastIndexOf('/');
        return last < 0 || Arrays.stream(prefix.substring(0, last).split("/", -1))
            .noneMatch(folder -> folder.isEmpty() || folder.equals(".") || folder.equals(".."));
    }

    private static void requireBucketName(String property, String value) {
        require(value != null && BUCKET_NAME.matcher(value).matches(), property
                + " must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-'), got '" + value + "'");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
