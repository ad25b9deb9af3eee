package io.github.lambdaimageprocessor.config;

import java.util.Arrays;
import java.util.List;

import io.github.lambdaimageprocessor.processing.ImageStore;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Start-up with profiles that activate no adapters ({@code SPRING_PROFILES_ACTIVE=aws-prod}, a typo, or only profiles
 * of one's own): says which profiles the app needs, instead of Spring's report of the first port nobody implements.
 * Before Spring Boot's own analyzers, which would otherwise report that missing bean.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdapterProfileFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> {

    private static final List<String> ADAPTER_PROFILES = List.of("local", "aws");

    private final Environment environment;

    AdapterProfileFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        Class<?> missing = cause.getResolvableType() == null ? null : cause.getResolvableType().resolve();
        List<String> active = Arrays.asList(environment.getActiveProfiles());
        boolean aPort = missing != null && missing.getPackageName().equals(ImageStore.class.getPackageName());
        if (!aPort || active.isEmpty() || active.stream().anyMatch(ADAPTER_PROFILES::contains)) {
            return null;
        }
        return new FailureAnalysis("The active profiles " + active + " include neither 'local' (folders, records as "
                + "files, the log as notifier) nor 'aws' (S3, DynamoDB, SNS), so nothing provides "
                + missing.getSimpleName() + ".",
                "Add one of them to your profiles, e.g. SPRING_PROFILES_ACTIVE=aws or SPRING_PROFILES_ACTIVE=aws,"
                        + active.getFirst() + ".",
                cause);
    }
}
