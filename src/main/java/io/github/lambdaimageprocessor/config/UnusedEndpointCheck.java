package io.github.lambdaimageprocessor.config;

import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Warns when an AWS endpoint is set ({@code SPRING_CLOUD_AWS_ENDPOINT=http://127.0.0.1:5000}) but no profile is: the
 * app then runs in the default profile, local, which never reads it, so uploads were processed into local folders,
 * with a 201 and a thumbnail, while the operator looked for them in moto or LocalStack. Only without any profile: one
 * who chose {@code local} has said so. A warning, not a refusal: the app does what its profile says. Registered in
 * {@code META-INF/spring.factories}.
 */
class UnusedEndpointCheck implements EnvironmentPostProcessor, Ordered {

    /** The endpoint of all AWS services, then each one's that the aws profile uses. */
    static final List<String> ENDPOINTS = List.of("spring.cloud.aws.endpoint", "spring.cloud.aws.s3.endpoint",
            "spring.cloud.aws.dynamodb.endpoint", "spring.cloud.aws.sns.endpoint");

    private final Log log;

    UnusedEndpointCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(UnusedEndpointCheck.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        warning(environment).ifPresent(log::warn);
    }

    static Optional<String> warning(ConfigurableEnvironment environment) {
        if (environment.getActiveProfiles().length > 0) {
            return Optional.empty();
        }
        return ENDPOINTS.stream()
            .filter(property -> !environment.getProperty(property, "").isBlank())
            .findFirst()
            .map(property -> UnknownPropertyCheck.variableOf(property) + " (" + property + ") is "
                    + environment.getProperty(property) + ", but no profile is active, so the app runs in profile "
                    + "local, which does not use it: uploads, thumbnails and records go to folders under "
                    + "image-processor.local.root, notifications to the log. Set SPRING_PROFILES_ACTIVE=aws to use "
                    + "S3, DynamoDB and SNS there (docs/localstack-moto.md), or SPRING_PROFILES_ACTIVE=local to keep "
                    + "this profile without this warning.");
    }
}
