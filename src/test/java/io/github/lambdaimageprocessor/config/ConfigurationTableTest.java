package io.github.lambdaimageprocessor.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration table of docs/configuration.md against the one place the defaults are written: the
 * {@code @ConfigurationProperties} records, as spring-boot-configuration-processor read them into
 * {@code META-INF/spring-configuration-metadata.json}. A property added, renamed or given another default without the
 * table following fails here.
 */
class ConfigurationTableTest {

    /** {@code | `image-processor.x` | `ENV` | `default` | meaning |}, the env and default cells possibly empty. */
    private static final Pattern ROW = Pattern
        .compile("^\\| `(image-processor\\.[a-z.-]+)` \\| (?:`([A-Z_]+)`)? *\\| (?:`([^`]*)`|\\(none\\)) \\|");

    private record Row(String variable, String defaultValue) {
    }

    @Test
    void listsEveryPropertyWithTheDefaultTheRecordsDeclare() throws IOException {
        Map<String, Row> table = documentedTable();
        Map<String, String> declared = new TreeMap<>();
        for (JsonNode property : metadata().get("properties")) {
            JsonNode defaultValue = property.get("defaultValue");
            declared.put(property.get("name").asString(), defaultValue == null ? "" : defaultValue.asString());
        }

        assertThat(table.keySet()).as("properties in the docs/configuration.md table").containsExactlyInAnyOrderElementsOf(declared.keySet());
        declared.forEach((name, defaultValue) -> assertThat(table.get(name).defaultValue()).as("default of %s", name)
            .isEqualTo(defaultValue));
    }

    @Test
    void namesTheShortEnvironmentVariablesThatAreAliases() throws IOException {
        Map<String, String> variables = new TreeMap<>();
        documentedTable().forEach((name, row) -> {
            if (row.variable() != null) {
                variables.put(row.variable(), name);
            }
        });

        assertThat(variables).isEqualTo(new TreeMap<>(EnvironmentVariableAliases.ALIASES));
    }

    private static Map<String, Row> documentedTable() throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"), StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), new Row(row.group(2), row.group(3) == null ? "" : row.group(3)));
            }
        }
        return rows;
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ConfigurationTableTest.class
            .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata written by spring-boot-configuration-processor").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }
}
