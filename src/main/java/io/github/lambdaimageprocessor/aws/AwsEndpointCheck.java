package io.github.lambdaimageprocessor.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.lambdaimageprocessor.config.SettingException;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * In profile aws, refuses to start with an endpoint ({@code spring.cloud.aws.endpoint}, or one service's) that is not
 * an http or https URL with a host: the SDK takes it as a URI when the first client is built, which happened while
 * Spring converted an {@code image-processor} setting to a {@code Path}, so Spring Boot reported that binding (naming
 * {@code image-processor.topic-arn}) and the endpoint only deep in its reason. Warns when some of S3, DynamoDB and
 * SNS have an endpoint of their own and the others none: those go to AWS itself, which an operator who set
 * {@code SPRING_CLOUD_AWS_S3_ENDPOINT} for LocalStack did not mean (a real mix of an emulator and AWS is possible, so
 * not refused). Registered in {@code META-INF/spring.factories}, after the files are loaded.
 */
class AwsEndpointCheck implements EnvironmentPostProcessor, Ordered {

    static final List<String> ENDPOINTS = List.of("spring.cloud.aws.endpoint", "spring.cloud.aws.s3.endpoint",
            "spring.cloud.aws.dynamodb.endpoint", "spring.cloud.aws.sns.endpoint", "spring.cloud.aws.sqs.endpoint");

    /** The services profile aws uses, by the prefix of their own properties. */
    static final List<String> SERVICES = List.of("s3", "dynamodb", "sns");

    private final Log log;

    AwsEndpointCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(AwsEndpointCheck.class);
    }

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
                String variable = variableOf(property);
                throw new SettingException(variable + " (" + property + ") must be an http or https URL with a "
                        + "host, got '" + value + "'",
                        "Write the whole URL, e.g. " + variable + "=http://127.0.0.1:5000 for moto (port 4566 for "
                                + "LocalStack), or leave it unset for AWS itself.");
            }
        }
        mixed(environment).ifPresent(log::warn);
    }

    /** A warning when some of the services have an endpoint and the others go to AWS itself. */
    static Optional<String> mixed(ConfigurableEnvironment environment) {
        if (isSet(environment, "spring.cloud.aws.endpoint")) {
            return Optional.empty();
        }
        List<String> own = SERVICES.stream().filter(service -> isSet(environment, ownEndpoint(service))).toList();
        if (own.isEmpty() || own.size() == SERVICES.size()) {
            return Optional.empty();
        }
        List<String> toAws = SERVICES.stream().filter(service -> !own.contains(service)).toList();
        return Optional.of(String.join(" and ", own.stream()
            .map(service -> variableOf(ownEndpoint(service)) + "=" + environment.getProperty(ownEndpoint(service)))
            .toList()) + " is set, but " + String.join(" and ", toAws.stream().map(AwsEndpointCheck::label).toList())
                + " have no endpoint (neither SPRING_CLOUD_AWS_ENDPOINT nor their own), so they go to AWS itself. "
                + "For moto or LocalStack, set SPRING_CLOUD_AWS_ENDPOINT instead, which all of them use.");
    }

    private static boolean isSet(ConfigurableEnvironment environment, String property) {
        return !environment.getProperty(property, "").isBlank();
    }

    private static String ownEndpoint(String service) {
        return "spring.cloud.aws." + service + ".endpoint";
    }

    /** Where a service is asked: its own endpoint, else the shared one; null for AWS itself. */
    static String endpointOf(ConfigurableEnvironment environment, String service) {
        for (String property : List.of(ownEndpoint(service), "spring.cloud.aws.endpoint")) {
            if (isSet(environment, property)) {
                return environment.getProperty(property);
            }
        }
        return null;
    }

    private static String variableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How messages name a service of {@link #SERVICES}. */
    static String label(String service) {
        return switch (service) {
            case "s3" -> "S3";
            case "dynamodb" -> "DynamoDB";
            default -> "SNS";
        };
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
