package io.github.lambdaimageprocessor.config;

import io.github.lambdaimageprocessor.config.UnitlessValueCheck.UnitlessValuesException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@link UnitlessValueCheck}'s refusal as the values to write, instead of a stack trace. */
class UnitlessValueFailureAnalyzer extends AbstractFailureAnalyzer<UnitlessValuesException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnitlessValuesException cause) {
        return new FailureAnalysis("These durations and sizes have no unit, so Spring would read them as "
                + "milliseconds and bytes:\n  - " + String.join("\n  - ", cause.values()),
                "Add the unit you mean (durations: ms, s, m, h, d; sizes: B, KB, MB, GB); see docs/configuration.md.",
                cause);
    }
}
