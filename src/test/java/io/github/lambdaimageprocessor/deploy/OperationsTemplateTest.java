package io.github.lambdaimageprocessor.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.processing.Status;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.DefaultValue;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asList;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.getAtt;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.map;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations part of {@code template.yaml}: alarms and where they go, the dashboard (its body parsed as the JSON
 * CloudWatch will read), and the upload bucket's archive lifecycle. What cfn-lint cannot know: that the alarms watch
 * this function and this queue, that thresholds are parameters with sensible defaults, and that the dashboard shows
 * the very metrics the code writes.
 */
class OperationsTemplateTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String OPERATIONS_TOPIC = "OperationsTopic";

    private static final String FAILURE_QUEUE = "FailureQueue";

    private static final String UPLOADS_API = "UploadsHttpApi";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /**
     * Namespace and metric of every alarm the template must have: CloudWatch's recommended Lambda and SQS alarms, and
     * the upload API's server errors (its function answers a failure as a 500 problem, which Lambda does not count
     * as an error: only API Gateway's {@code 5xx} sees it).
     */
    private static final Set<String> ALARMED = Set.of("AWS/Lambda Errors", "AWS/Lambda Throttles",
            "AWS/Lambda AsyncEventsDropped", "AWS/Lambda DestinationDeliveryFailures", "AWS/Lambda AsyncEventAge",
            "AWS/Lambda Duration", "AWS/SQS ApproximateNumberOfMessagesVisible",
            "AWS/SQS ApproximateAgeOfOldestMessage", "AWS/ApiGateway 5xx");

    private static Map<String, Map<String, Object>> alarms() {
        return TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm");
    }

    @Test
    void alarmsWatchTheFunctionsErrorsThrottlesAsyncEventsDurationTheFailureQueueAndTheUploadApi() {
        List<String> watched = alarms().values().stream()
            .map(alarm -> alarm.get("Namespace") + " " + alarm.get("MetricName"))
            .toList();

        assertThat(watched).containsExactlyInAnyOrderElementsOf(ALARMED);
        alarms().forEach((id, alarm) -> {
            if ("AWS/Lambda".equals(alarm.get("Namespace"))) {
                // by function name: every version, so the alias S3 invokes too
                assertThat(asList(alarm.get("Dimensions"))).as(id).containsExactly(
                        Map.of("Name", "FunctionName", "Value", ref(TEMPLATE.function().getKey())));
            }
            else if ("AWS/SQS".equals(alarm.get("Namespace"))) {
                assertThat(asList(alarm.get("Dimensions"))).as(id).containsExactly(
                        Map.of("Name", "QueueName", "Value", getAtt(FAILURE_QUEUE, "QueueName")));
            }
            else {
                // an HTTP API's metrics are per ApiId (REST APIs' ApiName and 5XXError would never have data)
                assertThat(asList(alarm.get("Dimensions"))).as(id).containsExactly(
                        Map.of("Name", "ApiId", "Value", ref(UPLOADS_API)));
                assertThat(TEMPLATE.resource(UPLOADS_API)).containsEntry("Type", "AWS::ApiGatewayV2::Api");
            }
            // a Unit other than the one the metric is published with would leave the alarm without data
            assertThat(alarm).as(id).doesNotContainKey("Unit");
            assertThat(alarm).as(id).containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsKey("AlarmDescription");
        });
        // the on-failure destination is the queue the alarms watch
        Map<String, Object> onFailure = map(map(map(TEMPLATE.function().getValue(), "EventInvokeConfig"),
                "DestinationConfig"), "OnFailure");
        assertThat(onFailure.get("Destination")).isEqualTo(getAtt(FAILURE_QUEUE, "Arn"));
    }

    /**
     * An alarm's description is what the on-call engineer reads in the page: the replay it names must be one that runs.
     * A bare {@code java -jar ... redrive} starts in profile local, which has no such command (exit 2).
     */
    @Test
    void anAlarmThatSaysReplayPointsAtTheRunbookAndGivesNoCommandThatCannotRun() {
        alarms().forEach((id, alarm) -> {
            String description = (String) alarm.get("AlarmDescription");
            assertThat(description.length()).as(id).isLessThanOrEqualTo(1024);
            if (description.contains("redrive")) {
                assertThat(description).as(id).contains("docs/operations.md");
            }
            if (description.contains("java -jar")) {
                assertThat(description).as(id).contains("SPRING_PROFILES_ACTIVE=aws", "AWS_REGION=");
            }
        });
    }

    @Test
    void theDurationAlarmIsOnTheP99AndBelowTheTimeout() {
        Map<String, Object> duration = alarmOf("Duration");
        int timeoutMs = (Integer) TEMPLATE.function().getValue().get("Timeout") * 1000;

        assertThat(duration).containsEntry("ExtendedStatistic", "p99").doesNotContainKey("Statistic");
        assertThat(thresholdDefault(duration)).isBetween(timeoutMs / 2, timeoutMs - 1);
    }

    @Test
    void everyThresholdIsAParameterWithASensibleDefault() {
        Map<String, Object> invokeConfig = map(TEMPLATE.function().getValue(), "EventInvokeConfig");
        int maxEventAgeMs = (Integer) invokeConfig.get("MaximumEventAgeInSeconds") * 1000;
        int retentionSeconds = (Integer) TEMPLATE.properties(FAILURE_QUEUE).get("MessageRetentionPeriod");

        alarms().forEach((id, alarm) -> {
            String parameter = (String) asMap(alarm.get("Threshold")).get("Ref");
            Map<String, Object> declared = map(TEMPLATE.parameters(), parameter);
            assertThat(declared).as(parameter).containsEntry("Type", "Number").containsKey("Description");
            assertThat(((Number) declared.get("Default")).intValue()).as(parameter)
                .isGreaterThanOrEqualTo(((Number) declared.get("MinValue")).intValue());
        });
        // counts alarm on the first occurrence: each is an upload retried, late or lost
        Stream.of("Errors", "Throttles", "AsyncEventsDropped", "DestinationDeliveryFailures",
                "ApproximateNumberOfMessagesVisible", "5xx")
            .forEach(metric -> assertThat(thresholdDefault(alarmOf(metric))).as(metric).isEqualTo(1));
        // ages alarm before the event or message is gone (AsyncEventAge is published in milliseconds)
        assertThat(thresholdDefault(alarmOf("AsyncEventAge"))).isLessThan(maxEventAgeMs);
        assertThat(thresholdDefault(alarmOf("ApproximateAgeOfOldestMessage"))).isLessThan(retentionSeconds / 2);
    }

    @Test
    void everyAlarmAndItsRecoveryGoToTheOperationsTopicNotTheUsersTopic() {
        alarms().forEach((id, alarm) -> {
            assertThat(asList(alarm.get("AlarmActions"))).as(id).containsExactly(ref(OPERATIONS_TOPIC));
            assertThat(asList(alarm.get("OKActions"))).as(id).containsExactly(ref(OPERATIONS_TOPIC));
        });
        assertThat(TEMPLATE.resource(OPERATIONS_TOPIC)).containsEntry("Type", "AWS::SNS::Topic");
        assertThat(TEMPLATE.environment()).doesNotContainValue(ref(OPERATIONS_TOPIC));
        assertThat(TEMPLATE.outputs().values()).anySatisfy(
                output -> assertThat(asMap(output).get("Value")).isEqualTo(ref(OPERATIONS_TOPIC)));
    }

    @Test
    void theOperationsEmailIsSubscribedOnlyWhenGiven() {
        List<String> subscriptions = TEMPLATE.resourcesOfType("AWS::SNS::Subscription").entrySet().stream()
            .filter(entry -> ref(OPERATIONS_TOPIC).equals(entry.getValue().get("TopicArn")))
            .map(Map.Entry::getKey)
            .toList();

        assertThat(subscriptions).hasSize(1);
        String id = subscriptions.getFirst();
        assertThat(TEMPLATE.properties(id)).containsEntry("Protocol", "email")
            .containsEntry("Endpoint", ref("OperationsEmail"));
        assertThat(map(TEMPLATE.parameters(), "OperationsEmail")).containsEntry("Default", "");
        assertThat(TEMPLATE.conditions().get((String) TEMPLATE.resource(id).get("Condition")))
            .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(ref("OperationsEmail"), "")))));
    }

    @Test
    void theDashboardIsValidJsonShowingEveryAlarmAndTheMetricsTheCodeWrites() throws Exception {
        Map<String, Map<String, Object>> dashboards = TEMPLATE.resourcesOfType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        String body = (String) asMap(dashboards.values().iterator().next().get("DashboardBody")).get("Fn::Sub");

        // every ${...} names a parameter, a resource (attribute) or a pseudo parameter, as !Sub requires
        Set<String> placeholders = new LinkedHashSet<>();
        PLACEHOLDER.matcher(body).results().forEach(m -> placeholders.add(m.group(1)));
        assertThat(placeholders).allSatisfy(name -> assertThat(name.startsWith("AWS::")
                || TEMPLATE.parameters().containsKey(name)
                || TEMPLATE.resources().containsKey(name.split("\\.")[0])).as(name).isTrue());

        JsonNode dashboard = JSON.readTree(substitute(body));
        List<JsonNode> widgets = new ArrayList<>();
        dashboard.get("widgets").forEach(widgets::add);
        assertThat(widgets).isNotEmpty().allSatisfy(widget -> {
            assertThat(widget.get("type").asString()).isIn("metric", "alarm", "text");
            assertThat(widget.get("properties").get("title").asString()).isNotBlank();
        });

        // the alarm widget lists every alarm
        List<String> alarmArns = new ArrayList<>();
        widgets.stream().filter(w -> w.get("type").asString().equals("alarm"))
            .forEach(w -> w.get("properties").get("alarms").forEach(arn -> alarmArns.add(arn.asString())));
        assertThat(alarmArns).containsExactlyInAnyOrderElementsOf(
                alarms().keySet().stream().map(id -> "<" + id + ".Arn>").toList());

        // every metric line: [namespace, name, dimension, value, ..., {options}]
        List<List<String>> lines = new ArrayList<>();
        widgets.stream().filter(w -> w.get("type").asString().equals("metric"))
            .forEach(w -> w.get("properties").get("metrics").forEach(line -> {
                List<String> strings = new ArrayList<>();
                line.forEach(part -> {
                    if (part.isString()) {
                        strings.add(part.asString());
                    }
                });
                lines.add(strings);
            }));
        Set<String> shown = new LinkedHashSet<>();
        lines.forEach(line -> shown.add(line.get(0) + " " + line.get(1)));
        // what the alarms watch, and what the function writes (EmfOutcomeMetrics), under its namespace
        assertThat(shown).containsAll(ALARMED);
        // the upload API's lines name it as its alarm does
        assertThat(lines.stream().filter(line -> line.get(0).equals("AWS/ApiGateway")).toList()).isNotEmpty()
            .allSatisfy(line -> assertThat(line.subList(2, 4)).containsExactly("ApiId", "<" + UPLOADS_API + ">"));
        String namespace = defaultOf(ImageProcessorProperties.Metrics.class, "namespace");
        assertThat(shown).contains(namespace + " Images", namespace + " ProcessingTime", namespace + " InputBytes",
                namespace + " OutputBytes", namespace + " ColdStart");
        List<List<String>> ours = lines.stream().filter(line -> line.get(0).equals(namespace)).toList();
        // the Service dimension is the stack name, as the function is told in IMAGE_PROCESSOR_METRICS_SERVICE
        assertThat(TEMPLATE.environment()).containsEntry("IMAGE_PROCESSOR_METRICS_SERVICE", ref("AWS::StackName"));
        assertThat(ours).allSatisfy(line -> assertThat(line.subList(2, 4)).containsExactly("Service",
                "<AWS::StackName>"));
        Set<String> outcomes = new LinkedHashSet<>();
        ours.stream().filter(line -> line.get(1).equals("Images"))
            .forEach(line -> outcomes.add(line.get(line.indexOf("Outcome") + 1)));
        List<String> expected = new ArrayList<>(Arrays.stream(Status.values()).map(Status::name).toList());
        expected.add("FAILED");
        assertThat(outcomes).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void originalsAndTheirOldVersionsMoveToTheChosenStorageClassWhileThumbnailsNeverDo() {
        Map<String, Object> archiveClass = map(TEMPLATE.parameters(), "ArchiveStorageClass");
        // Glacier Instant Retrieval by default: the function and a backfill can still read an archived original
        assertThat(archiveClass).containsEntry("Default", "GLACIER_IR");
        assertThat(asList(archiveClass.get("AllowedValues"))).contains("GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")
            .doesNotContain("STANDARD");
        Map<String, Object> archived = Map.of("StorageClass", ref("ArchiveStorageClass"), "TransitionInDays",
                ref("ArchiveAfterDays"));

        List<Map<String, Object>> uploadRules = rules("UploadBucket");
        assertThat(uploadRules).anySatisfy(rule -> {
            assertThat(rule).containsEntry("Status", "Enabled").doesNotContainKey("Prefix").doesNotContainKey("Filter");
            assertThat(asList(rule.get("Transitions"))).containsExactly(archived);
            assertThat(asList(rule.get("NoncurrentVersionTransitions"))).containsExactly(archived);
            // a transition and an expiration in one rule must be ordered; they are separate parameters
            assertThat(rule).doesNotContainKeys("ExpirationInDays", "NoncurrentVersionExpiration");
        });
        assertThat(uploadRules).anySatisfy(rule -> {
            assertThat(map(rule, "NoncurrentVersionExpiration"))
                .containsEntry("NoncurrentDays", ref("OldVersionsRetentionDays"));
            // the delete marker of a deleted upload goes too, once the versions behind it have expired
            assertThat(rule).containsEntry("ExpiredObjectDeleteMarker", true);
        });
        // a REJECTED upload deletes its key's thumbnail, a delete marker even where there was none to hide: removed
        // once the versions behind it have expired, as in the upload bucket
        assertThat(rules("ProcessedBucket")).filteredOn(rule -> rule.containsKey("NoncurrentVersionExpiration"))
            .singleElement()
            .satisfies(rule -> assertThat(rule).containsEntry("ExpiredObjectDeleteMarker", true));
        assertThat(rules("ProcessedBucket")).isNotEmpty().allSatisfy(rule -> assertThat(rule)
            .doesNotContainKeys("Transitions", "Transition", "NoncurrentVersionTransitions",
                    "NoncurrentVersionTransition"));
        // the default waits long enough for every allowed class (STANDARD_IA and ONEZONE_IA need 30 days)
        assertThat(((Number) map(TEMPLATE.parameters(), "ArchiveAfterDays").get("Default")).intValue())
            .isGreaterThanOrEqualTo(30);
    }

    /** S3 refuses a transition to STANDARD_IA or ONEZONE_IA before 30 days: refused before the stack changes. */
    @Test
    void theInfrequentAccessClassesAreRefusedBeforeThirtyDays() {
        assertThat(TEMPLATE.brokenRules(Map.of())).isEmpty();
        for (String storageClass : List.of("STANDARD_IA", "ONEZONE_IA")) {
            assertThat(TEMPLATE.brokenRules(Map.of("ArchiveStorageClass", storageClass, "ArchiveAfterDays", "29")))
                .as(storageClass)
                .singleElement()
                .satisfies(description -> assertThat(description).contains("ArchiveAfterDays of 30 or more"));
            assertThat(TEMPLATE.brokenRules(Map.of("ArchiveStorageClass", storageClass, "ArchiveAfterDays", "1")))
                .as(storageClass)
                .hasSize(1);
            assertThat(TEMPLATE.brokenRules(Map.of("ArchiveStorageClass", storageClass, "ArchiveAfterDays", "30")))
                .as(storageClass)
                .isEmpty();
        }
        for (String storageClass : List.of("GLACIER_IR", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE")) {
            assertThat(TEMPLATE.brokenRules(Map.of("ArchiveStorageClass", storageClass, "ArchiveAfterDays", "1")))
                .as(storageClass)
                .isEmpty();
        }
    }

    private static List<Map<String, Object>> rules(String bucket) {
        return asList(map(TEMPLATE.properties(bucket), "LifecycleConfiguration").get("Rules")).stream()
            .map(SamTemplate::asMap)
            .toList();
    }

    private static Map<String, Object> alarmOf(String metric) {
        List<Map<String, Object>> found = alarms().values().stream()
            .filter(alarm -> metric.equals(alarm.get("MetricName")))
            .toList();
        assertThat(found).as(metric).hasSize(1);
        return found.getFirst();
    }

    private static int thresholdDefault(Map<String, Object> alarm) {
        String parameter = (String) asMap(alarm.get("Threshold")).get("Ref");
        return ((Number) map(TEMPLATE.parameters(), parameter).get("Default")).intValue();
    }

    /**
     * The body as CloudFormation would produce it, with each {@code ${Name}} replaced by {@code <Name>} inside JSON
     * strings and by a number outside them (numeric parameters such as an annotation's value).
     */
    private static String substitute(String body) {
        StringBuilder out = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(body);
        int last = 0;
        while (matcher.find()) {
            String before = body.substring(last, matcher.start());
            out.append(before);
            boolean inString = body.substring(0, matcher.start()).chars().filter(c -> c == '"').count() % 2 == 1;
            out.append(inString ? "<" + matcher.group(1) + ">" : "1");
            last = matcher.end();
        }
        return out.append(body.substring(last)).toString();
    }

    /** The {@code @DefaultValue} of a properties record component (on its canonical constructor's parameter). */
    private static String defaultOf(Class<? extends Record> type, String component) throws NoSuchMethodException {
        var components = type.getRecordComponents();
        var parameters = type.getDeclaredConstructor(Arrays.stream(components)
            .map(java.lang.reflect.RecordComponent::getType)
            .toArray(Class<?>[]::new)).getParameters();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(component)) {
                return parameters[i].getAnnotation(DefaultValue.class).value()[0];
            }
        }
        throw new NoSuchMethodException(component);
    }
}
