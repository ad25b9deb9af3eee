package io.github.lambdaimageprocessor.aws;

import io.github.lambdaimageprocessor.processing.ImageStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without profile {@code aws} the app needs no AWS account: Spring Cloud AWS builds no client and looks up no region or
 * credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DefaultProfileTest {

    @Autowired
    ApplicationContext context;

    @Test
    void createsNoAwsClientRegionOrCredentialsProvider() {
        for (Class<?> type : new Class<?>[] { S3Client.class, DynamoDbClient.class, SnsClient.class, SsmClient.class,
                AwsCredentialsProvider.class, AwsRegionProvider.class }) {
            assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName()).isEmpty();
        }
        assertThat(context.getBean(ImageStore.class).getClass().getSimpleName()).isEqualTo("FileSystemImageStore");
    }
}
