package io.github.lambdaimageprocessor.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import io.github.lambdaimageprocessor.config.SettingException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * In profile aws, refuses to start with an endpoint ({@code spring.cloud.aws.endpoint}, or one service's) that is not
 * an http or https URL with a host: the SDK takes it as a URI when the first client is built, which happened while
 * Spring converted an {@code image-processor} setting to a {@code Path}, so Spring Boot reported that binding (naming
 * {@code image-processor.topic-arn}) and the endpoint only deep in its reason. Registered in
 * {@code META-INF/spring.factories}, after the files are loaded.
 */
class AwsEndpointCheck implements EnvironmentPostProcessor, Ordered {

    static final List<String> ENDPOINTS = List.of("spring.cloud.aws.endpoint", "spring.cloud.aws.s3.endpoint",
            "spring.cloud.aws.dynamodb.endpoint", "spring.cloud.aws.sns.endpoint", "spring.cloud.aws.sqs.endpoint");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("aws"))) {
            return;
        }
        for (String property : ENDPOINTS) {
            String value = environment.getProperty(property);
            if (value != null && !value.isBlank() && !isHttpUrl(value.strip())) {
                String variable = property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
                throw new SettingException(variable + " (" + property + ") must be an http or https URL with a "
                        + "host, got '" + value + "'",
                        "Write the whole URL, e.g. " + variable + "=http://127.0.0.1:5000 for moto (port 4566 for "
                                + "LocalStack), or leave it unset for AWS itself.");
            }
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        }
        catch (URISyntaxException e) {
            return false;
        }
    }
}
