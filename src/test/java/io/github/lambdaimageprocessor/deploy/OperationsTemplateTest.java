package io.github.lambdaimageprocessor.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    /** The one alarm on a metric math expression; every other alarm watches one metric. */
    private static final String SILENCE_ALARM = "SilenceAlarm";

    private static final String SILENCE_HOURS = "SilenceAlarmHours";

    /** Every alarm the template declares, whatever its condition. */
    private static Map<String, Map<String, Object>> alarms() {
        return alarms(TEMPLATE);
    }

    private static Map<String, Map<String, Object>> alarms(SamTemplate template) {
        return template.resourcesOfType("AWS::CloudWatch::Alarm");
    }

    /** The alarms that watch one metric against a threshold parameter. */
    private static Map<String, Map<String, Object>> singleMetricAlarms() {
        Map<String, Map<String, Object>> single = new LinkedHashMap<>(alarms());
        single.keySet().removeIf(id -> !single.get(id).containsKey("MetricName"));
        return single;
    }

    @Test
    void alarmsWatchTheFunctionsErrorsThrottlesAsyncEventsDurationTheFailureQueueAndTheUploadApi() {
        List<String> watched = singleMetricAlarms().values().stream()
            .map(alarm -> alarm.get("Namespace") + " " + alarm.get("MetricName"))
            .toList();

        assertThat(watched).containsExactlyInAnyOrderElementsOf(ALARMED);
        // the one other alarm is the silence alarm, checked below: no alarm goes unchecked
        assertThat(alarms().keySet()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(singleMetricAlarms().keySet().stream(), Stream.of(SILENCE_ALARM))
                    .toList());
        singleMetricAlarms().forEach((id, alarm) -> {
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

        singleMetricAlarms().forEach((id, alarm) -> {
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
        // without the silence alarm (the default) and with it: the dashboard shows the alarms each form has
        List<String> withoutSilenceAlarm = dashboardMetrics(TEMPLATE.rendered(Map.of()));
        List<String> withSilenceAlarm = dashboardMetrics(TEMPLATE.rendered(Map.of(SILENCE_HOURS, "6")));

        // the upload bucket's PUT requests beside the invocations, only where its metrics configuration makes them
        assertThat(withoutSilenceAlarm).noneMatch(line -> line.startsWith("AWS/S3 "));
        assertThat(withSilenceAlarm).contains("AWS/S3 PutRequests BucketName <UploadBucket> FilterId EntireBucket",
                "AWS/Lambda Invocations FunctionName <" + TEMPLATE.function().getKey() + ">");
    }

    /**
     * Checks the dashboard of a form of the template, and returns its metric lines as "namespace name dimension
     * value ...".
     */
    private static List<String> dashboardMetrics(SamTemplate form) throws Exception {
        Map<String, Map<String, Object>> dashboards = form.resourcesOfType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        List<Object> sub = asList(asMap(dashboards.values().iterator().next().get("DashboardBody")).get("Fn::Sub"));
        String body = (String) sub.getFirst();
        // the body's own variables (parts that depend on a condition), as the form renders them
        if (sub.size() > 1) {
            for (Map.Entry<String, Object> variable : asMap(sub.get(1)).entrySet()) {
                Object value = variable.getValue();
                String text = value instanceof String plain ? plain : (String) asMap(value).get("Fn::Sub");
                body = body.replace("${" + variable.getKey() + "}", text);
            }
        }

        // every ${...} names a parameter, a resource (attribute) or a pseudo parameter, as !Sub requires, and one
        // this form has
        Set<String> placeholders = new LinkedHashSet<>();
        PLACEHOLDER.matcher(body).results().forEach(m -> placeholders.add(m.group(1)));
        assertThat(placeholders).allSatisfy(name -> assertThat(name.startsWith("AWS::")
                || form.parameters().containsKey(name)
                || form.resources().containsKey(name.split("\\.")[0])).as(name).isTrue());

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
                alarms(form).keySet().stream().map(id -> "<" + id + ".Arn>").toList());

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
        assertThat(form.environment()).containsEntry("IMAGE_PROCESSOR_METRICS_SERVICE", ref("AWS::StackName"));
        assertThat(ours).allSatisfy(line -> assertThat(line.subList(2, 4)).containsExactly("Service",
                "<AWS::StackName>"));
        Set<String> outcomes = new LinkedHashSet<>();
        ours.stream().filter(line -> line.get(1).equals("Images"))
            .forEach(line -> outcomes.add(line.get(line.indexOf("Outcome") + 1)));
        List<String> expected = new ArrayList<>(Arrays.stream(Status.values()).map(Status::name).toList());
        expected.add("FAILED");
        assertThat(outcomes).containsExactlyInAnyOrderElementsOf(expected);
        return lines.stream().map(line -> String.join(" ", line)).toList();
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

    /** Many stacks see no upload for days: by default no silence alarm, and no request metrics billed for it. */
    @Test
    void noSilenceAlarmNorRequestMetricsByDefault() {
        SamTemplate deployed = TEMPLATE.rendered(Map.of());

        assertThat(map(TEMPLATE.parameters(), SILENCE_HOURS)).containsEntry("Default", 0);
        assertThat(alarms(deployed)).doesNotContainKey(SILENCE_ALARM);
        assertThat(deployed.properties("UploadBucket")).doesNotContainKey("MetricsConfigurations");
        assertThat(alarms(TEMPLATE.rendered(Map.of(SILENCE_HOURS, "1")))).containsKey(SILENCE_ALARM);
    }

    /**
     * The pipeline gone silent (the notification removed, S3's permission to invoke lost): uploads in the window and no
     * invocation is an alarm; a quiet window, with or without invocations, is none.
     */
    @Test
    void theSilenceAlarmFiresOnUploadsWithoutAnInvocationOverTheChosenHours() {
        for (String hours : List.of("1", "6", "24", "168")) {
            SamTemplate deployed = TEMPLATE.rendered(Map.of(SILENCE_HOURS, hours));
            Map<String, Object> alarm = alarms(deployed).get(SILENCE_ALARM);
            assertThat(alarm).as(hours).isNotNull();

            Map<String, Map<String, Object>> queries = new LinkedHashMap<>();
            asList(alarm.get("Metrics")).stream().map(SamTemplate::asMap)
                .forEach(query -> queries.put((String) query.get("Id"), query));
            List<Map<String, Object>> metrics = queries.values().stream()
                .filter(query -> query.containsKey("MetricStat"))
                .toList();
            assertThat(metrics).hasSize(2).allSatisfy(query -> {
                Map<String, Object> stat = map(query, "MetricStat");
                assertThat(stat).containsEntry("Stat", "Sum");
                // one window of the chosen length, as the mapping turns hours into seconds
                assertThat(periodSeconds(stat.get("Period"), hours)).isEqualTo(Integer.parseInt(hours) * 3600);
                assertThat(query).containsEntry("ReturnData", false);
            });
            String uploads = idOf(queries, "AWS/S3", "PutRequests");
            String invocations = idOf(queries, "AWS/Lambda", "Invocations");
            // the upload bucket, through the metrics configuration the bucket has in this form
            Map<String, Object> configuration = asMap(
                    asList(deployed.properties("UploadBucket").get("MetricsConfigurations")).getFirst());
            assertThat(asList(map(map(queries.get(uploads), "MetricStat"), "Metric").get("Dimensions")))
                .containsExactly(Map.of("Name", "BucketName", "Value", ref("UploadBucket")),
                        Map.of("Name", "FilterId", "Value", configuration.get("Id")));
            assertThat(configuration).containsOnlyKeys("Id");
            // processImage by name: every version, so the alias S3 invokes too
            assertThat(asList(map(map(queries.get(invocations), "MetricStat"), "Metric").get("Dimensions")))
                .containsExactly(Map.of("Name", "FunctionName", "Value", ref(TEMPLATE.function().getKey())));

            List<Map<String, Object>> returned = queries.values().stream()
                .filter(query -> Boolean.TRUE.equals(query.get("ReturnData")))
                .toList();
            assertThat(returned).hasSize(1);
            String expression = (String) returned.getFirst().get("Expression");
            assertThat(alarm).containsEntry("EvaluationPeriods", 1).containsEntry("TreatMissingData", "notBreaching");
            // CloudWatch has no data point for a window without requests: null here, as the alarm sees it
            assertThat(fires(alarm, expression, Map.of(uploads, 3.0))).as("uploads, no invocation").isTrue();
            assertThat(fires(alarm, expression, Map.of(uploads, 3.0, invocations, 3.0))).as("processed").isFalse();
            assertThat(fires(alarm, expression, Map.of(uploads, 1.0, invocations, 1.0))).as("one processed").isFalse();
            assertThat(fires(alarm, expression, Map.of())).as("a quiet window").isFalse();
            assertThat(fires(alarm, expression, Map.of(invocations, 2.0))).as("retries, redrives").isFalse();
            assertThat(fires(alarm, expression, Map.of(uploads, 0.0, invocations, 0.0))).as("zeros").isFalse();
        }
    }

    /**
     * CloudFormation cannot multiply hours into a period, and CloudWatch refuses an alarm whose period times its
     * evaluation periods exceeds 7 days (604800 s; 1 day for periods under an hour): a value outside the mapping is
     * refused with the parameters, before the stack changes, not by CloudWatch in the middle of an update.
     */
    @Test
    void aSilenceWindowCloudWatchWouldRefuseIsRefusedBeforeTheStackChanges() {
        Map<String, Object> periods = map(TEMPLATE.mappings(), "SilenceAlarmPeriods");
        List<String> allowed = asList(map(TEMPLATE.parameters(), SILENCE_HOURS).get("AllowedValues")).stream()
            .map(String::valueOf)
            .toList();

        // every value but 0 has its period, and every period is one CloudWatch takes for a one-period alarm
        assertThat(allowed).contains("0", "1", "24", "168");
        assertThat(periods.keySet()).containsExactlyInAnyOrderElementsOf(
                allowed.stream().filter(hours -> !hours.equals("0")).toList());
        periods.forEach((hours, period) -> assertThat(((Number) asMap(period).get("Seconds")).intValue()).as(hours)
            .isEqualTo(Integer.parseInt(hours) * 3600)
            .isBetween(3600, 604800));
        for (String refused : List.of("169", "200", "-1", "0.5", "25", "1.5", "", "six")) {
            assertThat(TEMPLATE.accepts(SILENCE_HOURS, refused)).as(refused).isFalse();
        }
        assertThat(TEMPLATE.accepts(SILENCE_HOURS, "0")).isTrue();
        assertThat(TEMPLATE.accepts(SILENCE_HOURS, "168")).isTrue();
    }

    /** The seconds a silence-alarm period resolves to for these hours ({@code Fn::FindInMap} on the hours). */
    private static int periodSeconds(Object period, String hours) {
        List<Object> find = asList(asMap(period).get("Fn::FindInMap"));
        assertThat(find.get(1)).isEqualTo(ref(SILENCE_HOURS));
        Map<String, Object> entry = map(map(TEMPLATE.mappings(), (String) find.get(0)), hours);
        return ((Number) entry.get(find.get(2))).intValue();
    }

    private static String idOf(Map<String, Map<String, Object>> queries, String namespace, String metric) {
        List<String> ids = queries.entrySet().stream().filter(entry -> entry.getValue().containsKey("MetricStat"))
            .filter(entry -> {
                Map<String, Object> m = map(map(entry.getValue(), "MetricStat"), "Metric");
                return namespace.equals(m.get("Namespace")) && metric.equals(m.get("MetricName"));
            })
            .map(Map.Entry::getKey)
            .toList();
        assertThat(ids).as(namespace + " " + metric).hasSize(1);
        return ids.getFirst();
    }

    /** Whether the alarm would be in ALARM with these window sums (an absent id: no data point). */
    private static boolean fires(Map<String, Object> alarm, String expression, Map<String, Double> sums) {
        Double value = new MetricMath(expression, sums).evaluate();
        if (value == null) {
            assertThat(alarm.get("TreatMissingData")).isEqualTo("notBreaching");
            return false;
        }
        double threshold = ((Number) alarm.get("Threshold")).doubleValue();
        return switch ((String) alarm.get("ComparisonOperator")) {
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "GreaterThanThreshold" -> value > threshold;
            case "LessThanThreshold" -> value < threshold;
            case "LessThanOrEqualToThreshold" -> value <= threshold;
            default -> throw new IllegalStateException("comparison " + alarm.get("ComparisonOperator"));
        };
    }

    /**
     * The part of CloudWatch's metric math an alarm expression here uses, over one data point per metric: numbers,
     * metric ids, {@code IF(condition, a, b)}, {@code FILL(m, value)}, comparisons, {@code AND}, {@code OR} and
     * arithmetic. A missing data point is null and stays null through everything but FILL.
     */
    private static final class MetricMath {

        private final Map<String, Double> values;

        private final List<String> tokens = new ArrayList<>();

        private int next;

        MetricMath(String expression, Map<String, Double> values) {
            this.values = values;
            Matcher token = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*|[0-9.]+|==|!=|<=|>=|&&|\\|\\||[-+*/(),<>])")
                .matcher(expression);
            int end = 0;
            while (token.lookingAt()) {
                tokens.add(token.group(1));
                end = token.end();
                token.region(end, expression.length());
            }
            assertThat(expression.substring(end).trim()).as("unparsed part of " + expression).isEmpty();
        }

        Double evaluate() {
            Double value = or();
            assertThat(next).as("tokens read").isEqualTo(tokens.size());
            return value;
        }

        private Double or() {
            Double left = and();
            while (accept("OR") || accept("||")) {
                Double right = and();
                left = left == null || right == null ? null : (left != 0 || right != 0) ? 1.0 : 0.0;
            }
            return left;
        }

        private Double and() {
            Double left = comparison();
            while (accept("AND") || accept("&&")) {
                Double right = comparison();
                left = left == null || right == null ? null : (left != 0 && right != 0) ? 1.0 : 0.0;
            }
            return left;
        }

        private Double comparison() {
            Double left = sum();
            for (String operator : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (accept(operator)) {
                    Double right = sum();
                    if (left == null || right == null) {
                        return null;
                    }
                    boolean holds = switch (operator) {
                        case "==" -> left.equals(right);
                        case "!=" -> !left.equals(right);
                        case "<=" -> left <= right;
                        case ">=" -> left >= right;
                        case "<" -> left < right;
                        default -> left > right;
                    };
                    return holds ? 1.0 : 0.0;
                }
            }
            return left;
        }

        private Double sum() {
            Double left = product();
            while (peek("+") || peek("-")) {
                boolean plus = accept("+") || !accept("-");
                Double right = product();
                left = left == null || right == null ? null : plus ? left + right : left - right;
            }
            return left;
        }

        private Double product() {
            Double left = primary();
            while (peek("*") || peek("/")) {
                boolean times = accept("*") || !accept("/");
                Double right = primary();
                left = left == null || right == null ? null : times ? left * right : left / right;
            }
            return left;
        }

        private Double primary() {
            String token = tokens.get(next++);
            if (token.equals("(")) {
                Double value = or();
                expect(")");
                return value;
            }
            if (token.equals("IF") || token.equals("FILL")) {
                expect("(");
                Double first = or();
                expect(",");
                Double second = or();
                if (token.equals("FILL")) {
                    expect(")");
                    return first == null ? second : first;
                }
                expect(",");
                Double third = or();
                expect(")");
                return first == null ? null : first != 0 ? second : third;
            }
            if (Character.isDigit(token.charAt(0))) {
                return Double.valueOf(token);
            }
            assertThat(token).as("a metric id or a function this evaluator knows").matches("[a-z][A-Za-z0-9_]*");
            return values.get(token);
        }

        private boolean peek(String token) {
            return next < tokens.size() && tokens.get(next).equals(token);
        }

        private boolean accept(String token) {
            if (peek(token)) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            assertThat(accept(token)).as("'" + token + "' at token " + next + " of " + tokens).isTrue();
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
