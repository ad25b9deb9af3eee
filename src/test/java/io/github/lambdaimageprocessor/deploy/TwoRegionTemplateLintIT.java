package io.github.lambdaimageprocessor.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cfn-lint, with the SAM transform, on each form of {@code template.yaml}: a copy whose parameter defaults are the
 * values docs/multi-region.md deploys with. cfn-lint lints both branches of every condition whatever the parameters,
 * but checks the defaults against each parameter's pattern, so this also proves the runbook's values are accepted.
 * Like {@code .ci/run}, any error or warning fails. cfn-lint is a test dependency, as moto is: missing, it fails.
 */
class TwoRegionTemplateLintIT {

    static Stream<Arguments> forms() {
        return Stream.of(Arguments.of("single-region", DeploymentForms.SINGLE_REGION),
                Arguments.of("primary", DeploymentForms.PRIMARY), Arguments.of("standby", DeploymentForms.STANDBY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void cfnLintReportsNothing(String form, Map<String, String> parameters) throws Exception {
        Path copy = Path.of("target", "template-" + form + ".yaml");
        Files.writeString(copy, withDefaults(Files.readString(SamTemplate.PATH, StandardCharsets.UTF_8), parameters),
                StandardCharsets.UTF_8);
        // the copy is what the test says it is
        assertThat(SamTemplate.load(copy).rendered(Map.of()).resources().keySet())
            .isEqualTo(SamTemplate.load().rendered(parameters).resources().keySet());

        Path output = Files.createTempFile("cfn-lint-", ".txt");
        Process lint = new ProcessBuilder(cfnLint(), copy.toString()).redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        assertThat(lint.waitFor(5, TimeUnit.MINUTES)).as("cfn-lint finished").isTrue();

        assertThat(Files.readString(output)).as("cfn-lint on the %s form", form).isEmpty();
        assertThat(lint.exitValue()).isZero();
    }

    /** The template text with each named parameter's {@code Default: ''} replaced by the given value. */
    static String withDefaults(String template, Map<String, String> parameters) {
        String result = template;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            Pattern block = Pattern.compile("(?m)^(  " + Pattern.quote(parameter.getKey())
                    + ":\\n(?:    .*\\n)*?    Default: )''$");
            Matcher matcher = block.matcher(result);
            assertThat(matcher.find()).as("parameter %s with an empty default", parameter.getKey()).isTrue();
            result = matcher.replaceFirst(Matcher.quoteReplacement(matcher.group(1) + "'" + parameter.getValue() + "'"));
        }
        return result;
    }

    /** cfn-lint from the PATH, or where pip and pyenv put scripts (a CI shell may not have them on its PATH). */
    private static String cfnLint() throws IOException {
        String home = System.getProperty("user.home");
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + home + "/.pyenv/shims"
                + File.pathSeparator + home + "/.local/bin" + File.pathSeparator + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "cfn-lint"))) {
                return Path.of(dir, "cfn-lint").toString();
            }
        }
        throw new IOException("cfn-lint is needed to lint template.yaml: pip install cfn-lint (looked in " + path
                + ")");
    }
}
