package io.github.lambdaimageprocessor.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The short environment variables the SAM template sets ({@code UPLOAD_BUCKET}, {@code PROCESSED_BUCKET},
 * {@code DDB_TABLE}, {@code SNS_TOPIC_ARN}) as the {@code image-processor.*} properties they stand for. Only the
 * variables that are set become properties, so an unset one leaves the default of {@link ImageProcessorProperties} in
 * place (a {@code ${UPLOAD_BUCKET:uploads}} placeholder would have written the default a second time). The long form
 * ({@code IMAGE_PROCESSOR_UPLOAD_BUCKET}) wins over the alias; the alias wins over {@code application.properties}.
 * Registered in {@code META-INF/spring.factories}, so {@code FunctionInvoker}'s context gets it too.
 */
class EnvironmentVariableAliases implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE_NAME = "imageProcessorEnvironmentAliases";

    static final Map<String, String> ALIASES = Map.of("UPLOAD_BUCKET", "image-processor.upload-bucket",
            "PROCESSED_BUCKET", "image-processor.processed-bucket", "DDB_TABLE", "image-processor.table",
            "SNS_TOPIC_ARN", "image-processor.topic-arn", "ACTIVE_REGION_PARAMETER",
            "image-processor.failover.active-region-parameter", "PEER_REGION", "image-processor.failover.peer-region", "PEER_UPLOAD_BUCKET",
            "image-processor.failover.peer-upload-bucket");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> variables = environment.getPropertySources()
            .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (variables == null) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        ALIASES.forEach((variable, property) -> {
            Object value = variables.getProperty(variable);
            if (value != null) {
                properties.put(property, value);
            }
        });
        if (!properties.isEmpty()) {
            environment.getPropertySources()
                .addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        }
    }
}
