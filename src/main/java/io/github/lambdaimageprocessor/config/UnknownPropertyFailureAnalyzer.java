package io.github.lambdaimageprocessor.config;

import io.github.lambdaimageprocessor.config.UnknownPropertyCheck.UnknownPropertiesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@link UnknownPropertyCheck}'s refusal as what to change, instead of a stack trace. */
class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPropertiesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownPropertiesException cause) {
        return new FailureAnalysis("No setting has these names, so they would be ignored:\n  - "
                + String.join("\n  - ", cause.names()),
                "Correct or remove them. The image-processor settings are (also as environment variables, "
                        + "IMAGE_PROCESSOR_LIMITS_MAX_PIXELS for image-processor.limits.max-pixels; see "
                        + "docs/configuration.md):\n  " + String.join("\n  ", UnknownPropertiesException.knownNames()),
                cause);
    }
}
