package io.github.lambdaimageprocessor.aws;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outside Lambda, profile aws asks at start whether the processed bucket, the table (with its key and the
 * {@code recent} index) and the topic exist: a misspelt name stops the start naming its variable, where it used to
 * start and fail every upload with a 500. What cannot be told (nothing listening) only warns; the upload bucket only
 * warns; on Lambda nothing is asked.
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsResourceCheckIT {

    @RegisterExtension
    static final MotoServer moto = MotoServer.shared();

    private static ConfigurableApplicationContext start(URI endpoint, Map<String, String> overrides) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(AwsFixture.applicationProperties(endpoint));
        properties.putAll(overrides);
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=aws",
                "--spring.main.web-application-type=none",
                // plain log lines: profile aws's structured ones would stay on for the tests after these in the JVM
                "--logging.structured.format.console="));
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return new SpringApplication(ImageProcessorApplication.class).run(arguments.toArray(String[]::new));
    }

    /** A table made by hand: a String partition key of this name, no sort key, no index. */
    private static void createTableWithoutIndexes(String table, String partitionKey) {
        moto.dynamoDb()
            .createTable(request -> request.tableName(table)
                .attributeDefinitions(
                        definition -> definition.attributeName(partitionKey).attributeType(ScalarAttributeType.S))
                .keySchema(key -> key.attributeName(partitionKey).keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    @Test
    void startsWithoutAWordWhenEverythingIsThere(CapturedOutput output) {
        AwsFixture.create(moto);

        try (ConfigurableApplicationContext context = start(moto.endpoint(), Map.of())) {
            assertThat(context.isActive()).isTrue();
        }
        assertThat(output.getAll()).doesNotContain("Could not check").doesNotContain("does not exist");
    }

    @Test
    void aMisspeltBucketTableAndTopicStopTheStartNamingEachVariable(CapturedOutput output) {
        AwsFixture.create(moto);

        assertThatThrownBy(() -> start(moto.endpoint(), Map.of("image-processor.processed-bucket", "procesed",
                "image-processor.table", "processed-imgs", "image-processor.topic-arn",
                AwsFixture.TOPIC_ARN + "-typo")))
            .isNotNull();

        String endpoint = "at " + moto.endpoint();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("PROCESSED_BUCKET (image-processor.processed-bucket) names the bucket 'procesed', which does not "
                    + "exist " + endpoint)
            .contains("DDB_TABLE (image-processor.table) names the table 'processed-imgs', which does not exist "
                    + endpoint)
            .contains("SNS_TOPIC_ARN (image-processor.topic-arn) names the topic '" + AwsFixture.TOPIC_ARN
                    + "-typo', which does not exist " + endpoint)
            .contains("docs/localstack-moto.md")
            .doesNotContain("Application run failed");
    }

    @Test
    void resourcesMadeInAnotherRegionAreRefusedNamingTheRegionTheAppUses(CapturedOutput output) {
        // the CLI made them in us-east-1 (AWS_DEFAULT_REGION); the app was given another region
        AwsFixture.create(moto);

        assertThatThrownBy(() -> start(moto.endpoint(), Map.of("spring.cloud.aws.region.static", "eu-west-1")))
            .isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("DDB_TABLE (image-processor.table) names the table 'processed-images', which does not exist at "
                    + moto.endpoint() + " in region eu-west-1")
            .contains("names the topic '" + AwsFixture.TOPIC_ARN + "', which does not exist at " + moto.endpoint()
                    + " in region eu-west-1 (the ARN names region us-east-1, but the app uses eu-west-1: set "
                    + "SPRING_CLOUD_AWS_REGION_STATIC or AWS_REGION to the region of the topic, table and buckets)");
    }

    @Test
    void aTableWithoutTheRecentIndexIsRefusedNamingTheIndex(CapturedOutput output) {
        AwsFixture.create(moto);
        createTableWithoutIndexes("hand-made", "id");

        assertThatThrownBy(() -> start(moto.endpoint(), Map.of("image-processor.table", "hand-made"))).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
            .contains("the table 'hand-made' (DDB_TABLE (image-processor.table)) needs the global secondary index "
                    + "'recent' (partition key 'listing', sort key 'listedAt', both String), which GET /images lists "
                    + "records with; it has none of that name");
    }

    @Test
    void aTableKeyedOtherwiseIsRefusedSayingWhatItsKeyIs(CapturedOutput output) {
        AwsFixture.create(moto);
        createTableWithoutIndexes("keyed-by-key", "key");

        assertThatThrownBy(() -> start(moto.endpoint(), Map.of("image-processor.table", "keyed-by-key")))
            .isNotNull();

        assertThat(output.getAll()).contains("the table 'keyed-by-key' (DDB_TABLE (image-processor.table)) must have "
                + "the String partition key 'id' and no sort key, but its key is [key HASH]");
    }

    @Test
    void aMissingUploadBucketOnlyWarns(CapturedOutput output) {
        AwsFixture.create(moto);

        try (ConfigurableApplicationContext context = start(moto.endpoint(),
                Map.of("image-processor.upload-bucket", "no-such-uploads"))) {
            assertThat(context.isActive()).isTrue();
        }
        assertThat(output.getAll()).contains("UPLOAD_BUCKET (image-processor.upload-bucket) names the bucket "
                + "'no-such-uploads', which does not exist at " + moto.endpoint() + " in region us-east-1"
                + ": PUT /images, POST /images and POST /uploads will fail until it does");
    }

    @Test
    void anEndpointNothingAnswersOnOnlyWarnsAndStartsWithinSeconds(CapturedOutput output) throws IOException {
        URI nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        long started = System.nanoTime();

        try (ConfigurableApplicationContext context = start(nowhere, Map.of())) {
            assertThat(context.isActive()).isTrue();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as("the start, with one check capped at %s", AwsResourceCheck.CALL_TIMEOUT)
            .isLessThan(AwsResourceCheck.CALL_TIMEOUT.plusSeconds(20));
        assertThat(output.getAll())
            .containsOnlyOnce("Could not check at start that the buckets, table and topic exist: asking S3 at "
                    + nowhere + " failed: the connection was refused (Unable to execute HTTP request: Connect to "
                    + nowhere.getHost() + ":" + nowhere.getPort())
            .contains("the app starts all the same");
    }

    @Test
    void onLambdaNothingIsAsked() {
        // nothing created: any call would find the bucket, table and topic missing
        ImageProcessorProperties properties = new Binder(
                new MapConfigurationPropertySource(Map.of("image-processor.topic-arn", AwsFixture.TOPIC_ARN)))
            .bindOrCreate("image-processor", ImageProcessorProperties.class);
        AwsResourceCheck check = new AwsResourceCheck(moto.s3(), moto.dynamoDb(), moto.sns(), properties, true);

        check.afterSingletonsInstantiated();

        assertThatThrownBy(() -> new AwsResourceCheck(moto.s3(), moto.dynamoDb(), moto.sns(), properties, false)
            .afterSingletonsInstantiated()).hasMessageContaining("does not exist");
    }
}
