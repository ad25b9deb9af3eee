package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asList;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.getAtt;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.map;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code cfn-lint template.yaml} (run by {@code .ci/run}) does not check: the rules that make the deployment
 * secure, loop-free and consistent with the code. Checked on the template as the first stack of a two-region pair
 * deploys it, the form with every resource and grant; {@link TwoRegionTemplateTest} checks what differs between the
 * forms. cfn-lint validates against the resource schemas; it accepts
 * {@code Events: s3:ObjectCreated} (no {@code :*}, matches nothing), {@code Name: Suffix}, a public bucket or an
 * {@code s3:*} grant without a word.
 */
class SamTemplateTest {

    /** Every conditional resource and grant present: the first stack of a pair, with an email subscription. */
    private static final SamTemplate TEMPLATE = SamTemplate.load().rendered(DeploymentForms.with(DeploymentForms.PRIMARY,
            "NotificationEmail", "ops@example.com"));

    private static final String UPLOAD_BUCKET = "UploadBucket";

    private static final String PROCESSED_BUCKET = "ProcessedBucket";

    private static final String BATCH_ROLE = "BatchOperationsRole";

    /** Environment variables Lambda itself sets; the template must not (and cannot) declare them. */
    private static final Set<String> LAMBDA_RESERVED = Set.of("AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "_HANDLER",
            "AWS_EXECUTION_ENV", "_X_AMZN_TRACE_ID", "TZ", "LANG", "PATH", "LD_LIBRARY_PATH");

    /**
     * Read by the Lambda adapter and Spring Boot rather than through a placeholder in our configuration: which
     * application class to start (FunctionInvoker), which function to call, which profile to run.
     */
    private static final Set<String> READ_BY_THE_LAMBDA_ADAPTER = Set.of("MAIN_CLASS",
            "SPRING_CLOUD_FUNCTION_DEFINITION", "SPRING_PROFILES_ACTIVE");

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Za-z0-9_]+)\"\\)");

    @Test
    void theFunctionRunsSpringCloudFunctionOnJava21WithSnapStartOnAPublishedAlias() {
        Map<String, Object> function = TEMPLATE.function().getValue();

        assertThat(function).containsEntry("Runtime", "java21")
            .containsEntry("Handler", "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest")
            .containsEntry("CodeUri", ".")
            .containsEntry("RecursiveLoop", "Terminate")
            .containsEntry("Tracing", "Active")
            .containsKeys("MemorySize", "Timeout");
        // SnapStart without a published version does nothing (cfn-lint W2530); the alias publishes one.
        assertThat(function.get("AutoPublishAlias")).isInstanceOf(String.class);
        assertThat(map(function, "SnapStart")).containsEntry("ApplyOn", "PublishedVersions");
    }

    @Test
    void everyFunctionPublishesANewVersionWhenAnyOfItsPropertiesChanges() {
        // without it SAM publishes only for a change of code, environment, memory or SnapStart: a new Timeout would
        // reach $LATEST and never the alias that S3, the batch job and API Gateway invoke
        assertThat(TEMPLATE.resourcesOfType("AWS::Serverless::Function")).hasSize(3)
            .allSatisfy((id, properties) -> assertThat(properties).as(id)
                .containsEntry("AutoPublishAliasAllProperties", true));
    }

    @Test
    void sam_buildUsesTheMakefileTargetOfTheFunction() throws IOException {
        Map<String, Object> resource = TEMPLATE.resource(TEMPLATE.function().getKey());

        assertThat(map(resource, "Metadata")).containsEntry("BuildMethod", "makefile");
        assertThat(Files.readString(Path.of("Makefile")))
            .contains("build-" + TEMPLATE.function().getKey() + ":")
            .contains("-DskipTests")
            .contains("target/lambda-layout/.")
            .contains("$(ARTIFACTS_DIR)");
    }

    @Test
    void logsGoToADeclaredLogGroupWithARetentionPeriod() {
        Map<String, Object> logging = map(TEMPLATE.function().getValue(), "LoggingConfig");
        String logGroupId = (String) asMap(logging.get("LogGroup")).get("Ref");

        assertThat(TEMPLATE.resource(logGroupId)).containsEntry("Type", "AWS::Logs::LogGroup");
        assertThat(TEMPLATE.properties(logGroupId).get("RetentionInDays")).isInstanceOf(Integer.class);
    }

    @Test
    void uploadsOfJpegsInEitherLetterCaseTriggerTheFunctionThroughNonOverlappingSuffixFilters() {
        List<Object> notifications = asList(
                map(TEMPLATE.properties(UPLOAD_BUCKET), "NotificationConfiguration").get("LambdaConfigurations"));
        List<String> suffixes = new ArrayList<>();

        notifications.stream().map(SamTemplate::asMap).forEach(notification -> {
            // the alias, which SnapStart and the failure destination apply to
            assertThat(notification.get("Function")).isEqualTo(ref(processImageAlias()));
            // "s3:ObjectCreated" (without :*) is accepted by cfn-lint and by S3, and matches no event at all.
            assertThat(notification.get("Event")).isEqualTo("s3:ObjectCreated:*");
            List<Object> rules = asList(map(map(notification, "Filter"), "S3Key").get("Rules"));
            assertThat(rules).hasSize(1);
            Map<String, Object> rule = asMap(rules.getFirst());
            // S3 rejects "Suffix"; the filter rule names are lowercase.
            assertThat(rule.get("Name")).isEqualTo("suffix");
            suffixes.add((String) rule.get("Value"));
        });

        assertThat(suffixes).containsExactlyInAnyOrder(".jpg", ".jpeg", ".JPG", ".JPEG");
        // S3 refuses configurations for the same event whose filters can both match one key.
        for (String a : suffixes) {
            for (String b : suffixes) {
                if (!a.equals(b)) {
                    assertThat(a.endsWith(b)).as("%s overlaps %s", a, b).isFalse();
                }
            }
        }
    }

    @Test
    void onlyTheUploadBucketOfThisAccountMayInvokeTheFunction() {
        // SAM's S3 events grant s3.amazonaws.com with SourceAccount alone: any bucket of the account could invoke it
        assertThat(TEMPLATE.function().getValue()).doesNotContainKey("Events");
        Map<String, Map<String, Object>> byS3 = new LinkedHashMap<>(
                TEMPLATE.resourcesOfType("AWS::Lambda::Permission"));
        byS3.values().removeIf(permission -> !"s3.amazonaws.com".equals(permission.get("Principal")));
        String uploadName = (String) asList(asMap(TEMPLATE.properties(UPLOAD_BUCKET).get("BucketName")).get("Fn::Sub"))
            .getFirst();

        assertThat(byS3.entrySet()).singleElement().satisfies(permission -> {
            assertThat(permission.getValue()).containsEntry("Action", "lambda:InvokeFunction")
                .containsEntry("FunctionName", ref(processImageAlias()))
                // a bucket name is global: another account's bucket of that name, once this one is deleted
                .containsEntry("SourceAccount", ref("AWS::AccountId"));
            List<Object> sourceArn = asList(asMap(permission.getValue().get("SourceArn")).get("Fn::Sub"));
            assertThat(sourceArn.get(0)).isEqualTo("arn:${AWS::Partition}:s3:::" + uploadName);
            assertThat(sourceArn.get(1)).isEqualTo(
                    asList(asMap(TEMPLATE.properties(UPLOAD_BUCKET).get("BucketName")).get("Fn::Sub")).get(1));
            // S3 checks the permission when it stores the notifications
            assertThat(asList(TEMPLATE.resource(UPLOAD_BUCKET).get("DependsOn"))).contains(permission.getKey());
        });
    }

    @Test
    void everyBucketIsEncryptedPrivateAndReachableOnlyOverTls() {
        Map<String, Map<String, Object>> buckets = TEMPLATE.resourcesOfType("AWS::S3::Bucket");
        assertThat(buckets).containsKeys(UPLOAD_BUCKET, PROCESSED_BUCKET);

        buckets.forEach((id, bucket) -> {
            List<Object> rules = asList(map(bucket, "BucketEncryption").get("ServerSideEncryptionConfiguration"));
            assertThat(rules).as(id + " encryption").isNotEmpty();
            assertThat(rules).as(id + " encryption").allSatisfy(rule -> assertThat(
                    map(asMap(rule), "ServerSideEncryptionByDefault").get("SSEAlgorithm"))
                .isIn("AES256", "aws:kms", "aws:kms:dsse"));

            assertThat(map(bucket, "PublicAccessBlockConfiguration")).as(id + " public access block")
                .containsEntry("BlockPublicAcls", true)
                .containsEntry("BlockPublicPolicy", true)
                .containsEntry("IgnorePublicAcls", true)
                .containsEntry("RestrictPublicBuckets", true);

            assertThat(bucketPolicyStatements(id)).as(id + " denies plain HTTP").anySatisfy(statement -> {
                assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Principal", "*");
                // Deny all actions, not a list that misses the ones S3 adds later.
                assertThat(asList(statement.get("Action"))).containsExactly("s3:*");
                assertThat(asList(statement.get("Resource"))).contains(getAtt(id, "Arn"),
                        Map.of("Fn::Sub", "${" + id + ".Arn}/*"));
                assertThat(map(map(statement, "Condition"), "Bool")).containsEntry("aws:SecureTransport", "false");
            });
        });
    }

    @Test
    void uploadsAreVersioned() {
        assertThat(map(TEMPLATE.properties(UPLOAD_BUCKET), "VersioningConfiguration"))
            .containsEntry("Status", "Enabled");
        // replication, in either direction, needs versioning on both ends
        assertThat(map(TEMPLATE.properties(PROCESSED_BUCKET), "VersioningConfiguration"))
            .containsEntry("Status", "Enabled");
    }

    @Test
    void bucketNamesAreExplicitLowercaseAndTheSameWhereverTheFunctionNamesThem() {
        for (String id : List.of(UPLOAD_BUCKET, PROCESSED_BUCKET)) {
            List<Object> sub = asList(TEMPLATE.properties(id).get("BucketName") instanceof Map<?, ?> name
                    ? asMap(name).get("Fn::Sub") : null);
            assertThat(sub).as(id + " BucketName is a !Sub with variables").hasSize(2);
            String literal = ((String) sub.get(0)).replaceAll("\\$\\{[^}]+}", "");
            assertThat(literal).as(id + " name").matches("[a-z0-9.-]+");
            // Only variables that are lowercase whatever the user types (not AWS::StackName).
            Matcher variables = Pattern.compile("\\$\\{([^}]+)}").matcher((String) sub.get(0));
            while (variables.find()) {
                assertThat(variables.group(1)).isIn("AWS::AccountId", "AWS::Region", "StackIdSuffix");
            }
        }

        // The function refers to the upload bucket by the same !Sub (a !Ref would be a circular dependency).
        List<Object> uploadName = asList(asMap(TEMPLATE.properties(UPLOAD_BUCKET).get("BucketName")).get("Fn::Sub"));
        assertThat(asMap(TEMPLATE.environment().get("UPLOAD_BUCKET")).get("Fn::Sub")).isEqualTo(uploadName);
        List<Object> uploadResources = functionAllowStatements().stream()
            .flatMap(statement -> asList(statement.get("Resource")).stream())
            .filter(resource -> refersToUploadBucket(resource))
            .toList();
        assertThat(uploadResources).isNotEmpty().allSatisfy(resource -> {
            List<Object> sub = asList(asMap(resource).get("Fn::Sub"));
            assertThat(sub.get(1)).isEqualTo(uploadName.get(1));
            assertThat((String) sub.get(0)).isIn("arn:${AWS::Partition}:s3:::" + uploadName.get(0),
                    "arn:${AWS::Partition}:s3:::" + uploadName.get(0) + "/*");
        });
    }

    @Test
    void noPolicyAllowsAWildcardActionOrUsesAManagedPolicy() {
        List<Object> policies = asList(TEMPLATE.function().getValue().get("Policies"));
        // Only inline statements: no AWS managed policy (AmazonS3FullAccess...) and no SAM policy template,
        // whose grants are not visible here.
        assertThat(policies).isNotEmpty()
            .allSatisfy(policy -> assertThat(asMap(policy)).containsOnlyKeys("Version", "Statement"));

        List<Map<String, Object>> allows = new ArrayList<>(functionAllowStatements());
        TEMPLATE.resourcesOfType("AWS::S3::BucketPolicy")
            .forEach((id, policy) -> statements(map(policy, "PolicyDocument")).stream()
                .filter(statement -> "Allow".equals(statement.get("Effect")))
                .forEach(allows::add));
        // Grants live in the functions' Policies and the S3 Batch Operations role, where these checks see them; the one
        // role besides is the one S3 assumes to replicate to the peer region (TwoRegionTemplateTest checks its grants).
        assertThat(Stream.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
            .flatMap(type -> TEMPLATE.resourcesOfType(type).keySet().stream()))
            .containsExactlyInAnyOrder("ReplicationRole", BATCH_ROLE);
        allows.addAll(batchRoleAllowStatements());
        allows.addAll(allowStatements(SamTemplate.BACKFILL_FUNCTION));
        assertThat(TEMPLATE.properties(BATCH_ROLE)).doesNotContainKey("ManagedPolicyArns");

        // A Deny may (and for TLS should) cover every action; a grant never.
        assertThat(allows).isNotEmpty().allSatisfy(statement -> assertThat(asList(statement.get("Action")))
            .as("actions of %s", statement.get("Sid"))
            .isNotEmpty()
            .allSatisfy(action -> assertThat((String) action).doesNotContain("*").contains(":")));
        assertThat(allows).allSatisfy(statement -> assertThat(statement).doesNotContainKey("NotAction"));
    }

    @Test
    void theFunctionCanOnlyReadTheUploadBucketAndOnlyWriteThumbnails() {
        Set<String> onUploads = new TreeSet<>();
        Set<String> s3Writes = new TreeSet<>();
        for (Map<String, Object> statement : functionAllowStatements()) {
            List<Object> resources = asList(statement.get("Resource"));
            List<String> actions = asList(statement.get("Action")).stream().map(String.class::cast).toList();
            if (resources.stream().anyMatch(SamTemplateTest::refersToUploadBucket)) {
                onUploads.addAll(actions);
            }
            actions.stream().filter(action -> action.startsWith("s3:") && !isS3Read(action)).forEach(action -> {
                s3Writes.add(action);
                assertThat(resources).as(action)
                    .containsExactly(Map.of("Fn::Sub", "${" + PROCESSED_BUCKET + ".Arn}/thumbnails/*"));
            });
        }

        assertThat(onUploads).containsExactlyInAnyOrder("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket");
        // writes a thumbnail, and removes one whose upload was replaced by a file it rejects
        assertThat(s3Writes).containsExactly("s3:DeleteObject", "s3:PutObject");
        // and the upload bucket's policy denies writes by the function's role, whatever is added to the role later
        assertThat(bucketPolicyStatements(UPLOAD_BUCKET)).anySatisfy(statement -> {
            assertThat(statement).containsEntry("Effect", "Deny");
            assertThat(asList(statement.get("Action"))).contains("s3:PutObject", "s3:DeleteObject");
            assertThat(asList(map(map(statement, "Condition"), "ArnEquals").get("aws:PrincipalArn"))).containsExactly(
                    getAtt(TEMPLATE.function().getKey() + "Role", "Arn"),
                    getAtt(SamTemplate.BACKFILL_FUNCTION + "Role", "Arn"));
        });
    }

    @Test
    void theFunctionMayUseTheTableTopicAndFailureQueueAndNothingElse() {
        Map<String, Set<Object>> grants = new LinkedHashMap<>();
        for (Map<String, Object> statement : functionAllowStatements()) {
            for (Object action : asList(statement.get("Action"))) {
                grants.computeIfAbsent((String) action, a -> new HashSet<>())
                    .addAll(asList(statement.get("Resource")));
            }
        }

        String table = tableId();
        assertThat(grants).containsOnlyKeys("s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket",
                "s3:PutObject", "s3:DeleteObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "sns:Publish",
                "ssm:GetParameter");
        Stream.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
            .forEach(action -> assertThat(grants.get(action)).containsExactly(getAtt(table, "Arn")));
        assertThat(grants.get("sns:Publish")).containsExactly(ref(topicId()));
        // the standby gate's one parameter, nothing else in SSM
        assertThat(grants.get("ssm:GetParameter")).containsExactly(Map.of("Fn::Sub",
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ActiveRegionParameter}"));

        // SAM grants exactly sqs:SendMessage on the queue named as the on-failure destination.
        Map<String, Object> invokeConfig = map(TEMPLATE.function().getValue(), "EventInvokeConfig");
        assertThat((Integer) invokeConfig.get("MaximumRetryAttempts")).isBetween(0, 2);
        assertThat((Integer) invokeConfig.get("MaximumEventAgeInSeconds")).isBetween(60, 6 * 3600);
        Map<String, Object> onFailure = map(map(invokeConfig, "DestinationConfig"), "OnFailure");
        assertThat(onFailure).containsEntry("Type", "SQS");
        String queue = (String) asList(asMap(onFailure.get("Destination")).get("Fn::GetAtt")).getFirst();
        assertThat(TEMPLATE.resource(queue)).containsEntry("Type", "AWS::SQS::Queue");
    }

    @Test
    void theRoleGrantsWhatTheAdaptersCallAndNothingMore() throws IOException {
        // the two functions run the same adapters for different routes: together they call what either is granted
        Set<String> granted = new TreeSet<>();
        for (String function : TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet()) {
            allowStatements(function).forEach(statement -> asList(statement.get("Action"))
                .forEach(action -> granted.add((String) action)));
        }
        Set<String> called = actionsTheAdaptersCall();

        // A call without its grant fails on AWS only, with AccessDenied: add the action to template.yaml.
        assertThat(granted).as("actions the aws adapters call").containsAll(called);
        // A grant without a call is privilege nobody needs, except these, each for a reason:
        Set<String> notCalledButNeeded = Set.of(
                // S3 answers a read of a missing key with 403 instead of 404 NoSuchKey without it
                "s3:ListBucket",
                // reading the exact version an event names (the upload bucket is versioned)
                "s3:GetObjectVersion");
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called);
        assertThat(unused).as("granted but never called").isSubsetOf(notCalledButNeeded);
    }

    /** The IAM actions behind the AWS SDK calls in {@code src/main/java/.../aws}. */
    static Set<String> actionsTheAdaptersCall() throws IOException {
        Map<String, List<String>> actionsOf = Map.ofEntries(Map.entry("getObject", List.of("s3:GetObject")),
                Map.entry("getObjectAsBytes", List.of("s3:GetObject")),
                Map.entry("headObject", List.of("s3:GetObject")),
                Map.entry("putObject", List.of("s3:PutObject")),
                Map.entry("copyObject", List.of("s3:GetObject", "s3:PutObject")),
                Map.entry("deleteObject", List.of("s3:DeleteObject")),
                Map.entry("listObjectsV2", List.of("s3:ListBucket")),
                Map.entry("headBucket", List.of("s3:ListBucket")),
                Map.entry("getItem", List.of("dynamodb:GetItem")), Map.entry("putItem", List.of("dynamodb:PutItem")),
                Map.entry("updateItem", List.of("dynamodb:UpdateItem")),
                Map.entry("deleteItem", List.of("dynamodb:DeleteItem")), Map.entry("query", List.of("dynamodb:Query")),
                Map.entry("batchWriteItem", List.of("dynamodb:BatchWriteItem")),
                Map.entry("transactWriteItems", List.of("dynamodb:ConditionCheckItem", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem")),
                Map.entry("publish", List.of("sns:Publish")), Map.entry("createTopic", List.of("sns:CreateTopic")),
                Map.entry("getParameter", List.of("ssm:GetParameter")),
                Map.entry("getParameters", List.of("ssm:GetParameters")),
                Map.entry("getParametersByPath", List.of("ssm:GetParametersByPath")));
        Pattern call = Pattern.compile("\\.(" + String.join("|", actionsOf.keySet()) + ")\\(");
        Set<String> actions = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/github/lambdaimageprocessor/aws"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                call.matcher(Files.readString(file, StandardCharsets.UTF_8))
                    .results()
                    .forEach(m -> actions.addAll(actionsOf.get(m.group(1))));
            }
        }
        assertThat(actions).as("SDK calls found in the aws package").isNotEmpty();
        return actions;
    }

    @Test
    void theTableIsOnDemandRecoverableAndKeyedByIdAsTheCodeExpects() {
        Map<String, Object> table = TEMPLATE.properties(tableId());

        assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST");
        assertThat(asList(table.get("Replicas"))).isNotEmpty()
            .allSatisfy(replica -> assertThat(map(asMap(replica), "PointInTimeRecoverySpecification"))
                .containsEntry("PointInTimeRecoveryEnabled", true));
        assertThat(asList(table.get("KeySchema"))).containsExactly(Map.of("AttributeName", "id", "KeyType", "HASH"));
        assertThat(asList(table.get("AttributeDefinitions"))).containsExactly(
                Map.of("AttributeName", "id", "AttributeType", "S"),
                Map.of("AttributeName", "listing", "AttributeType", "S"),
                Map.of("AttributeName", "listedAt", "AttributeType", "S"));
    }

    @Test
    void theRecentIndexIsWhatGetImagesQueries() {
        List<Object> indexes = asList(TEMPLATE.properties(tableId()).get("GlobalSecondaryIndexes"));

        assertThat(indexes).singleElement().satisfies(index -> {
            assertThat(asMap(index)).containsEntry("IndexName", "recent");
            assertThat(asList(asMap(index).get("KeySchema"))).containsExactly(
                    Map.of("AttributeName", "listing", "KeyType", "HASH"),
                    Map.of("AttributeName", "listedAt", "KeyType", "RANGE"));
            assertThat(map(asMap(index), "Projection")).containsEntry("ProjectionType", "ALL");
        });
    }

    @Test
    void theUsersTopicIsEncryptedAndTheAlarmsTopicStaysPublishableByCloudWatch() {
        // the account's AWS managed key: usable through SNS by every principal of the account, no kms grant needed
        assertThat(TEMPLATE.properties(topicId())).containsEntry("KmsMasterKeyId", "alias/aws/sns");
        // CloudWatch cannot use an AWS managed key: an alarm topic encrypted with one receives no alarm, silently
        Object alarmsKey = TEMPLATE.properties("OperationsTopic").get("KmsMasterKeyId");
        assertThat(String.valueOf(alarmsKey)).as("the operations topic's key").doesNotContain("alias/aws/");
    }

    @Test
    void theFailureQueueIsEncryptedAndReachableOnlyOverTls() {
        String queue = functionQueueId();
        assertThat(TEMPLATE.properties(queue)).containsEntry("SqsManagedSseEnabled", true);

        Map<String, Map<String, Object>> policies = new LinkedHashMap<>(
                TEMPLATE.resourcesOfType("AWS::SQS::QueuePolicy"));
        policies.values().removeIf(policy -> !asList(policy.get("Queues")).contains(ref(queue)));
        assertThat(policies.values()).singleElement()
            .satisfies(policy -> assertThat(statements(map(policy, "PolicyDocument"))).anySatisfy(statement -> {
                assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Principal", "*");
                assertThat(asList(statement.get("Action"))).containsExactly("sqs:*");
                assertThat(asList(statement.get("Resource"))).containsExactly(getAtt(queue, "Arn"));
                assertThat(map(map(statement, "Condition"), "Bool")).containsEntry("aws:SecureTransport", "false");
            }));
    }

    @Test
    void theEmailSubscriptionExistsOnlyWhenAnAddressIsGiven() {
        Map<String, Map<String, Object>> subscriptions = new LinkedHashMap<>(
                TEMPLATE.resourcesOfType("AWS::SNS::Subscription"));
        subscriptions.values().removeIf(subscription -> !ref(topicId()).equals(subscription.get("TopicArn")));
        assertThat(subscriptions).hasSize(1);
        String id = subscriptions.keySet().iterator().next();
        Map<String, Object> subscription = subscriptions.get(id);

        assertThat(subscription).containsEntry("Protocol", "email")
            .containsEntry("Endpoint", ref("NotificationEmail"))
            .containsEntry("TopicArn", ref(topicId()));
        assertThat(TEMPLATE.parameters()).containsKey("NotificationEmail");
        assertThat(map(TEMPLATE.parameters(), "NotificationEmail")).containsEntry("Default", "");
        String condition = (String) TEMPLATE.resource(id).get("Condition");
        assertThat(TEMPLATE.conditions().get(condition))
            .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(ref("NotificationEmail"), "")))));
    }

    @Test
    void everyEnvironmentVariableTheCodeReadsIsDeclaredWithTheRightValue() throws IOException {
        Map<String, Object> environment = TEMPLATE.environment();

        assertThat(environment).containsKeys(variablesTheCodeReads().toArray(String[]::new));
        assertThat(environment).doesNotContainKeys(LAMBDA_RESERVED.toArray(String[]::new));
        assertThat(environment.get("MAIN_CLASS")).isEqualTo(ImageProcessorApplication.class.getName());
        assertThat(ImageProcessorApplication.class).hasAnnotation(SpringBootApplication.class);
        assertThat(environment).containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "processImage")
            .containsEntry("SPRING_PROFILES_ACTIVE", "aws")
            .containsEntry("PROCESSED_BUCKET", ref(PROCESSED_BUCKET))
            .containsEntry("DDB_TABLE", ref(tableId()))
            // Ref of a topic is its full ARN; with a bare name SnsTemplate would call CreateTopic.
            .containsEntry("SNS_TOPIC_ARN", ref(topicId()));
    }

    @Test
    void aDeliveryEndsWithinTheClaimLeaseSoAnOlderClaimIsOneWhoseClaimerIsGone() {
        Object timeout = TEMPLATE.function().getValue().get("Timeout");

        assertThat(java.time.Duration.ofSeconds(((Number) timeout).longValue()))
            .isLessThan(io.github.lambdaimageprocessor.processing.ImageProcessor.CLAIM_LEASE);
    }

    @Test
    void pinsTheJitToC1AsMeasuredForThisWorkload() {
        // docs/baseline-speed.md: C2 cost more on the first image and saved nothing measurable after it
        assertThat(TEMPLATE.environment()).containsEntry("JAVA_TOOL_OPTIONS",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    }

    @Test
    void theOutputsNameEverythingAUserLooksFor() {
        List<Object> values = TEMPLATE.outputs().values().stream().map(output -> asMap(output).get("Value")).toList();

        assertThat(values).contains(ref(UPLOAD_BUCKET), ref(PROCESSED_BUCKET), ref(tableId()), ref(topicId()),
                ref(functionQueueId()),
                ref(TEMPLATE.function().getKey() + "Alias" + TEMPLATE.function().getValue().get("AutoPublishAlias")));
    }

    /**
     * Environment variables named in our configuration ({@code ${NAME}} or {@code ${NAME:default}} placeholders
     * in {@code application*.yaml}/{@code .properties}) or read with {@code System.getenv}, plus the ones the
     * Lambda adapter reads.
     */
    static Set<String> variablesTheCodeReads() throws IOException {
        Set<String> names = new TreeSet<>(READ_BY_THE_LAMBDA_ADAPTER);
        for (Path root : List.of(Path.of("src/main/resources"), Path.of("src/main/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (name.matches("application.*\\.(ya?ml|properties)")) {
                        ENV_PLACEHOLDER.matcher(text).results().forEach(m -> names.add(m.group(1)));
                    }
                    if (name.endsWith(".java")) {
                        GETENV.matcher(text).results().forEach(m -> names.add(m.group(1)));
                    }
                }
            }
        }
        names.removeAll(LAMBDA_RESERVED);
        return names;
    }

    /** The alias of processImage, what S3 invokes. */
    private static String processImageAlias() {
        return TEMPLATE.function().getKey() + "Alias" + TEMPLATE.function().getValue().get("AutoPublishAlias");
    }

    private static String tableId() {
        // a global table from the first deployment: an AWS::DynamoDB::Table cannot become one without replacement
        return single("AWS::DynamoDB::GlobalTable");
    }

    /** The users' topic: one message per image. (The operations topic carries alarms only.) */
    private static String topicId() {
        return "NotificationTopic";
    }

    private static String functionQueueId() {
        return single("AWS::SQS::Queue");
    }

    private static String single(String type) {
        Set<String> ids = TEMPLATE.resourcesOfType(type).keySet();
        assertThat(ids).as(type).hasSize(1);
        return ids.iterator().next();
    }

    private static boolean isS3Read(String action) {
        return action.startsWith("s3:Get") || action.startsWith("s3:List");
    }

    /** The upload bucket, named by !Ref/!GetAtt/${UploadBucket...} or by its spelled-out name. */
    private static boolean refersToUploadBucket(Object resource) {
        String uploadName = (String) asList(asMap(TEMPLATE.properties(UPLOAD_BUCKET).get("BucketName")).get("Fn::Sub"))
            .getFirst();
        String text = String.valueOf(resource);
        return text.contains(UPLOAD_BUCKET) || text.contains(uploadName);
    }

    private static List<Map<String, Object>> functionAllowStatements() {
        return allowStatements(TEMPLATE.function().getKey());
    }

    static List<Map<String, Object>> allowStatements(String functionId) {
        return asList(TEMPLATE.function(functionId).getValue().get("Policies")).stream()
            .flatMap(policy -> statements(asMap(policy)).stream())
            .filter(statement -> "Allow".equals(statement.get("Effect")))
            .toList();
    }

    private static List<Map<String, Object>> bucketPolicyStatements(String bucketId) {
        return TEMPLATE.resourcesOfType("AWS::S3::BucketPolicy")
            .values()
            .stream()
            .filter(policy -> ref(bucketId).equals(policy.get("Bucket")))
            .flatMap(policy -> statements(map(policy, "PolicyDocument")).stream())
            .toList();
    }

    @Test
    void theBackfillFunctionIsTheSamePackageRunningBackfillImagesWithItsOwnAliasAndBoundedConcurrency()
            throws IOException {
        Map<String, Object> processImage = TEMPLATE.function().getValue();
        Map<String, Object> backfill = TEMPLATE.function(SamTemplate.BACKFILL_FUNCTION).getValue();

        for (String same : List.of("CodeUri", "Handler", "Runtime", "Architectures", "MemorySize", "RecursiveLoop")) {
            assertThat(backfill.get(same)).as(same).isEqualTo(processImage.get(same));
        }
        assertThat(TEMPLATE.resource(SamTemplate.BACKFILL_FUNCTION)).containsEntry("Metadata",
                Map.of("BuildMethod", "makefile"));
        assertThat(Files.readString(Path.of("Makefile"))).contains("build-" + SamTemplate.BACKFILL_FUNCTION + ":");
        assertThat(backfill.get("AutoPublishAlias")).isInstanceOf(String.class);
        assertThat(map(backfill, "SnapStart")).containsEntry("ApplyOn", "PublishedVersions");
        assertThat(backfill.get("ReservedConcurrentExecutions")).isEqualTo(ref("BackfillConcurrency"));
        // Lambda keeps 100 of an account's default 1000 unreserved
        assertThat(asMap(TEMPLATE.parameters().get("BackfillConcurrency"))).containsEntry("Type", "Number")
            .containsEntry("Default", 10)
            .containsEntry("MinValue", 0)
            .containsEntry("MaxValue", 900);
        // and refuses any reservation in an account whose limit is below 100 (new accounts start at 10 or 50): 0
        // reserves nothing, or the first deploy there fails on this function and rolls the whole stack back
        assertThat(SamTemplate.load().rendered(Map.of("BackfillConcurrency", "0"))
            .function(SamTemplate.BACKFILL_FUNCTION)
            .getValue()).doesNotContainKey("ReservedConcurrentExecutions");
        assertThat(SamTemplate.load().rendered(Map.of("BackfillConcurrency", "1"))
            .function(SamTemplate.BACKFILL_FUNCTION)
            .getValue()).containsEntry("ReservedConcurrentExecutions", ref("BackfillConcurrency"));
        // invoked synchronously by the job, never by S3 events
        assertThat(backfill).doesNotContainKeys("Events", "EventInvokeConfig");
        String logGroup = (String) asMap(map(backfill, "LoggingConfig").get("LogGroup")).get("Ref");
        assertThat(TEMPLATE.properties(logGroup)).containsKey("RetentionInDays");

        Map<String, Object> environment = TEMPLATE.environment(SamTemplate.BACKFILL_FUNCTION);
        Map<String, Object> expected = new LinkedHashMap<>(TEMPLATE.environment());
        expected.put("SPRING_CLOUD_FUNCTION_DEFINITION", "backfillImages");
        assertThat(environment).isEqualTo(expected);
        // the same grants as the upload function (the same adapters run), and a look at thumbnails under the output
        // prefix: a backfill counts an object done only with its thumbnail in place (a HeadObject, which needs
        // GetObject, and ListBucket for a missing one to be a 404)
        List<Map<String, Object>> backfillGrants = allowStatements(SamTemplate.BACKFILL_FUNCTION);
        List<Map<String, Object>> beyondUploads = new ArrayList<>(backfillGrants);
        beyondUploads.removeAll(functionAllowStatements());
        assertThat(backfillGrants).containsAll(functionAllowStatements());
        assertThat(beyondUploads).extracting(statement -> statement.get("Sid"))
            .containsExactly("CheckThumbnails", "TellMissingThumbnailsFromForbidden");
        assertThat(beyondUploads).extracting(statement -> asList(statement.get("Action")))
            .containsExactly(List.of("s3:GetObject"), List.of("s3:ListBucket"));
        assertThat(String.valueOf(beyondUploads.getFirst().get("Resource"))).contains("/thumbnails/*");
    }

    @Test
    void s3BatchOperationsMayInvokeOnlyTheBackfillAliasListUploadsAndWriteItsReportsUnderOnePrefix() {
        Map<String, Object> role = TEMPLATE.properties(BATCH_ROLE);
        Map<String, Object> trust = asMap(role.get("AssumeRolePolicyDocument"));
        assertThat(statements(trust)).singleElement().satisfies(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sts:AssumeRole");
            assertThat(map(statement, "Principal")).isEqualTo(Map.of("Service", "batchoperations.s3.amazonaws.com"));
            assertThat(map(map(statement, "Condition"), "StringEquals")).containsEntry("aws:SourceAccount",
                    ref("AWS::AccountId"));
        });

        Map<String, Set<Object>> grants = new LinkedHashMap<>();
        for (Map<String, Object> statement : batchRoleAllowStatements()) {
            for (Object action : asList(statement.get("Action"))) {
                grants.computeIfAbsent((String) action, a -> new HashSet<>()).addAll(asList(statement.get("Resource")));
            }
        }
        String alias = SamTemplate.BACKFILL_FUNCTION + "Alias"
                + TEMPLATE.function(SamTemplate.BACKFILL_FUNCTION).getValue().get("AutoPublishAlias");
        assertThat(grants).containsOnlyKeys("lambda:InvokeFunction", "s3:ListBucket", "s3:PutObject", "s3:GetObject",
                "s3:GetObjectVersion", "s3:GetBucketLocation");
        // the alias and its versions: never processImage, never the unqualified function
        assertThat(grants.get("lambda:InvokeFunction")).containsExactlyInAnyOrder(ref(alias),
                Map.of("Fn::Sub", "${" + SamTemplate.BACKFILL_FUNCTION + ".Arn}:*"));
        assertThat(grants.get("s3:ListBucket")).singleElement().matches(SamTemplateTest::refersToUploadBucket);
        Map<String, Object> jobFolder = Map.of("Fn::Sub", "${" + PROCESSED_BUCKET + ".Arn}/backfill-jobs/*");
        Stream.of("s3:PutObject", "s3:GetObject", "s3:GetObjectVersion")
            .forEach(action -> assertThat(grants.get(action)).as(action).containsExactly(jobFolder));
        assertThat(grants.get("s3:GetBucketLocation")).containsExactly(getAtt(PROCESSED_BUCKET, "Arn"));
        assertThat(TEMPLATE.outputs()).containsKeys("BackfillFunctionAliasArn", "BatchOperationsRoleArn");
    }

    private static List<Map<String, Object>> batchRoleAllowStatements() {
        return asList(TEMPLATE.properties(BATCH_ROLE).get("Policies")).stream()
            .flatMap(policy -> statements(map(asMap(policy), "PolicyDocument")).stream())
            .filter(statement -> "Allow".equals(statement.get("Effect")))
            .toList();
    }

    private static List<Map<String, Object>> statements(Map<String, Object> document) {
        return asList(document.get("Statement")).stream().map(SamTemplate::asMap).toList();
    }
}
