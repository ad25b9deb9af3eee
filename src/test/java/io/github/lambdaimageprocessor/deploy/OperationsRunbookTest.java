package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md gives commands to paste: the outputs they read are the template's, and the replay command gives
 * the jar what profile aws needs to find the stack's resources, in the region the CLI read them from.
 */
class OperationsRunbookTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load();

    private static final String RUNBOOK = read(Path.of("docs/operations.md"));

    @Test
    void theOutputsTheCommandsReadExist() {
        Set<String> read = new TreeSet<>();
        Matcher output = Pattern.compile("\\bout ([A-Z][A-Za-z]+)").matcher(RUNBOOK);
        while (output.find()) {
            read.add(output.group(1));
        }

        assertThat(read).contains("FailureQueueUrl", "ProcessedBucketName", "MetadataTableName",
                "NotificationTopicArn");
        assertThat(TEMPLATE.outputs()).containsKeys(read.toArray(String[]::new));
    }

    @Test
    void theReplayCommandGivesTheJarTheStacksResourcesInTheStacksRegion() {
        Matcher block = Pattern.compile("```bash\\n((?:(?!```).)*redrive --queue-url(?:(?!```).)*)```", Pattern.DOTALL)
            .matcher(RUNBOOK);
        assertThat(block.find()).as("a bash block running redrive").isTrue();
        String command = block.group(1);

        // the variables profile aws refuses to start without, as the template gives them to the function
        assertThat(command).contains("SPRING_PROFILES_ACTIVE=aws", "PROCESSED_BUCKET=$(out ProcessedBucketName)",
                "DDB_TABLE=$(out MetadataTableName)", "SNS_TOPIC_ARN=$(out NotificationTopicArn)");
        assertThat(TEMPLATE.environment()).containsKeys("PROCESSED_BUCKET", "DDB_TABLE", "SNS_TOPIC_ARN");
        // the AWS SDK reads AWS_REGION, not the CLI's AWS_DEFAULT_REGION: the jar is told the region the outputs were
        // read from, or it starts in none (or in another one)
        assertThat(command).contains("AWS_REGION=$REGION");
        assertThat(RUNBOOK).contains("out() { aws cloudformation describe-stacks --region \"$REGION\"");
    }

    /**
     * The runbooks' commands after a deploy name the stack's region: the CLI's default region may be another one, where
     * the stack, table, topic and queue do not exist, and {@code sam logs} and {@code sam delete} do not read the
     * region {@code sam deploy --guided} saved. S3 commands are exempt: the CLI follows a bucket to its region.
     */
    @Test
    void everyCommandOnTheStacksRegionalResourcesNamesTheRegion() {
        Pattern regional = Pattern.compile("\\b(aws (?!s3 |s3api )[a-z0-9-]+ [a-z0-9-]+|sam (?:logs|delete))\\b");
        Set<String> without = new TreeSet<>();
        for (String doc : documents()) {
            Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(read(Path.of(doc)));
            while (block.find()) {
                // a command continued over several lines is one command
                for (String command : block.group(1).replace("\\\n", " ").split("\n")) {
                    Matcher call = regional.matcher(command);
                    while (call.find()) {
                        if (!command.contains("--region")) {
                            without.add(doc + ": " + call.group(1));
                        }
                    }
                }
            }
        }

        assertThat(without).isEmpty();
    }

    /** README.md and every page of docs/: a command is copied from wherever it is written. */
    private static List<String> documents() {
        try (var pages = Files.list(Path.of("docs"))) {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of("README.md"),
                    pages.map(Path::toString).filter(name -> name.endsWith(".md")).sorted()).toList();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
