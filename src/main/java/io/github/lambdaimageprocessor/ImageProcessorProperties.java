package io.github.lambdaimageprocessor;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a user configures, under {@code image-processor.*}. The defaults run with no AWS account.
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
 */
@Validated
@ConfigurationProperties("image-processor")
public record ImageProcessorProperties(
        @DefaultValue("uploads") @NotBlank @Pattern(regexp = BUCKET_NAME, message = BUCKET_MESSAGE) String uploadBucket,
        @DefaultValue("processed") @NotBlank @Pattern(regexp = BUCKET_NAME,
                message = BUCKET_MESSAGE) String processedBucket,
        @DefaultValue("thumbnails/") @NotNull String outputPrefix,
        @DefaultValue("processed-images") @NotBlank String table,
        @DefaultValue("") String topicArn,
        @DefaultValue @Valid ThumbnailProperties thumbnail,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Local local,
        @DefaultValue("0") @Min(0) @Max(64) int concurrency) {

    /** {@link #concurrency()}, with 0 resolved to the number of available processors. */
    public int effectiveConcurrency() {
        return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Thumbnails written where uploads arrive, with no prefix to tell them apart, would be processed again and again.
     */
    @AssertTrue(message = "output-prefix must not be empty when processed-bucket is the upload-bucket")
    public boolean isOutputSeparateFromUploads() {
        return !uploadBucket.equals(processedBucket) || !outputPrefix.isEmpty();
    }

    static final String BUCKET_NAME = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

    static final String BUCKET_MESSAGE = "must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')";

    /**
     * @param width the thumbnail fits this width
     * @param height the thumbnail fits this height
     * @param quality JPEG quality, 0.0 to 1.0
     */
    public record ThumbnailProperties(@DefaultValue("256") @Min(1) @Max(8192) int width,
            @DefaultValue("256") @Min(1) @Max(8192) int height,
            @DefaultValue("0.85") @DecimalMin("0.01") @DecimalMax("1.0") float quality) {
    }

    /**
     * @param maxPixels sources with more pixels (from the header) are rejected before decoding
     * @param maxInputSize larger objects are rejected without being decoded
     * @param maxUploadSize larger uploads to {@code POST /images} are answered with 413
     * @param maxDecodedPixels larger sources are decoded at a reduced resolution, so one image's decoded raster never
     *        holds more pixels than this (bounds the heap: 24 MP is about 72 MB)
     * @param maxProcessingTime an image whose decoding and resizing takes longer is rejected and its decode aborted
     */
    public record Limits(@DefaultValue("100000000") @Min(1) long maxPixels,
            @DefaultValue("50MB") @NotNull DataSize maxInputSize,
            @DefaultValue("20MB") @NotNull DataSize maxUploadSize,
            @DefaultValue("24000000") @Min(1_000_000) long maxDecodedPixels,
            @DefaultValue("20s") @NotNull Duration maxProcessingTime) {
    }

    /**
     * @param root the folder holding the local buckets ({@code <root>/<bucket>/<key>}) and metadata records
     */
    public record Local(@DefaultValue("data") @NotNull Path root) {
    }
}
