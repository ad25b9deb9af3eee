package io.github.lambdaimageprocessor.aws;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code aws}: the ports on S3, DynamoDB and SNS. The clients come from Spring Cloud AWS's auto-configuration
 * (enabled by {@code application-aws.properties} only), so the endpoint, region and credentials are its standard
 * {@code spring.cloud.aws.*} properties and real AWS, LocalStack or moto differ by configuration alone.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
class AwsConfiguration {

    @Bean
    ImageStore imageStore(S3Client s3, ImageProcessorProperties properties) {
        return new S3ImageStore(s3, properties.backfill().listPageSize());
    }

    @Bean
    MetadataRepository metadataRepository(DynamoDbClient dynamoDb, ImageProcessorProperties properties) {
        return new DynamoDbMetadataRepository(dynamoDb, properties.table());
    }

    @Bean
    Notifier notifier(SnsClient sns, ImageProcessorProperties properties) {
        String topicArn = properties.topicArn();
        // fail at startup, not on the first upload; a bare name would also make SnsTemplate create topics
        String example = "Set SNS_TOPIC_ARN to the topic's ARN, e.g. SNS_TOPIC_ARN=arn:aws:sns:eu-west-1:123456789012:"
                + "processed-images (template.yaml sets it on Lambda; docs/localstack-moto.md shows it for moto and "
                + "LocalStack).";
        if (topicArn == null || topicArn.isBlank()) {
            // the record turns an unset value into "", which "got ''" reported as if it had been set empty
            throw new SettingException("Profile aws needs the full ARN of the SNS topic that every outcome is "
                    + "published to, and SNS_TOPIC_ARN (image-processor.topic-arn) is not set", example);
        }
        if (!topicArn.startsWith("arn:")) {
            throw new SettingException("Profile aws needs the full ARN of the SNS topic in SNS_TOPIC_ARN "
                    + "(image-processor.topic-arn), got '" + topicArn + "'", example);
        }
        return new SnsNotifier(sns, topicArn);
    }

    @Bean
    AwsResourceCheck awsResourceCheck(S3Client s3, DynamoDbClient dynamoDb, SnsClient sns,
            ImageProcessorProperties properties) {
        return new AwsResourceCheck(s3, dynamoDb, sns, properties, System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null);
    }
}
