package io.github.lambdaimageprocessor.config;

import io.github.lambdaimageprocessor.config.AdapterProfileCheck.MissingAdapterProfileException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@link AdapterProfileCheck}'s refusal as the profiles to set, with the likely one first. */
class AdapterProfileFailureAnalyzer extends AbstractFailureAnalyzer<MissingAdapterProfileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingAdapterProfileException cause) {
        String nearest = cause.nearest();
        String own = String.join(",", cause.active());
        return new FailureAnalysis("The active profiles " + cause.active() + " include neither 'local' (folders, "
                + "records as files, the log as notifier) nor 'aws' (S3, DynamoDB, SNS), so nothing would store "
                + "uploads, records or notifications.",
                (nearest == null ? "" : "Did you mean SPRING_PROFILES_ACTIVE=" + nearest + "? ")
                        + "Add one of them to your profiles: SPRING_PROFILES_ACTIVE=local,"
                        + own + " to run on this machine, or SPRING_PROFILES_ACTIVE=aws," + own + " for AWS.",
                cause);
    }
}
