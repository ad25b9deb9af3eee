package io.github.lambdaimageprocessor.config;

/**
 * A setting is wrong and start-up stops: {@link SettingFailureAnalyzer} reports it as Spring Boot's summary (what is
 * wrong, what to change) rather than as the stack trace of every bean that needed it. For every refusal of a setting,
 * whether a start-up check ({@link UnknownPropertyCheck}, {@link UnitlessValueCheck}, {@link AdapterProfileCheck})
 * or the configuration that reads it finds it wrong: each builds its own text where it refuses.
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

    /** What to set instead: the Action of Spring Boot's start-up failure report. */
    public String action() {
        return action;
    }
}
