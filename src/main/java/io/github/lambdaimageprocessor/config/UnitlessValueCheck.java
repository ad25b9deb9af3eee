package io.github.lambdaimageprocessor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * Refuses to start with an {@code image-processor.*} duration or size written as a bare number: Spring reads
 * {@code image-processor.uploads.url-expiry=5} as 5 milliseconds and {@code image-processor.limits.max-upload-size=20}
 * as 20 bytes, so every upload URL had expired by the time it was used, or every upload got 413, with no word at
 * start-up. Zero means the same in every unit and passes. The value checked is the one Spring binds, from whichever
 * source wins (properties files, command line, environment variables in any relaxed form). Registered in
 * {@code META-INF/spring.factories}, after the files are loaded.
 */
class UnitlessValueCheck implements EnvironmentPostProcessor, Ordered {

    private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+");

    private static final Pattern ZERO = Pattern.compile("[+-]?0+");

    /** Every duration and size setting, by its kebab-case name, with the unit a bare number would be read in. */
    private static final Map<String, String> UNITS = units();

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        List<String> unitless = new ArrayList<>();
        UNITS.forEach((name, unit) -> {
            Object value = winning(sources, ConfigurationPropertyName.of(name));
            String text = value == null ? "" : value.toString().strip();
            if (BARE_NUMBER.matcher(text).matches() && !ZERO.matcher(text).matches()) {
                unitless.add(name + "=" + text + " would be " + text + " " + unit + ": write " + text
                        + (unit.equals("bytes") ? "MB, " + text + "KB or " + text + "B" : "s, " + text + "m or "
                                + text + "ms"));
            }
        });
        if (!unitless.isEmpty()) {
            throw new SettingException("These durations and sizes have no unit, so Spring would read them as "
                    + "milliseconds and bytes:\n  - " + String.join("\n  - ", unitless),
                    "Add the unit you mean (durations: ms, s, m, h, d; sizes: B, KB, MB, GB); see "
                            + "docs/configuration.md.");
        }
    }

    /** The value the binder takes: the first source, in precedence order, that has the property. */
    private static Object winning(Iterable<ConfigurationPropertySource> sources, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property.getValue();
            }
        }
        return null;
    }

    private static Map<String, String> units() {
        Map<String, String> units = new TreeMap<>();
        UnknownPropertyCheck.settings().forEach((name, type) -> {
            if (type == Duration.class) {
                units.put(name, "milliseconds");
            }
            else if (type == DataSize.class) {
                units.put(name, "bytes");
            }
        });
        // not Map.copyOf: it keeps no order, and the refusal lists the values in this one
        return Collections.unmodifiableMap(units);
    }
}
