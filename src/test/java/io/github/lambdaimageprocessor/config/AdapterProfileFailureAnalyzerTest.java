package io.github.lambdaimageprocessor.config;

import java.util.List;

import io.github.lambdaimageprocessor.processing.MetadataRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class AdapterProfileFailureAnalyzerTest {

    /** As it came with SPRING_PROFILES_ACTIVE=nonsense: the first bean that needs a port fails. */
    private static final Throwable NO_REPOSITORY = new UnsatisfiedDependencyException(null, "imageApi", "metadata",
            new NoSuchBeanDefinitionException(MetadataRepository.class));

    private static MockEnvironment withProfiles(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    @Test
    void profilesWithoutAnAdapterProfileAreNamedWithWhatToAdd() {
        FailureAnalysis analysis = new AdapterProfileFailureAnalyzer(withProfiles("aws-prod")).analyze(NO_REPOSITORY);

        assertThat(analysis.getDescription()).isEqualTo("The active profiles [aws-prod] include neither 'local' "
                + "(folders, records as files, the log as notifier) nor 'aws' (S3, DynamoDB, SNS), so nothing provides "
                + "MetadataRepository.");
        assertThat(analysis.getAction()).contains("SPRING_PROFILES_ACTIVE=aws,aws-prod");
    }

    @Test
    void otherMissingBeansAreLeftToSpringBootsAnalyzer() {
        assertThat(new AdapterProfileFailureAnalyzer(withProfiles("aws", "prod")).analyze(NO_REPOSITORY)).isNull();
        // no profile at all means the default one, local
        assertThat(new AdapterProfileFailureAnalyzer(withProfiles()).analyze(NO_REPOSITORY)).isNull();
        assertThat(new AdapterProfileFailureAnalyzer(withProfiles("nonsense"))
            .analyze(new NoSuchBeanDefinitionException(String.class))).isNull();
    }

    @Test
    void springBootAsksItBeforeItsOwnMissingBeanAnalyzer() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.of(Environment.class, withProfiles())
                .and(BeanFactory.class, beanFactory)
                .and(ConfigurableListableBeanFactory.class, beanFactory), SpringFactoriesLoader.FailureHandler
                    .handleMessage((message, failure) -> {
                    }));

        assertThat(analyzers.stream().map(analyzer -> analyzer.getClass().getSimpleName()).toList())
            .containsSubsequence("AdapterProfileFailureAnalyzer", "NoSuchBeanDefinitionFailureAnalyzer");
    }
}
