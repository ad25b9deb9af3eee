package io.github.lambdaimageprocessor.aws;

import java.util.Map;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesRequest;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesResponse;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What AWS refuses to tell (a role without s3:ListBucket, dynamodb:DescribeTable or sns:GetTopicAttributes, a bucket
 * in another region) does not stop the start: each is a warning saying why. moto grants everything, so these answers
 * come from clients that give them ({@link AwsResourceCheckIT} has the real ones).
 */
@ExtendWith(OutputCaptureExtension.class)
class AwsResourceCheckTest {

    private static final ImageProcessorProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(
            Map.of("image-processor.topic-arn", "arn:aws:sns:us-east-1:123456789012:image-processed")))
        .bindOrCreate("image-processor", ImageProcessorProperties.class);

    @Test
    void whatAwsWillNotTellOnlyWarnsNamingWhy(CapturedOutput output) {
        S3Client s3 = new S3Client() {
            @Override
            public HeadBucketResponse headBucket(HeadBucketRequest request) {
                // a HEAD's refusal: no body, so no error code
                throw (S3Exception) S3Exception.builder()
                    .statusCode(request.bucket().equals("processed") ? 403 : 301)
                    .build();
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
        DynamoDbClient dynamoDb = new DynamoDbClient() {
            @Override
            public DescribeTableResponse describeTable(DescribeTableRequest request) {
                throw (DynamoDbException) DynamoDbException.builder()
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                    .build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
        SnsClient sns = new SnsClient() {
            @Override
            public GetTopicAttributesResponse getTopicAttributes(GetTopicAttributesRequest request) {
                throw (AuthorizationErrorException) AuthorizationErrorException.builder()
                    .statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AuthorizationError").build())
                    .build();
            }

            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }
        };

        assertThatNoException()
            .isThrownBy(new AwsResourceCheck(s3, dynamoDb, sns, PROPERTIES, false)::afterSingletonsInstantiated);

        assertThat(output.getAll())
            .contains("Could not check at start that the bucket 'processed' exists: (HTTP 403); the app starts all "
                    + "the same")
            .contains("Could not check at start that the bucket 'uploads' exists: (HTTP 301)")
            .contains("Could not check at start that the table 'processed-images' exists: AccessDeniedException "
                    + "(HTTP 400)")
            .contains("Could not check at start that the topic 'arn:aws:sns:us-east-1:123456789012:image-processed' "
                    + "exists: AuthorizationError (HTTP 403)");
    }
}
