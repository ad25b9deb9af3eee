package io.github.lambdaimageprocessor.aws;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.lambdaimageprocessor.processing.BackfillRun;
import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.InvalidCursorException;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.Page;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import io.github.lambdaimageprocessor.processing.Status;
import io.github.lambdaimageprocessor.processing.ThumbnailSettings;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * One DynamoDB item per source object, in a table whose only key is the String partition key {@code id}.
 *
 * <p>{@code id} is {@code <source bucket>/<source key>}: readable in the console, deterministic (a repeated event
 * overwrites the same item), and unambiguous because bucket names cannot contain a slash. It fits DynamoDB's 2048-byte
 * partition key limit, since S3 keys are at most 1024 bytes and bucket names 63. Every other attribute is flat (so
 * any of them can become a GSI key later) and absent when its value is unknown:
 * {@code status, reason, processedAt} (ISO-8601), {@code sourceBucket, sourceKey, sourceWidth, sourceHeight,
 * sourceBytes, sourceContentType}, {@code outputBucket, outputKey, outputWidth, outputHeight, outputBytes,
 * outputContentType}, {@code orientation, colorSpace}, {@code eTag, versionId, sequencer, requestId},
 * {@code versionKey, sortableSequencer} (for conditional writes), {@code notifiedAt}, {@code listing, listedAt}
 * (the keys of the {@value #RECENT_INDEX} index that lists records newest first), and
 * {@code thumbnailWidth, thumbnailHeight, thumbnailQuality, pipelineVersion} (the settings the outcome was decided
 * with; absent in items written before they were recorded), {@code backfillJob, backfillNotify} (the backfill that
 * made the item, when a later one needs to know it). docs/data-model.md shows an item.
 *
 * <p>Uses the plain client rather than Spring Cloud AWS's {@code DynamoDbTemplate}, which derives the table name from
 * an entity class; the table name here is whatever the deployment created ({@code DDB_TABLE}).
 */
class DynamoDbMetadataRepository implements MetadataRepository {

    static final String ID = "id";

    /** The global secondary index {@link #findRecent} queries (template.yaml declares it with the table). */
    static final String RECENT_INDEX = "recent";

    /** The index's partition key: one value for every record, so one query reads them all in order. */
    static final String LISTING = "listing";

    static final String LISTING_VALUE = "all";

    /** The index's sort key: {@code processedAt} written with nine fraction digits, so string order is time order. */
    static final String LISTED_AT = "listedAt";

    private static final DateTimeFormatter FIXED_WIDTH = DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
        .withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamoDb;

    private final String table;

    DynamoDbMetadataRepository(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** DynamoDB's limit on a partition key; S3's 1024-byte keys and 63-byte bucket names stay well inside it. */
    private static final int MAX_ID_BYTES = 2048;

    static String idOf(ObjectRef source) {
        return source.bucket() + "/" + source.key();
    }

    /**
     * A conditional {@code PutItem} that applies {@link ObjectVersion#supersedes(ObjectVersion)} atomically: it writes
     * when there is no item, when the item has no version, or when it is another version and not a later one by
     * sequencer. {@code versionKey} and {@code sortableSequencer} (the sequencer left-padded, so string order is event
     * order) exist for this condition.
     */
    @Override
    public boolean save(ProcessedImage image) {
        ObjectRef source = image.source().ref();
        ObjectVersion version = image.version();
        String versionKey = version == null ? null : version.key();
        try {
            if (versionKey == null) {
                dynamoDb.putItem(request -> request.tableName(table).item(toItem(image)));
                return true;
            }
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":versionKey", AttributeValue.fromS(versionKey));
            String condition = "attribute_not_exists(id) OR attribute_not_exists(versionKey) OR (versionKey <> :versionKey";
            if (version.sortableSequencer() != null) {
                values.put(":sequencer", AttributeValue.fromS(version.sortableSequencer()));
                condition += " AND (attribute_not_exists(sortableSequencer) OR sortableSequencer < :sequencer)";
            }
            String finalCondition = condition + ")";
            dynamoDb.putItem(request -> request.tableName(table)
                .item(toItem(image))
                .conditionExpression(finalCondition)
                .expressionAttributeValues(values));
            return true;
        }
        catch (ConditionalCheckFailedException e) {
            return false;
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "PutItem", "Failed to save the record of " + source
                    + " in DynamoDB table " + table, e);
        }
    }

    /**
     * A {@code PutItem} on condition that the item is still the one read: no item when {@code expected} is null, else
     * {@link #unchangedSince}.
     */
    @Override
    public boolean replace(ProcessedImage image, ProcessedImage expected) {
        ObjectRef source = image.source().ref();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = expected == null ? "attribute_not_exists(id)" : unchangedSince(expected, values);
        try {
            dynamoDb.putItem(request -> request.tableName(table)
                .item(toItem(image))
                .conditionExpression(condition)
                .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        }
        catch (ConditionalCheckFailedException e) {
            return false;
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "PutItem", "Failed to replace the record of " + source
                    + " in DynamoDB table " + table, e);
        }
    }

    /**
     * An {@code UpdateItem} of {@code processedAt} (and the index's {@code listedAt}), on condition that the item is
     * still the claim ({@link #unchangedSince}) and of its version ({@link #namedBy}).
     */
    @Override
    public boolean release(ProcessedImage claim, Instant lapsedAt) {
        ObjectRef source = claim.source().ref();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":lapsedAt", AttributeValue.fromS(lapsedAt.toString()));
        values.put(":listedAt", AttributeValue.fromS(FIXED_WIDTH.format(lapsedAt)));
        String condition = unchangedSince(claim, values) + " AND " + namedBy(claim.version(), values);
        try {
            dynamoDb.updateItem(request -> request.tableName(table)
                .key(Map.of(ID, AttributeValue.fromS(idOf(source))))
                .updateExpression("SET processedAt = :lapsedAt, " + LISTED_AT + " = :listedAt")
                .conditionExpression(condition)
                .expressionAttributeValues(values));
            return true;
        }
        catch (ConditionalCheckFailedException e) {
            return false;
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "UpdateItem", "Failed to give back the claim on the record of "
                    + source + " in DynamoDB table " + table, e);
        }
    }

    /** An {@code UpdateItem} of {@code notifiedAt}, on condition that the item is still for this version. */
    @Override
    public void markNotified(ObjectRef source, ObjectVersion version, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":at", AttributeValue.fromS(at.toString()));
        String condition = "attribute_exists(id) AND " + namedBy(version, values);
        try {
            dynamoDb.updateItem(request -> request.tableName(table)
                .key(Map.of(ID, AttributeValue.fromS(idOf(source))))
                .updateExpression("SET notifiedAt = :at")
                .conditionExpression(condition)
                .expressionAttributeValues(values));
        }
        catch (ConditionalCheckFailedException e) {
            // the item is for another version by now: its own delivery marks it
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "UpdateItem", "Failed to mark the record of " + source
                    + " notified in DynamoDB table " + table, e);
        }
    }

    /**
     * The condition that the item is still {@code expected}, as {@link #replace} and {@link #release} need it: the same
     * {@code processedAt} (every save sets a new one) and the same {@code notifiedAt}, or none (marking sets it).
     */
    private static String unchangedSince(ProcessedImage expected, Map<String, AttributeValue> values) {
        values.put(":processedAt", AttributeValue.fromS(expected.processedAt().toString()));
        if (expected.notifiedAt() == null) {
            return "processedAt = :processedAt AND attribute_not_exists(notifiedAt)";
        }
        values.put(":notifiedAt", AttributeValue.fromS(expected.notifiedAt().toString()));
        return "processedAt = :processedAt AND notifiedAt = :notifiedAt";
    }

    /**
     * The condition that the item is of {@code version} as {@link ObjectVersion#names} has it: the same version, or
     * for an unknown one an item of an unknown version.
     */
    private static String namedBy(ObjectVersion version, Map<String, AttributeValue> values) {
        if (version != null && version.key() != null) {
            values.put(":versionKey", AttributeValue.fromS(version.key()));
            return "versionKey = :versionKey";
        }
        return "attribute_not_exists(versionKey)";
    }

    @Override
    public Optional<ProcessedImage> find(ObjectRef source) {
        if (idOf(source).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            // no item has such an id (DynamoDB refuses the key, with a ValidationException): none is recorded
            return Optional.empty();
        }
        GetItemResponse response;
        try {
            // consistent: a find right after a save must see it (the upload endpoint answers with the record)
            response = dynamoDb.getItem(request -> request.tableName(table)
                .key(Map.of(ID, AttributeValue.fromS(idOf(source))))
                .consistentRead(true));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "GetItem", "Failed to read the record of " + source
                    + " from DynamoDB table " + table, e);
        }
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item()))
                : Optional.empty();
    }

    /**
     * A {@code Query} of the {@value #RECENT_INDEX} index, newest first; no scan. The cursor is the index position of
     * the page's last item ({@code LastEvaluatedKey}), base64url-encoded. When the last page is exactly full, DynamoDB
     * still returns a position, so the page after it is empty with no cursor.
     */
    @Override
    public Page<ProcessedImage> findRecent(int limit, String cursor) {
        QueryResponse response;
        try {
            response = dynamoDb.query(request -> request.tableName(table)
                .indexName(RECENT_INDEX)
                .keyConditionExpression("#listing = :all")
                .expressionAttributeNames(Map.of("#listing", LISTING))
                .expressionAttributeValues(Map.of(":all", AttributeValue.fromS(LISTING_VALUE)))
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(cursor == null ? null : startKey(cursor)));
        }
        catch (SdkException e) {
            throw new AwsCallFailedException("DynamoDB", "Query", "Failed to list recent records from DynamoDB table "
                    + table + " (index " + RECENT_INDEX + ")", e);
        }
        List<ProcessedImage> items = response.items().stream().map(DynamoDbMetadataRepository::fromItem).toList();
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        String next = last == null || last.isEmpty() ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString((last.get(LISTED_AT).s() + "\n"
                        + last.get(ID).s()).getBytes(StandardCharsets.UTF_8));
        return new Page<>(items, next);
    }

    /** The key a cursor names, refused when it could not be one DynamoDB takes (it answers a ValidationException). */
    static Map<String, AttributeValue> startKey(String cursor) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidCursorException(cursor);
        }
        if (parts.length != 2 || parts[1].isEmpty()
                || parts[1].getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new InvalidCursorException(cursor);
        }
        try {
            FIXED_WIDTH.parse(parts[0]);
        }
        catch (DateTimeParseException e) {
            throw new InvalidCursorException(cursor);
        }
        return Map.of(ID, AttributeValue.fromS(parts[1]), LISTING, AttributeValue.fromS(LISTING_VALUE), LISTED_AT,
                AttributeValue.fromS(parts[0]));
    }

    static Map<String, AttributeValue> toItem(ProcessedImage image) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, AttributeValue.fromS(idOf(image.source().ref())));
        item.put(LISTING, AttributeValue.fromS(LISTING_VALUE));
        item.put(LISTED_AT, AttributeValue.fromS(FIXED_WIDTH.format(image.processedAt())));
        putString(item, "status", image.status().name());
        putString(item, "reason", image.reason());
        putString(item, "processedAt", image.processedAt().toString());
        putObject(item, "source", image.source());
        putObject(item, "output", image.output());
        putNumber(item, "orientation", image.orientation());
        putString(item, "colorSpace", image.colorSpace());
        EventInfo event = image.event();
        if (event != null) {
            // flat attributes, as before ObjectVersion was one type: items written by earlier releases read the same
            ObjectVersion version = event.version();
            putString(item, "eTag", version.eTag());
            putString(item, "versionId", version.versionId());
            putString(item, "sequencer", version.sequencer());
            putString(item, "requestId", event.requestId());
            putString(item, "versionKey", version.key());
            putString(item, "sortableSequencer", version.sortableSequencer());
        }
        if (image.notifiedAt() != null) {
            putString(item, "notifiedAt", image.notifiedAt().toString());
        }
        ThumbnailSettings settings = image.settings();
        if (settings != null) {
            putNumber(item, "thumbnailWidth", settings.width());
            putNumber(item, "thumbnailHeight", settings.height());
            // Float.toString is the shortest decimal that reads back as the same float: 0.85, not 0.8500000238
            item.put("thumbnailQuality", AttributeValue.fromN(Float.toString(settings.quality())));
            putNumber(item, "pipelineVersion", settings.pipelineVersion());
        }
        BackfillRun backfill = image.backfill();
        if (backfill != null) {
            putString(item, "backfillJob", backfill.job());
            if (backfill.notifying()) {
                item.put("backfillNotify", AttributeValue.fromBool(true));
            }
        }
        return item;
    }

    static ProcessedImage fromItem(Map<String, AttributeValue> item) {
        EventInfo event = new EventInfo(
                new ObjectVersion(string(item, "versionId"), string(item, "eTag"), string(item, "sequencer")),
                string(item, "requestId"));
        Long orientation = number(item, "orientation");
        return new ProcessedImage(Status.valueOf(string(item, "status")), string(item, "reason"),
                object(item, "source"), object(item, "output"), Instant.parse(string(item, "processedAt")),
                orientation == null ? null : orientation.intValue(), string(item, "colorSpace"),
                event.orNullIfEmpty(), instant(item, "notifiedAt"), settings(item),
                BackfillRun.of(string(item, "backfillJob"), item.containsKey("backfillNotify")
                        && Boolean.TRUE.equals(item.get("backfillNotify").bool())));
    }

    /** The settings, or null for an item written before they were recorded (a backfill treats it as stale). */
    private static ThumbnailSettings settings(Map<String, AttributeValue> item) {
        Long width = number(item, "thumbnailWidth");
        Long height = number(item, "thumbnailHeight");
        AttributeValue quality = item.get("thumbnailQuality");
        Long version = number(item, "pipelineVersion");
        if (width == null || height == null || quality == null || quality.n() == null || version == null) {
            return null;
        }
        return new ThumbnailSettings(width.intValue(), height.intValue(), Float.parseFloat(quality.n()),
                version.intValue());
    }

    private static void putObject(Map<String, AttributeValue> item, String prefix, ImageObject object) {
        if (object == null) {
            return;
        }
        putString(item, prefix + "Bucket", object.bucket());
        putString(item, prefix + "Key", object.key());
        putNumber(item, prefix + "Width", object.width());
        putNumber(item, prefix + "Height", object.height());
        putNumber(item, prefix + "Bytes", object.bytes());
        putString(item, prefix + "ContentType", object.contentType());
    }

    private static ImageObject object(Map<String, AttributeValue> item, String prefix) {
        if (!item.containsKey(prefix + "Bucket")) {
            return null;
        }
        Long width = number(item, prefix + "Width");
        Long height = number(item, prefix + "Height");
        return new ImageObject(string(item, prefix + "Bucket"), string(item, prefix + "Key"),
                width == null ? null : width.intValue(), height == null ? null : height.intValue(),
                number(item, prefix + "Bytes"), string(item, prefix + "ContentType"));
    }

    private static void putString(Map<String, AttributeValue> item, String name, String value) {
        // DynamoDB refuses empty strings in key attributes only, but an absent attribute reads better than "" or NULL
        if (value != null && !value.isEmpty()) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, Number value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(value.toString()));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }

    private static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.valueOf(value.n());
    }
}
