package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/backfill-batch-job.sh} without AWS: its syntax, the create-job input its dry run prints, and that
 * the AWS CLI accepts that input's shape (it validates parameters before sending; the endpoint here is unreachable,
 * so nothing is sent anywhere).
 */
class BackfillBatchJobScriptTest {

    private static final Path SCRIPT = Path.of("scripts/backfill-batch-job.sh");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> STACK_VALUES = List.of("--upload-bucket", "image-uploads-123456789012-abc",
            "--processed-bucket", "image-thumbnails-123456789012-abc", "--function-arn",
            "arn:aws:lambda:us-east-1:123456789012:function:stack-backfillImages:live", "--role-arn",
            "arn:aws:iam::123456789012:role/stack-BatchOperationsRole-X", "--account-id", "123456789012");

    private record Run(int status, String output) {
    }

    private static Run run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("script-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish: " + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(log);
        }
    }

    private static Run script(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments));
        return run(Map.of(), command.toArray(String[]::new));
    }

    private static List<JsonNode> dryRun(String... arguments) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--dry-run"));
        all.addAll(STACK_VALUES);
        all.addAll(List.of(arguments));
        Run run = script(all.toArray(String[]::new));
        assertThat(run.status()).as(run.output()).isZero();
        try (MappingIterator<JsonNode> documents = JSON.readerFor(JsonNode.class).readValues(run.output())) {
            return documents.readAll();
        }
    }

    @Test
    void isValidBash() throws Exception {
        Run syntax = run(Map.of(), "bash", "-n", SCRIPT.toString());

        assertThat(syntax.status()).as(syntax.output()).isZero();
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
    }

    @Test
    void makesOneJobPerJpegSuffixThatInvokesTheBackfillAliasAndReportsUnderBackfillJobs() throws Exception {
        List<JsonNode> jobs = dryRun();

        assertThat(jobs).extracting(job -> job.at(
                "/ManifestGenerator/S3JobManifestGenerator/Filter/KeyNameConstraint/MatchAnySuffix/0").asString())
            .containsExactly(".jpg", ".jpeg", ".JPG", ".JPEG");
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.at("/Operation/LambdaInvoke/FunctionArn").asString()).endsWith("backfillImages:live");
            assertThat(job.at("/Operation/LambdaInvoke/InvocationSchemaVersion").asString()).isEqualTo("2.0");
            assertThat(job.at("/Operation/LambdaInvoke/UserArguments/force").asString()).isEqualTo("false");
            assertThat(job.at("/Operation/LambdaInvoke/UserArguments/notify").asString()).isEqualTo("false");
            assertThat(job.at("/RoleArn").asString()).contains("BatchOperationsRole");
            assertThat(job.at("/ConfirmationRequired").asBoolean()).isFalse();
            JsonNode generator = job.at("/ManifestGenerator/S3JobManifestGenerator");
            assertThat(generator.get("SourceBucket").asString()).isEqualTo("arn:aws:s3:::image-uploads-123456789012-abc");
            assertThat(generator.at("/ManifestOutputLocation/ManifestPrefix").asString()).startsWith("backfill-jobs/");
            assertThat(generator.at("/Filter/KeyNameConstraint/MatchAnyPrefix").isMissingNode()).isTrue();
            assertThat(generator.at("/Filter/CreatedAfter").isMissingNode()).isTrue();
            assertThat(job.at("/Report/Bucket").asString()).isEqualTo("arn:aws:s3:::image-thumbnails-123456789012-abc");
            assertThat(job.at("/Report/Prefix").asString()).startsWith("backfill-jobs/");
            assertThat(job.at("/Report/ReportScope").asString()).isEqualTo("AllTasks");
        });
    }

    @Test
    void passesPrefixDateAndUserArgumentsThroughEscapedAsJson() throws Exception {
        List<JsonNode> jobs = dryRun("--prefix", "albums/\"quoted\" \\ café/", "--created-after", "2026-01-31",
                "--force", "--notify", "--suffix", ".jpeg", "--priority", "42");

        assertThat(jobs).singleElement().satisfies(job -> {
            JsonNode filter = job.at("/ManifestGenerator/S3JobManifestGenerator/Filter");
            assertThat(filter.at("/KeyNameConstraint/MatchAnyPrefix/0").asString())
                .isEqualTo("albums/\"quoted\" \\ café/");
            assertThat(filter.at("/KeyNameConstraint/MatchAnySuffix/0").asString()).isEqualTo(".jpeg");
            assertThat(filter.get("CreatedAfter").asString()).isEqualTo("2026-01-31T00:00:00Z");
            assertThat(job.at("/Operation/LambdaInvoke/UserArguments/force").asString()).isEqualTo("true");
            assertThat(job.at("/Operation/LambdaInvoke/UserArguments/notify").asString()).isEqualTo("true");
            assertThat(job.get("Priority").asInt()).isEqualTo(42);
        });
    }

    @Test
    void theAwsCliAcceptsTheShapeOfEveryJob() throws Exception {
        // the jobs differ in their suffix only; one AWS CLI start costs seconds
        for (JsonNode job : dryRun("--prefix", "photos/", "--created-after", "2026-01-31T12:00:00Z", "--suffix", ".jpg")) {
            Run cli = run(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_MAX_ATTEMPTS", "1"),
                    "aws", "s3control", "create-job", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9",
                    "--cli-connect-timeout", "1", "--cli-input-json", JSON.writeValueAsString(job));

            // parameters are validated before any request; only the (unreachable) endpoint stops it
            assertThat(cli.output()).doesNotContain("Parameter validation failed").contains("Could not connect");
        }
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() throws Exception {
        // asked for, the usage is an answer, not an error: exit 0, so `--help && ...` and `set -e` callers go on
        for (String help : List.of("--help", "-h")) {
            Run run = script(help);
            assertThat(run.status()).as(help + ": " + run.output()).isZero();
            assertThat(run.output()).as(help).startsWith("Usage: scripts/backfill-batch-job.sh").contains("--dry-run");
        }
    }

    @Test
    void helpNamesTheDefaultSuffixesItself() throws Exception {
        // the usage is printed from its "# Usage:" line on, so it cannot point at the header above it for the default
        Run run = script("--help");
        assertThat(run.output()).doesNotContain("above").contains(".jpg .jpeg .JPG .JPEG");
    }

    @Test
    void refusesArgumentsItCannotUse() throws Exception {
        assertThat(script("--created-after", "last tuesday", "--dry-run").status()).isEqualTo(2);
        assertThat(script("--priority", "high").status()).isEqualTo(2);
        assertThat(script("--prefix").status()).isEqualTo(2);
        Run unknown = script("--froce");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown argument: --froce").contains("Usage:");
    }
}
