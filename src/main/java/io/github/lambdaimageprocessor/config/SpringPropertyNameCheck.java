package io.github.lambdaimageprocessor.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Warns about a Spring setting given on the command line ({@code --server.prot=8081}) or as a {@code SPRING_*}
 * environment variable ({@code SPRING_PROFILES_ACTIV=aws}) that no setting has: Spring ignores it, so the app would
 * start on port 8080, or in profile local against folders instead of AWS, without a word. The known names are the
 * configuration metadata the jars on the class path carry (Spring Boot's, Spring Cloud's, ours), each unknown name is
 * reported with the nearest known one. A warning, not a refusal as for {@code image-processor.*} names
 * ({@link UnknownPropertyCheck}): a library without metadata may still read a name. Only dotted names are looked at
 * on the command line, so a command's own options ({@code backfill --prefix=P}) are not taken for settings; nothing
 * is read on Lambda, whose environment the template writes. Registered in {@code META-INF/spring.factories}.
 */
class SpringPropertyNameCheck implements EnvironmentPostProcessor, Ordered {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

    /**
     * Settings Spring Boot reads by name that no metadata lists: the JSON of settings
     * ({@code SPRING_APPLICATION_JSON='{"server":{"port":8081}}'}) and what a missing config file does.
     */
    private static final List<String> READ_WITHOUT_METADATA = List.of("spring.application.json",
            "spring.config.on-not-found");

    private final Log log;

    SpringPropertyNameCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(SpringPropertyNameCheck.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            return;
        }
        List<String> given = given(environment).stream().filter(name -> !isOurs(name)).toList();
        if (!given.isEmpty()) {
            // reading the metadata of a dozen jars takes 0.3-0.5 s, which start-up need not wait for: a warning a
            // moment later says the same
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Thread.ofPlatform().daemon().name("spring-property-name-check").start(() -> {
                try {
                    unknown(given, Known.fromClassPath(loader)).forEach(log::warn);
                }
                catch (RuntimeException e) {
                    log.debug("Spring setting names not checked: " + e.getMessage());
                }
            });
        }
    }

    /** The names to look at: dotted command-line options and SPRING_* environment variables. */
    static List<String> given(ConfigurableEnvironment environment) {
        List<String> given = new ArrayList<>();
        PropertySource<?> commandLine = environment.getPropertySources()
            .get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
        if (commandLine instanceof EnumerablePropertySource<?> options) {
            for (String name : options.getPropertyNames()) {
                if (name.contains(".")) {
                    given.add(name);
                }
            }
        }
        PropertySource<?> variables = environment.getPropertySources()
            .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (variables instanceof EnumerablePropertySource<?> names) {
            for (String name : names.getPropertyNames()) {
                if (name.startsWith("SPRING_")) {
                    given.add(name);
                }
            }
        }
        return given;
    }

    /** A warning for each name no setting has, in the order given. */
    static List<String> unknown(List<String> given, Known known) {
        List<String> warnings = new ArrayList<>();
        for (String name : given) {
            boolean variable = !name.contains(".");
            if (isOurs(name) || known.has(name)) {
                continue;
            }
            // "likely": a library without metadata may still read the name
            warnings.add("No known setting is named " + (variable ? "environment variable " : "--") + name
                    + ", so it is likely ignored" + known.nearest(name)
                        // as the docs spell it, dashes become underscores (PATH_STYLE_ACCESS): Spring binds that
                        // form too, besides its canonical one without them (PATHSTYLEACCESS), which no page shows
                        .map(near -> ": did you mean "
                                + (variable ? UnknownPropertyCheck.variableOf(near) : "--" + near) + "?")
                        .orElse(" (spelling and settings: docs/configuration.md)"));
        }
        return warnings;
    }

    /** {@code image-processor.*} names are {@link UnknownPropertyCheck}'s, which refuses the unknown ones. */
    private static boolean isOurs(String name) {
        return UnknownPropertyCheck.normalized(name).startsWith("imageprocessor");
    }

    /**
     * The settings the configuration metadata names. Whether a given name sets one is asked of Spring's own name
     * mapping, for properties and for environment variables alike, as {@link UnknownPropertyCheck} does.
     *
     * @param leaves every setting, by its name with case and separators removed (for the nearest one to a typo)
     * @param names the same as Spring binds them
     * @param maps settings holding a map ({@code logging.level}): any name below them is a key of it
     * @param lists settings holding a list, set or array ({@code spring.profiles.active}), which Spring also binds
     * element by element ({@code --spring.profiles.active[0]=dev}, {@code SPRING_PROFILES_ACTIVE_0=dev})
     */
    record Known(Map<String, String> leaves, List<ConfigurationPropertyName> names,
            List<ConfigurationPropertyName> maps, List<ConfigurationPropertyName> lists) {

        Known {
            leaves = Collections.unmodifiableMap(new TreeMap<>(leaves));
            names = List.copyOf(names);
            maps = List.copyOf(maps);
            lists = List.copyOf(lists);
        }

        static Known of(List<String> names, List<String> maps, List<String> lists) {
            Map<String, String> leaves = new TreeMap<>();
            names.forEach(name -> leaves.put(UnknownPropertyCheck.normalized(name), name));
            return new Known(leaves, bindable(names), bindable(maps), bindable(lists));
        }

        private static List<ConfigurationPropertyName> bindable(List<String> names) {
            return names.stream().filter(ConfigurationPropertyName::isValid).map(ConfigurationPropertyName::of)
                .toList();
        }

        static Known fromClassPath(ClassLoader loader) {
            JsonMapper json = JsonMapper.builder().build();
            List<String> names = new ArrayList<>(READ_WITHOUT_METADATA);
            List<String> maps = new ArrayList<>();
            List<String> lists = new ArrayList<>();
            try {
                for (String resource : List.of(METADATA, ADDITIONAL_METADATA)) {
                    for (URL url : Collections.list(loader.getResources(resource))) {
                        try (InputStream in = url.openStream()) {
                            for (JsonNode property : json.readTree(in).path("properties")) {
                                String name = property.path("name").asString("");
                                String type = property.path("type").asString("");
                                names.add(name);
                                if (type.startsWith("java.util.Map<")) {
                                    maps.add(name);
                                }
                                if (type.startsWith("java.util.List<") || type.startsWith("java.util.Set<")
                                        || type.startsWith("java.util.Collection<") || type.endsWith("[]")) {
                                    lists.add(name);
                                }
                            }
                        }
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("could not read the configuration metadata on the class path", e);
            }
            return of(names, maps, lists);
        }

        boolean has(String name) {
            PropertySource<?> candidate = name.contains(".") ? new MapPropertySource("candidate", Map.of(name, ""))
                    : new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(name, ""));
            ConfigurationPropertySource source = ConfigurationPropertySource.from(candidate);
            return names.stream().anyMatch(known -> source.getConfigurationProperty(known) != null)
                    || maps.stream()
                        .anyMatch(map -> source.containsDescendantOf(map) == ConfigurationPropertyState.PRESENT)
                    || source instanceof IterableConfigurationPropertySource given
                            && given.stream().anyMatch(this::isListElement);
        }

        /** An element of a list setting by its index ({@code spring.profiles.active[0]}), or a field of one. */
        private boolean isListElement(ConfigurationPropertyName name) {
            for (int i = 1; i < name.getNumberOfElements(); i++) {
                if (name.isNumericIndex(i) && lists.contains(name.chop(i))) {
                    return true;
                }
            }
            return false;
        }

        /** The known setting nearest the name, when it is a likely typo of it (at most 2 edits). */
        Optional<String> nearest(String name) {
            return UnknownPropertyCheck.nearest(leaves, UnknownPropertyCheck.normalized(name), 2);
        }
    }
}
