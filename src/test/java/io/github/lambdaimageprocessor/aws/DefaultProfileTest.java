package io.github.lambdaimageprocessor.aws;

import io.github.lambdaimageprocessor.processing.ImageStore;
import io.github.lambdaimageprocessor.processing.MetadataRepository;
import io.github.lambdaimageprocessor.processing.Notifier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a profile the app runs profile {@code local} and needs no AWS account: Spring Cloud AWS builds no client
 * ({@code application-local.properties} turns them off), so no region, credentials or network is ever asked for. Its
 * credentials and region provider beans exist but are lazy: the SDK resolves them on a client's first call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DefaultProfileTest {

    @Autowired
    ApplicationContext context;

    @Test
    void runsTheLocalProfileWithNoAwsClient() {
        assertThat(context.getEnvironment().getActiveProfiles()).isEmpty();
        assertThat(context.getEnvironment().getDefaultProfiles()).containsExactly("local");
        for (Class<?> type : new Class<?>[] { S3Client.class, DynamoDbClient.class, SnsClient.class, SsmClient.class }) {
            assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName()).isEmpty();
        }
        assertThat(context.getBean(ImageStore.class).getClass().getSimpleName()).isEqualTo("FileSystemImageStore");
        assertThat(context.getBean(MetadataRepository.class).getClass().getSimpleName())
            .isEqualTo("FileMetadataRepository");
        assertThat(context.getBean(Notifier.class).getClass().getSimpleName()).isEqualTo("LoggingNotifier");
    }
}
