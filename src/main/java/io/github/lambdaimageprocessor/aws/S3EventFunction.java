package io.github.lambdaimageprocessor.aws;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import io.github.lambdaimageprocessor.image.ImageObject;
import io.github.lambdaimageprocessor.image.ImageProcessor;
import io.github.lambdaimageprocessor.image.ObjectRef;
import io.github.lambdaimageprocessor.image.ProcessedImage;
import io.github.lambdaimageprocessor.image.UploadEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code processImage} function: one {@link ProcessedImage} per S3 record, in record order.
 *
 * <p>Records are processed in parallel on a bounded executor; results keep record order. A record that fails for an
 * infrastructure reason does not stop the others; once every record was attempted the failures are thrown together,
 * so Lambda retries the event (records already done are repeated, and overwrite their own results).
 */
class S3EventFunction implements Function<S3Event, List<ProcessedImage>> {

    private static final Logger log = LoggerFactory.getLogger(S3EventFunction.class);

    private final ImageProcessor processor;

    private final Executor executor;

    private final Clock clock;

    S3EventFunction(ImageProcessor processor, Executor executor, Clock clock) {
        this.processor = processor;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public List<ProcessedImage> apply(S3Event event) {
        if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
            throw new IllegalArgumentException("Not an S3 event: it has no \"Records\"");
        }
        List<S3EventNotificationRecord> records = event.getRecords();
        List<CompletableFuture<ProcessedImage>> pending = records.stream()
            .map(record -> CompletableFuture.supplyAsync(() -> process(record), executor))
            .toList();
        List<ProcessedImage> results = new ArrayList<>(records.size());
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                results.add(pending.get(i).join());
            }
            catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                log.error("Failed to process {}", describe(records.get(i)), cause);
                failures.add(cause);
            }
        }
        if (!failures.isEmpty()) {
            RecordsFailedException failure = new RecordsFailedException(failures.size(), records.size(),
                    failures.getFirst());
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
        return results;
    }

    private ProcessedImage process(S3EventNotificationRecord record) {
        S3ObjectEntity object = record.getS3() == null ? null : record.getS3().getObject();
        String bucket = record.getS3() == null || record.getS3().getBucket() == null ? null
                : record.getS3().getBucket().getName();
        if (object == null || bucket == null || bucket.isBlank() || object.getKey() == null
                || object.getKey().isEmpty()) {
            return ProcessedImage.rejected(new ImageObject(bucket, object == null ? null : object.getKey(), null,
                    null, null, null), "event record names no bucket and key", clock.instant());
        }
        ObjectRef ref = new ObjectRef(bucket, object.getUrlDecodedKey());
        String eventName = record.getEventName();
        if (eventName != null && !eventName.startsWith("ObjectCreated:")) {
            return ProcessedImage.skipped(ImageObject.unread(ref), "not an object-created event: " + eventName,
                    clock.instant());
        }
        return processor.process(new UploadEvent(ref, object.getSizeAsLong(), object.geteTag(),
                object.getVersionId(), object.getSequencer()));
    }

    private static String describe(S3EventNotificationRecord record) {
        if (record.getS3() == null || record.getS3().getObject() == null || record.getS3().getBucket() == null) {
            return "a record without an object";
        }
        return "s3://" + record.getS3().getBucket().getName() + "/" + record.getS3().getObject().getUrlDecodedKey();
    }
}
