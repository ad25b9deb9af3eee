package io.github.lambdaimageprocessor.config;

import io.github.lambdaimageprocessor.config.AdapterProfileCheck.BothAdapterProfilesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports both adapter profiles at once ({@link AdapterProfileCheck}) as the choice to make, instead of Spring's clash
 * of bean names and its advice to allow overriding them.
 */
class BothAdapterProfilesFailureAnalyzer extends AbstractFailureAnalyzer<BothAdapterProfilesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BothAdapterProfilesException cause) {
        return new FailureAnalysis(cause.getMessage() + ": each stores uploads, records and notifications its own way "
                + "('local' in folders and files, 'aws' in S3, DynamoDB and SNS), and one instance uses one of them.",
                "Keep one of them in SPRING_PROFILES_ACTIVE (spring.profiles.active): local to run on this machine, "
                        + "aws for AWS.",
                cause);
    }
}
