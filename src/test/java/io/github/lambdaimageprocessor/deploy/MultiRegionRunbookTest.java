package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/multi-region.md gives commands to paste: the parameters, outputs, variables and properties they name are the
 * ones the template and the code have, and its regions and switch are those the tests deploy with.
 */
class MultiRegionRunbookTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load();

    private static final String RUNBOOK = read(Path.of("docs/multi-region.md"));

    @Test
    void everyParameterTheCommandsOverrideIsATemplateParameter() {
        Set<String> overridden = new TreeSet<>();
        Matcher command = Pattern.compile("--parameter-overrides((?:\\\\\\n|[^\\n])*)").matcher(RUNBOOK);
        while (command.find()) {
            Matcher parameter = Pattern.compile("([A-Za-z0-9]+)=").matcher(command.group(1));
            while (parameter.find()) {
                overridden.add(parameter.group(1));
            }
        }

        assertThat(overridden).containsExactlyInAnyOrder("ActiveRegionParameter", "PeerRegion", "PeerUploadBucket",
                "PeerProcessedBucket", "PeerMetadataTable");
        assertThat(TEMPLATE.parameters()).containsKeys(overridden.toArray(String[]::new));
        // and what the tests deploy with is what the commands give
        assertThat(DeploymentForms.PRIMARY.keySet()).isSubsetOf(overridden);
        assertThat(DeploymentForms.STANDBY.keySet()).isSubsetOf(overridden);
    }

    @Test
    void theOutputsTheCommandsReadExist() {
        Set<String> read = new TreeSet<>();
        Matcher output = Pattern.compile("\\$\\(out \\$[A-Z]+ ([A-Za-z]+)\\)").matcher(RUNBOOK);
        while (output.find()) {
            read.add(output.group(1));
        }

        assertThat(read).contains("UploadBucketName", "ProcessedBucketName", "MetadataTableName");
        assertThat(TEMPLATE.outputs()).containsKeys(read.toArray(String[]::new));
    }

    @Test
    void theSwitchAndTheRegionsAreThoseTheTestsDeployWith() {
        assertThat(RUNBOOK).contains("SWITCH=" + DeploymentForms.ACTIVE_REGION_PARAMETER + "\n")
            .contains("PRIMARY=" + DeploymentForms.STANDBY.get("PeerRegion") + " ")
            .contains("STANDBY=" + DeploymentForms.PRIMARY.get("PeerRegion") + " ");
        String pattern = (String) map(TEMPLATE.parameters(), "ActiveRegionParameter").get("AllowedPattern");
        assertThat(DeploymentForms.ACTIVE_REGION_PARAMETER).matches(pattern);
        // the switch is created as a String: a SecureString would read as ciphertext
        assertThat(RUNBOOK).contains("put-parameter --region \"$region\" --name \"$SWITCH\" --type String");
    }

    @Test
    void theVariablesAndPropertiesItNamesAreTheOnesTheFunctionReads() {
        Set<String> environment = SamTemplate.load().rendered(DeploymentForms.PRIMARY).environment().keySet();
        assertThat(environment).contains("ACTIVE_REGION_PARAMETER", "PEER_REGION");
        assertThat(RUNBOOK).contains("`ACTIVE_REGION_PARAMETER`", "`PEER_REGION`");

        Set<String> properties = new TreeSet<>();
        Matcher property = Pattern.compile("image-processor\\.failover\\.([a-z-]+)").matcher(RUNBOOK);
        while (property.find()) {
            properties.add(property.group(1));
        }
        Set<String> declared = new TreeSet<>();
        Arrays.stream(ImageProcessorProperties.Failover.class.getRecordComponents())
            .forEach(component -> declared.add(component.getName().replaceAll("([A-Z])", "-$1").toLowerCase()));
        assertThat(properties).isNotEmpty().isSubsetOf(declared);
    }

    @Test
    void theSkipReasonItQuotesIsTheOneTheFunctionGives() {
        assertThat(RUNBOOK).contains("`SKIPPED`, reason `this region (eu-west-1) is the standby: SSM parameter "
                + "/image-processor/active-region names us-east-1 as the active region`");
        // StandbyGateLambdaIT asserts the same wording from the function
        assertThat(asMap(TEMPLATE.parameters().get("PeerRegion"))).containsEntry("Default", "");
    }

    @Test
    void theFailBackWaitsOutRefreshBetweenTheTwoFlips() throws NoSuchMethodException {
        // each warm instance trusts what it read for refresh: the standby flipped first keeps processing that long, so
        // a primary flipped at once would process the replicas of what the standby still processed (FailbackWindowTest)
        String failBack = RUNBOOK.substring(RUNBOOK.indexOf("## Fail back"), RUNBOOK.indexOf("## What is replicated"));
        Matcher flipsAndWait = Pattern.compile("--region \\$STANDBY --name \"\\$SWITCH\" --value \\$PRIMARY --overwrite[^\\n]*\\n"
                + "sleep ([0-9]+)[^\\n]*\\n"
                + "aws ssm put-parameter --region \\$PRIMARY --name \"\\$SWITCH\" --value \\$PRIMARY --overwrite").matcher(failBack);
        assertThat(flipsAndWait.find()).as("a sleep between the two flips of the fail back").isTrue();
        Duration refresh = DurationStyle.detectAndParse(ImageProcessorProperties.Failover.class
            .getDeclaredConstructor(String.class, String.class, Duration.class, String.class)
            .getParameters()[2].getAnnotation(DefaultValue.class).value()[0]);
        assertThat(Duration.ofSeconds(Long.parseLong(flipsAndWait.group(1)))).isGreaterThan(refresh);
        assertThat(failBack).doesNotContain("no moment with two active regions");
    }

    @Test
    void aDrillFlipsThePrimaryFirstAndWaitsOutRefreshBeforeTheStandby() throws NoSuchMethodException {
        // both regions are healthy in a drill: flipped in an outage's order (the standby first, the primary at once),
        // both process for up to refresh and the replicas of what the primary still processed are made and notified
        // again in the standby (FailoverDrillWindowTest)
        String failOver = RUNBOOK.substring(RUNBOOK.indexOf("## Fail over"), RUNBOOK.indexOf("## Fail back"));
        Matcher flipsAndWait = Pattern.compile("--region \\$PRIMARY --name \"\\$SWITCH\" --value \\$STANDBY --overwrite[^\\n]*\\n"
                + "sleep ([0-9]+)[^\\n]*\\n"
                + "aws ssm put-parameter --region \\$STANDBY --name \"\\$SWITCH\" --value \\$STANDBY --overwrite").matcher(failOver);
        assertThat(flipsAndWait.find()).as("a drill flips the primary, waits, then flips the standby").isTrue();
        Duration refresh = DurationStyle.detectAndParse(ImageProcessorProperties.Failover.class
            .getDeclaredConstructor(String.class, String.class, Duration.class, String.class)
            .getParameters()[2].getAnnotation(DefaultValue.class).value()[0]);
        assertThat(Duration.ofSeconds(Long.parseLong(flipsAndWait.group(1)))).isGreaterThan(refresh);
        assertThat(failOver).doesNotContain("at once, for a drill");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
