package io.github.lambdaimageprocessor.aws;

import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class MissingRegionFailureAnalyzerTest {

    @Test
    void aMissingRegionAnywhereInTheFailureIsReportedAsSuchWithTheVariablesToSet() {
        // as it came: through the binding of a Path property of image-processor
        Throwable failure = new BeanCreationException("imageProcessorProperties", new IllegalStateException(
                "failed to convert java.lang.String to java.nio.file.Path", SdkClientException.create(
                        "Unable to load region from any of the providers in the chain")));

        FailureAnalysis analysis = new MissingRegionFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).startsWith("No AWS region is configured.");
        assertThat(analysis.getAction()).contains("AWS_REGION").contains("SPRING_CLOUD_AWS_REGION_STATIC");
    }

    @Test
    void otherClientFailuresAreLeftToTheOtherAnalyzers() {
        assertThat(new MissingRegionFailureAnalyzer().analyze(SdkClientException.create("Unable to execute HTTP request")))
            .isNull();
    }

    @Test
    void springBootAsksItBeforeItsOwnAnalyzers() {
        // the analyzers that want a bean factory are left out: only the order matters here
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
                    SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
                    }));

        assertThat(analyzers).hasSizeGreaterThan(5);

        assertThat(analyzers.getFirst()).isInstanceOf(MissingRegionFailureAnalyzer.class);
    }
}
