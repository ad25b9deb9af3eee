package io.github.lambdaimageprocessor.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a standby gate asked for outside profile aws as Spring Boot's "APPLICATION FAILED TO START" summary, with
 * the two ways out, instead of a stack trace.
 */
class GateOutsideAwsFailureAnalyzer
        extends AbstractFailureAnalyzer<GateOutsideAwsFailureAnalyzer.GateOutsideAwsException> {

    /** The failover switch is set, but no profile that can read it (SSM) is active. */
    static final class GateOutsideAwsException extends IllegalStateException {

        GateOutsideAwsException(String parameter) {
            super("image-processor.failover.active-region-parameter is set ('" + parameter + "'), but only profile "
                    + "aws can read it (SSM)");
        }
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, GateOutsideAwsException cause) {
        return new FailureAnalysis(cause.getMessage() + ": without it this instance would process every upload, "
                + "the other region's too.",
                "Run with SPRING_PROFILES_ACTIVE=aws to read the switch, or leave ACTIVE_REGION_PARAMETER "
                        + "(image-processor.failover.active-region-parameter) unset to process every upload.",
                cause);
    }
}
