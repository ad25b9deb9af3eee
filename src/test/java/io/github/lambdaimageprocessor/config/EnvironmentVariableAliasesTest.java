package io.github.lambdaimageprocessor.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentVariableAliasesTest {

    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
        environment.getPropertySources()
            .addLast(new MapPropertySource("application.properties",
                    Map.of("image-processor.table", "from-application-properties")));
        new EnvironmentVariableAliases().postProcessEnvironment(environment, null);
        return environment;
    }

    @Test
    void theTemplatesShortVariablesSetTheProperties() {
        StandardEnvironment environment = environmentWith(Map.of("UPLOAD_BUCKET", "my-uploads", "PROCESSED_BUCKET",
                "my-thumbnails", "DDB_TABLE", "my-table", "SNS_TOPIC_ARN", "arn:aws:sns:eu-west-1:1:topic"));

        assertThat(environment.getProperty("image-processor.upload-bucket")).isEqualTo("my-uploads");
        assertThat(environment.getProperty("image-processor.processed-bucket")).isEqualTo("my-thumbnails");
        assertThat(environment.getProperty("image-processor.table")).isEqualTo("my-table");
        assertThat(environment.getProperty("image-processor.topic-arn")).isEqualTo("arn:aws:sns:eu-west-1:1:topic");
    }

    @Test
    void anUnsetVariableLeavesTheDefaultAlone() {
        StandardEnvironment environment = environmentWith(Map.of("UPLOAD_BUCKET", "my-uploads"));

        assertThat(environment.getProperty("image-processor.processed-bucket")).isNull();
        assertThat(environment.getProperty("image-processor.table")).isEqualTo("from-application-properties");
    }

    @Test
    void theLongFormWinsOverTheAlias() {
        StandardEnvironment environment = environmentWith(
                Map.of("DDB_TABLE", "short", "IMAGE_PROCESSOR_TABLE", "long"));

        assertThat(environment.getProperty("image-processor.table")).isEqualTo("long");
    }
}
