package io.github.lambdaimageprocessor.aws;

/**
 * A setting only profile aws reads is wrong: start-up stops, and {@link AwsSettingFailureAnalyzer} reports it as
 * Spring Boot's summary rather than as the stack trace of every bean that needed it.
 */
final class AwsSettingException extends IllegalStateException {

    private final String action;

    /**
     * @param problem what is wrong, naming the variable and the property
     * @param action what to set instead
     */
    AwsSettingException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    String action() {
        return action;
    }
}
