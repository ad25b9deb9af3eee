package io.github.lambdaimageprocessor.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses to start with an {@code image-processor.*} property that no setting has: Spring would ignore it, so a
 * misspelt limit ({@code image-processor.limits.max-input-szie=5MB}) would leave the default of 50 MB in force without
 * a word. Each unknown name is reported with the nearest known one. Every place a setting can come from is checked,
 * in Spring's relaxed forms: properties files, command-line arguments, system properties and environment variables
 * ({@code IMAGE_PROCESSOR_LIMITS_MAX_PIXELS}). The known names are read from the properties records themselves.
 * Whether a name is one of them is asked of Spring's own name mapping, not of a likeness of names: Spring ignores case,
 * dashes and underscores within a name's parts but not where the parts are split, so
 * {@code image-processor.thumbnail-width} and {@code IMAGE_PROCESSOR_UPLOADS_URLEXPIRY} set nothing.
 * Registered in {@code META-INF/spring.factories}, after the files are loaded.
 */
class UnknownPropertyCheck implements EnvironmentPostProcessor, Ordered {

    private static final String PREFIX = "image-processor.";

    private static final String VARIABLE_PREFIX = "IMAGE_PROCESSOR_";

    /** Every known property, by its form with separators and case removed (how Spring matches them), in kebab case. */
    private static final Map<String, String> KNOWN = known();

    /** The same, as the names Spring binds the records' components to. */
    private static final List<ConfigurationPropertyName> KNOWN_NAMES = KNOWN.values()
        .stream()
        .map(ConfigurationPropertyName::of)
        .toList();

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> unknown = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || source.getName().equals(EnvironmentVariableAliases.PROPERTY_SOURCE_NAME)) {
                continue;
            }
            boolean variables = source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
            for (String name : enumerable.getPropertyNames()) {
                if (variables ? isUnknownVariable(name) : isUnknownProperty(name)) {
                    unknown.add(describe(name, variables, source.getName()));
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new SettingException("No setting has these names, so they would be ignored:\n  - "
                    + String.join("\n  - ", unknown),
                    "Correct or remove them. The image-processor settings are (also as environment variables, "
                            + "IMAGE_PROCESSOR_LIMITS_MAX_PIXELS for image-processor.limits.max-pixels; see "
                            + "docs/configuration.md):\n  " + String.join("\n  ", knownNames()));
        }
    }

    /** Ours in any form Spring binds: {@code image-processor.}, {@code imageProcessor.}, {@code image_processor.}. */
    private static boolean isUnknownProperty(String name) {
        int dot = name.indexOf('.');
        return dot > 0 && normalized(name.substring(0, dot)).equals(normalized(PREFIX))
                && !setsAKnownProperty(new MapPropertySource("candidate", Map.of(name, "")));
    }

    /** Ours in either form Spring binds: {@code IMAGE_PROCESSOR_...} and {@code IMAGEPROCESSOR_...}. */
    private static boolean isUnknownVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return (upper.startsWith(VARIABLE_PREFIX) || upper.startsWith(VARIABLE_PREFIX.replaceFirst("_", "")))
                && !setsAKnownProperty(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, "")));
    }

    /**
     * Whether the one name in {@code candidate} is bound to a setting, as Spring's binder reads a source of that kind
     * (properties, or environment variables with their own mapping): run only for names with our prefix.
     */
    private static boolean setsAKnownProperty(PropertySource<?> candidate) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(candidate);
        return KNOWN_NAMES.stream().anyMatch(known -> source.getConfigurationProperty(known) != null);
    }

    private static String describe(String name, boolean variable, String source) {
        String shown = (variable ? "environment variable " : "") + name + " (" + source + ")";
        return nearest(KNOWN, normalized(name), 3)
            .map(known -> shown + ": did you mean " + (variable ? variableOf(known) : known) + "?")
            .orElse(shown);
    }

    /**
     * The known name nearest a normalised one, when it is at most {@code maxEdits} edits away (a likely typo of it).
     *
     * @param known names by their normalised form ({@link #normalized})
     */
    static Optional<String> nearest(Map<String, String> known, String normalized, int maxEdits) {
        return known.entrySet()
            .stream()
            .min(Comparator.comparingInt(entry -> EditDistance.between(normalized, entry.getKey())))
            .filter(entry -> EditDistance.between(normalized, entry.getKey()) <= maxEdits)
            .map(Map.Entry::getValue);
    }

    /** The name as Spring's relaxed binding compares it: no case, and no dashes, underscores or dots. */
    static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
    }

    static String variableOf(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Map<String, String> known() {
        Map<String, String> known = new LinkedHashMap<>();
        settings().keySet().forEach(name -> known.put(normalized(name), name));
        // not Map.copyOf: it keeps no order, and the nearest name to a typo must not change from run to run on a tie
        return Collections.unmodifiableMap(known);
    }

    /**
     * Every image-processor setting, by its kebab-case name in the records' order, with its type: the leaves of the
     * properties records (a component that is one of this package's records is a group of settings, not one).
     */
    static Map<String, Class<?>> settings() {
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        for (Class<?> properties : List.of(ImageProcessorProperties.class, UploadProperties.class)) {
            addLeaves(properties.getAnnotation(ConfigurationProperties.class).value(), properties, settings);
        }
        return settings;
    }

    private static void addLeaves(String prefix, Class<?> type, Map<String, Class<?>> settings) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord()
                    && component.getType().getPackageName().equals(UnknownPropertyCheck.class.getPackageName())) {
                addLeaves(name, component.getType(), settings);
            }
            else {
                settings.put(name, component.getType());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Every known name, in order, for the refusal's list of what can be set. */
    static List<String> knownNames() {
        return List.copyOf(new TreeSet<>(KNOWN.values()));
    }
}
