package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asList;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands an operator runs with their own credentials (the {@code backfill} and {@code redrive} commands of the
 * jar, {@code scripts/backfill-batch-job.sh}) are documented with every IAM action they call. The commands run the
 * functions' code, so what they need is read from the functions' grants in {@code template.yaml}: a grant added there
 * for a new call is then a line the documentation must gain too. Nothing checks IAM locally (moto allows everything),
 * so an action missing from the documentation is found by an operator on AWS, as AccessDenied.
 */
class OperatorPermissionsTest {

    /** Every conditional grant present: the first stack of a pair (the standby gate's ssm:GetParameter included). */
    private static final SamTemplate TEMPLATE = SamTemplate.load().rendered(DeploymentForms.PRIMARY);

    /** {@code aws <service> <operation>} as the script runs it (not in an echo). */
    private static final Pattern AWS_CLI_CALL = Pattern.compile("^(?!\\s*(?:echo|#)).*?\\baws ([a-z0-9]+) ([a-z0-9-]+)",
            Pattern.MULTILINE);

    @Test
    void theBackfillCommandsSectionNamesEveryActionTheBackfillFunctionIsGrantedAndTheListing() throws IOException {
        // the command runs ImageProcessor.backfill as the function does, after listing the bucket (ListObjectsV2)
        Set<String> needed = grantedTo(SamTemplate.BACKFILL_FUNCTION);
        needed.add("s3:ListBucket");
        // a listing names no version (S3ImageStore.list), so the command reads current versions only
        needed.remove("s3:GetObjectVersion");

        String section = section(Path.of("docs/backfill.md"), "## On one machine: the `backfill` command");

        assertThat(undocumented(needed, section)).as("docs/backfill.md, the backfill command").isEmpty();
    }

    @Test
    void theBatchJobScriptsCallsAreDocumentedAsTheCallersPermissions() throws IOException {
        String script = Files.readString(Path.of("scripts/backfill-batch-job.sh"), StandardCharsets.UTF_8);
        Set<String> needed = new TreeSet<>();
        Matcher call = AWS_CLI_CALL.matcher(script);
        while (call.find()) {
            String action = iamAction(call.group(1), call.group(2));
            if (action != null) {
                needed.add(action);
            }
        }
        // CreateJob passes the job's role to S3 Batch Operations
        needed.add("iam:PassRole");
        assertThat(needed).as("the script's calls").contains("s3:CreateJob");

        String section = section(Path.of("docs/backfill.md"), "## On AWS at scale: S3 Batch Operations");

        assertThat(undocumented(needed, section)).as("docs/backfill.md, the S3 Batch script").isEmpty();
    }

    @Test
    void theRedriveSectionNamesEveryActionTheUploadFunctionIsGrantedAndTheQueuesCalls() throws IOException {
        // redrive sends each event through processImage, with the upload function's grants' worth of calls
        Set<String> needed = grantedTo(SamTemplate.IMAGE_PROCESSOR_FUNCTION);
        needed.addAll(Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes"));

        String section = section(Path.of("docs/operations.md"), "## Replaying the failure queue: `redrive`");

        assertThat(undocumented(needed, section)).as("docs/operations.md, redrive").isEmpty();
    }

    /** The actions of a function's own policies (not SAM's additions: logs, X-Ray, the failure destination). */
    private static Set<String> grantedTo(String function) {
        Set<String> actions = new TreeSet<>();
        for (Object policy : asList(TEMPLATE.function(function).getValue().get("Policies"))) {
            for (Object statement : asList(asMap(policy).get("Statement"))) {
                if ("Allow".equals(asMap(statement).get("Effect"))) {
                    asList(asMap(statement).get("Action")).forEach(action -> actions.add((String) action));
                }
            }
        }
        assertThat(actions).as("grants of " + function).isNotEmpty();
        return actions;
    }

    /**
     * The IAM action of an AWS CLI call, or null for one that needs no permission ({@code sts get-caller-identity}
     * is always allowed).
     */
    private static String iamAction(String service, String operation) {
        if (service.equals("sts") && operation.equals("get-caller-identity")) {
            return null;
        }
        StringBuilder action = new StringBuilder(service.equals("s3control") ? "s3" : service).append(':');
        for (String word : operation.split("-")) {
            action.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return action.toString();
    }

    /** The actions the text does not name (as code: {@code `s3:GetObject`}). */
    private static Set<String> undocumented(Set<String> actions, String text) {
        Set<String> missing = new TreeSet<>(actions);
        missing.removeIf(action -> text.contains("`" + action + "`"));
        return missing;
    }

    /** From the heading to the next heading of the same level. */
    private static String section(Path file, String heading) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading + " in " + file).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = text.indexOf("\n" + level, start + heading.length() + 1);
        return end < 0 ? text.substring(start) : text.substring(start, end);
    }
}
