package io.github.lambdaimageprocessor.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The resources the deployment creates, made in moto by code (moto cannot deploy the SAM template): the upload and
 * processed buckets, the table with the same key schema as {@code template.yaml} (String partition key {@code id}, no
 * sort key, and the {@code recent} index), the topic, and an SQS queue subscribed to it so tests can read what SNS delivered.
 */
final class AwsFixture {

    static final String UPLOADS = "uploads";

    static final String PROCESSED = "processed";

    static final String TABLE = "processed-images";

    static final String TOPIC = "image-processed";

    /** moto's ARNs are deterministic, so the topic {@link #create} makes always has this one. */
    static final String TOPIC_ARN = "arn:aws:sns:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT + ":" + TOPIC;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What the application needs to run against these resources at this AWS endpoint: Spring Cloud AWS's properties
     * and the buckets, table and topic.
     */
    static Map<String, String> applicationProperties(java.net.URI endpoint) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(MotoServer.springProperties(endpoint));
        properties.put("image-processor.upload-bucket", UPLOADS);
        properties.put("image-processor.processed-bucket", PROCESSED);
        properties.put("image-processor.table", TABLE);
        properties.put("image-processor.topic-arn", TOPIC_ARN);
        return properties;
    }

    final S3Client s3;

    final DynamoDbClient dynamoDb;

    final SnsClient sns;

    final SqsClient sqs;

    final String topicArn;

    final String queueUrl;

    private AwsFixture(MotoServer moto) {
        s3 = moto.s3();
        dynamoDb = moto.dynamoDb();
        sns = moto.sns();
        sqs = moto.sqs();
        s3.createBucket(request -> request.bucket(UPLOADS));
        s3.createBucket(request -> request.bucket(PROCESSED));
        dynamoDb.createTable(request -> request.tableName(TABLE)
            .attributeDefinitions(definition -> definition.attributeName("id").attributeType(ScalarAttributeType.S),
                    definition -> definition.attributeName("listing").attributeType(ScalarAttributeType.S),
                    definition -> definition.attributeName("listedAt").attributeType(ScalarAttributeType.S))
            .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH))
            // the index template.yaml declares for GET /images (newest first, no scan)
            .globalSecondaryIndexes(index -> index.indexName("recent")
                .keySchema(key -> key.attributeName("listing").keyType(KeyType.HASH),
                        key -> key.attributeName("listedAt").keyType(KeyType.RANGE))
                .projection(projection -> projection.projectionType(ProjectionType.ALL)))
            .billingMode(BillingMode.PAY_PER_REQUEST));
        topicArn = sns.createTopic(request -> request.name(TOPIC)).topicArn();
        queueUrl = sqs.createQueue(request -> request.queueName("notifications")).queueUrl();
        String queueArn = sqs
            .getQueueAttributes(request -> request.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(request -> request.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
    }

    /** Creates the resources in a moto just wiped, as MotoServer does before each test; else {@link #createFresh}. */
    static AwsFixture create(MotoServer moto) {
        return new AwsFixture(moto);
    }

    /**
     * Wipes moto, then creates the resources, where {@link MotoServer}'s own reset before each test comes too late or
     * not at all: a class whose application starts before its first test's {@code @BeforeEach} (a Spring context when
     * the first test instance is made, an in-process handler in {@code @BeforeAll}) and checks at its start that the
     * buckets, table and topic exist ({@code AwsResourceCheck}), a class whose one function process keeps them for all
     * its tests, and one that does not register the extension. moto is one server for the whole test JVM, so
     * without the wipe the class would meet what the class run before it left (the table exists: the creation fails),
     * and, run alone, would find nothing: it passed or failed by the order the classes ran in.
     */
    static AwsFixture createFresh(MotoServer moto) {
        moto.reset();
        return create(moto);
    }

    void upload(String key, byte[] content, String contentType) {
        s3.putObject(request -> request.bucket(UPLOADS).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    Map<String, AttributeValue> item(String id) {
        return dynamoDb.getItem(request -> request.tableName(TABLE).key(Map.of("id", AttributeValue.fromS(id))))
            .item();
    }

    /**
     * What SNS delivered to the queue: waits until {@code expected} notifications arrived (or a few seconds passed),
     * then returns all of them.
     */
    List<Notification> notifications(int expected) {
        List<Notification> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            for (Message message : sqs
                .receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages()) {
                received.add(Notification.of(JSON.readTree(message.body())));
                sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return received;
    }

    /**
     * Every notification in the queue right now, without waiting for more: moto delivers SNS to SQS during the
     * publish call, so after the function returned, this is all there will be.
     */
    List<Notification> allNotifications() {
        List<Notification> received = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
            for (Message message : batch) {
                received.add(Notification.of(JSON.readTree(message.body())));
                sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        while (!batch.isEmpty());
        return received;
    }

    /**
     * One SNS notification as an SQS subscriber sees it: the SNS envelope's subject, message and message attributes.
     */
    record Notification(String subject, String message, Map<String, String> attributes) {

        static Notification of(JsonNode envelope) {
            Map<String, String> attributes = new HashMap<>();
            JsonNode messageAttributes = envelope.path("MessageAttributes");
            for (String name : messageAttributes.propertyNames()) {
                JsonNode attribute = messageAttributes.get(name);
                attributes.put(name, attribute.path("Type").asString() + ":" + attribute.path("Value").asString());
            }
            return new Notification(envelope.path("Subject").asString(), envelope.path("Message").asString(),
                    attributes);
        }
    }
}
