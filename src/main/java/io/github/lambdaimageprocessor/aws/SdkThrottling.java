package io.github.lambdaimageprocessor.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.lambdaimageprocessor.cli.Throttling;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the attempts the SDK classed as throttled ({@link CoreMetric#ERROR_TYPE} {@code Throttling}: S3's
 * {@code SlowDown}, DynamoDB's {@code ProvisionedThroughputExceededException}, any 429), by service, from the metrics
 * each client publishes once per call with one child per attempt. Retried attempts are invisible otherwise: a call
 * that succeeded on its fourth attempt returns as one that succeeded on its first.
 */
final class SdkThrottling implements MetricPublisher, Throttling {

    /** {@code SdkErrorType.THROTTLING}'s value, which the SDK keeps in an internal package. */
    private static final String THROTTLING = "Throttling";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void publish(MetricCollection call) {
        long throttled = call.childrenWithName("ApiCallAttempt")
            .filter(attempt -> attempt.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING))
            .count();
        if (throttled > 0) {
            String service = call.metricValues(CoreMetric.SERVICE_ID).stream().findFirst().orElse("AWS");
            counts.computeIfAbsent(service, name -> new LongAdder()).add(throttled);
        }
    }

    @Override
    public Map<String, Long> throttled() {
        Map<String, Long> snapshot = new java.util.TreeMap<>();
        counts.forEach((service, count) -> snapshot.put(service, count.sum()));
        return snapshot;
    }

    @Override
    public void close() {
        // nothing held: the counts live as long as the command
    }
}
