package io.github.lambdaimageprocessor.aws;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link AwsSettingException} as what to change, instead of a stack trace. */
class AwsSettingFailureAnalyzer extends AbstractFailureAnalyzer<AwsSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AwsSettingException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
