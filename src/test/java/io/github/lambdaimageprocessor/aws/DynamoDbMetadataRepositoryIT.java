package io.github.lambdaimageprocessor.aws;

import java.util.Map;

import io.github.lambdaimageprocessor.processing.EventInfo;
import io.github.lambdaimageprocessor.processing.ImageObject;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.MetadataRepositoryContract;
import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.ObjectVersion;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The metadata repository contract, and the item shape the README documents, against moto's DynamoDB. */
class DynamoDbMetadataRepositoryIT extends MetadataRepositoryContract {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private AwsFixture aws;

    private DynamoDbMetadataRepository repository;

    @BeforeEach
    void createTable() {
        aws = AwsFixture.create(moto);
        repository = new DynamoDbMetadataRepository(aws.dynamoDb, AwsFixture.TABLE);
    }

    @Override
    protected MetadataRepository repository() {
        return repository;
    }

    @Test
    void keepsTheEventThatTriggeredTheOutcome() {
        ProcessedImage image = processed("photos/a.jpg")
            .withEvent(new EventInfo(new ObjectVersion("v1", "0123abcd", "0A1B2C"), "req-42"));

        repository.save(image);

        assertThat(repository.find(image.source().ref())).contains(image);
    }

    @Test
    void storesAProcessedImageAsTheDocumentedFlatItem() {
        repository.save(processed("photos/my photo(1).jpg")
            .withEvent(new EventInfo(new ObjectVersion(null, "0123abcd", "0A1B2C"), "req-42")));

        Map<String, AttributeValue> item = aws.item("uploads/photos/my photo(1).jpg");

        assertThat(item).containsOnlyKeys("id", "status", "processedAt", "sourceBucket", "sourceKey", "sourceWidth",
                "sourceHeight", "sourceBytes", "sourceContentType", "outputBucket", "outputKey", "outputWidth",
                "outputHeight", "outputBytes", "outputContentType", "eTag", "sequencer", "requestId", "versionKey",
                "sortableSequencer", "listing", "listedAt");
        assertThat(item.get("listing").s()).isEqualTo("all");
        assertThat(item.get("listedAt").s()).isEqualTo("2026-11-26T10:15:30.123456000Z");
        assertThat(item.get("status").s()).isEqualTo("PROCESSED");
        assertThat(item.get("processedAt").s()).isEqualTo("2026-11-26T10:15:30.123456Z");
        assertThat(item.get("sourceKey").s()).isEqualTo("photos/my photo(1).jpg");
        assertThat(item.get("sourceWidth").n()).isEqualTo("2725");
        assertThat(item.get("sourceBytes").n()).isEqualTo("829183");
        assertThat(item.get("outputKey").s()).isEqualTo("thumbnails/photos/my photo(1).jpg");
        assertThat(item.get("outputHeight").n()).isEqualTo("209");
        assertThat(item.get("outputContentType").s()).isEqualTo("image/jpeg");
        assertThat(item.get("eTag").s()).isEqualTo("0123abcd");
        assertThat(item.get("sequencer").s()).isEqualTo("0A1B2C");
        assertThat(item.get("requestId").s()).isEqualTo("req-42");
        assertThat(item.get("versionKey").s()).isEqualTo("e:0123abcd@000000000000000000000000000A1B2C");
        assertThat(item.get("sortableSequencer").s()).isEqualTo("000000000000000000000000000A1B2C");
    }

    @Test
    void marksTheRecordNotifiedAsAnIsoInstant() {
        ProcessedImage image = processed("photos/notified.jpg").withEvent(new EventInfo(new ObjectVersion(null, "e", "0A"), null));
        repository.save(image);

        repository.markNotified(image.source().ref(), image.version(), AT.plusSeconds(5));

        assertThat(aws.item("uploads/photos/notified.jpg").get("notifiedAt").s()).isEqualTo("2026-11-26T10:15:35.123456Z");
    }

    @Test
    void storesARejectedImageWithItsReasonAndNoOutputAttributes() {
        repository.save(ProcessedImage.rejected(new ImageObject("uploads", "notes.jpg", null, null, 45L, "text/plain"),
                "not a JPEG: content is text", AT));

        Map<String, AttributeValue> item = aws.item("uploads/notes.jpg");

        assertThat(item).containsOnlyKeys("id", "status", "reason", "processedAt", "sourceBucket", "sourceKey",
                "sourceBytes", "sourceContentType", "listing", "listedAt");
        assertThat(item.get("status").s()).isEqualTo("REJECTED");
        assertThat(item.get("reason").s()).isEqualTo("not a JPEG: content is text");
    }

    @Test
    void theKeyIsDeterministicSoARepeatedEventUpdatesOneItem() {
        repository.save(processed("same.jpg"));
        repository.save(processed("same.jpg"));

        assertThat(aws.dynamoDb.scan(request -> request.tableName(AwsFixture.TABLE)).count()).isEqualTo(1);
        assertThat(DynamoDbMetadataRepository.idOf(new ObjectRef("uploads", "same.jpg"))).isEqualTo("uploads/same.jpg");
    }

    @Test
    void aKeyLongerThanAnyItemsIdIsSimplyNotRecorded() {
        // DynamoDB refuses partition keys over 2048 bytes; moto does not check on reads, so this holds the adapter to
        // not asking at all
        assertThat(repository.find(new ObjectRef("uploads", "k".repeat(3000)))).isEmpty();
    }

    @Test
    void aMissingTableIsAnInfrastructureFailureThatNamesTheRecord() {
        DynamoDbMetadataRepository wrongTable = new DynamoDbMetadataRepository(aws.dynamoDb, "no-such-table");

        assertThatExceptionOfType(AwsCallFailedException.class)
            .isThrownBy(() -> wrongTable.save(processed("a.jpg")))
            .withMessageStartingWith("Failed to save the record of s3://uploads/a.jpg in DynamoDB table no-such-table");
    }
}
