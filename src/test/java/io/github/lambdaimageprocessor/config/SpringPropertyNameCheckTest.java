package io.github.lambdaimageprocessor.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SpringPropertyNameCheckTest {

    /** What the jars on the test class path know, read once: Spring Boot's, Spring Cloud's and our metadata. */
    private static final SpringPropertyNameCheck.Known KNOWN = SpringPropertyNameCheck.Known
        .fromClassPath(SpringPropertyNameCheckTest.class.getClassLoader());

    @Test
    void aMisspeltSpringSettingIsNamedWithTheOneMeant() {
        List<String> warnings = SpringPropertyNameCheck.unknown(List.of("server.prot", "SPRING_PROFILES_ACTIV"),
                KNOWN);

        assertThat(warnings).containsExactly(
                "No known setting is named --server.prot, so it is likely ignored: did you mean --server.port?",
                "No known setting is named environment variable SPRING_PROFILES_ACTIV, so it is likely ignored: did "
                        + "you mean SPRING_PROFILES_ACTIVE?");
    }

    @Test
    void aMisspeltVariableIsNamedWithTheVariableAsTheDocsSpellIt() {
        List<String> warnings = SpringPropertyNameCheck.unknown(
                List.of("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCES_ENABLED", "SPRING_MAIN_WEB_APLICATION_TYPE"), KNOWN);

        // the dashes of path-style-access-enabled become underscores, not nothing (PATHSTYLEACCESSENABLED binds too,
        // but no page shows it)
        assertThat(warnings).containsExactly(
                "No known setting is named environment variable SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCES_ENABLED, so it is "
                        + "likely ignored: did you mean SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED?",
                "No known setting is named environment variable SPRING_MAIN_WEB_APLICATION_TYPE, so it is likely "
                        + "ignored: did you mean SPRING_MAIN_WEB_APPLICATION_TYPE?");
        assertThat(KNOWN.has("SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED")).isTrue();
        assertThat(KNOWN.has("SPRING_MAIN_WEB_APPLICATION_TYPE")).isTrue();
    }

    @Test
    void settingsSpringBindsInAnyOfItsSpellingsAndMapKeysPass() {
        assertThat(SpringPropertyNameCheck.unknown(List.of("server.port", "server.address", "spring.profiles.active",
                "spring.main.web-application-type", "spring.main.webApplicationType", "logging.level.org.example",
                "spring.cloud.function.definition", "SPRING_PROFILES_ACTIVE", "SPRING_CLOUD_FUNCTION_DEFINITION",
                "SPRING_MAIN_WEBAPPLICATIONTYPE", "acme.retries"), KNOWN))
            .containsExactly("No known setting is named --acme.retries, so it is likely ignored (spelling and "
                    + "settings: docs/configuration.md)");
    }

    @Test
    void namesSpringBootReadsWithoutMetadataPass() {
        // SPRING_APPLICATION_JSON='{"server":{"port":8081}}' starts on 8081: it is not ignored
        assertThat(SpringPropertyNameCheck.unknown(List.of("SPRING_APPLICATION_JSON", "spring.application.json",
                "spring.config.on-not-found", "SPRING_CONFIG_ONNOTFOUND"), KNOWN)).isEmpty();
    }

    @Test
    void anElementOfAListSettingGivenByIndexPasses() {
        // Spring binds these (two active profiles: demo, local); only a name that is no list stays unknown
        assertThat(SpringPropertyNameCheck.unknown(List.of("spring.profiles.active[0]", "spring.profiles.active[1]",
                "spring.web.resources.static-locations[0]", "SPRING_PROFILES_ACTIVE_0", "SPRING_PROFILES_INCLUDE_1",
                "server.port[0]"), KNOWN))
            .containsExactly("No known setting is named --server.port[0], so it is likely ignored (spelling and "
                    + "settings: docs/configuration.md)");
    }

    @Test
    void ourSettingsAreLeftToTheCheckThatRefusesThemAndACommandsOwnOptionsAreNotLookedAt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource("--prefix=albums/",
                "--force", "--server.prot=8081", "--image-processor.limits.max-pixls=5"));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SPRING_PROFILES_ACTIVE", "aws", "PATH", "/bin", "IMAGE_PROCESSOR_X", "1")));

        List<String> given = SpringPropertyNameCheck.given(environment);

        assertThat(given).containsExactlyInAnyOrder("server.prot", "image-processor.limits.max-pixls",
                "SPRING_PROFILES_ACTIVE");
        assertThat(SpringPropertyNameCheck.unknown(given, KNOWN)).containsExactly(
                "No known setting is named --server.prot, so it is likely ignored: did you mean --server.port?");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theAppStartsAndWarns(CapturedOutput output) {
        SpringApplication application = new SpringApplication(
                io.github.lambdaimageprocessor.ImageProcessorApplication.class);
        application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        try (var context = application.run("--server.prot=8081", "--image-processor.local.root="
                + System.getProperty("java.io.tmpdir") + "/spring-property-name-check")) {
            assertThat(context.isActive()).isTrue();
        }

        // the check reads the metadata beside start-up, not in its way: the warning comes a moment later
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                output.getAll()).contains("No known setting is named --server.prot, so it is likely ignored: did you "
                        + "mean --server.port?"));
    }
}
