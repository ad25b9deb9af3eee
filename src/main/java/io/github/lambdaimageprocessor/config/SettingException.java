package io.github.lambdaimageprocessor.config;

/**
 * A setting is wrong and start-up stops: {@link SettingFailureAnalyzer} reports it as Spring Boot's summary (what is
 * wrong, what to change) rather than as the stack trace of every bean that needed it. For any adapter's settings.
 */
public final class SettingException extends IllegalStateException {

    private final String action;

    /**
     * @param problem what is wrong, naming the variable or property and why it matters
     * @param action what to set instead
     */
    public SettingException(String problem, String action) {
        super(problem);
        this.action = action;
    }

    String action() {
        return action;
    }
}
