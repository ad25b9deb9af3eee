package io.github.lambdaimageprocessor.function;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.lambdaimageprocessor.processing.ObjectRef;
import io.github.lambdaimageprocessor.processing.OutcomeMetrics;
import io.github.lambdaimageprocessor.processing.ProcessedImage;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metrics as CloudWatch <a href=
 * "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">
 * Embedded Metric Format</a> lines on standard output, which Lambda sends to CloudWatch Logs, where they become
 * metrics: no API call, no permission, no latency. One line per outcome that occurred in the invocation (dimensions
 * {@code Service} and {@code Outcome}: {@code PROCESSED}, {@code REJECTED}, {@code SKIPPED}, {@code FAILED}) with
 * {@code Images} (Count), {@code ProcessingTime} (Milliseconds, one value per image) and {@code InputBytes} /
 * {@code OutputBytes} (Bytes, where known); and on the first invocation of an execution environment a line with
 * {@code ColdStart} (Count) and the dimension {@code Service} alone. The request id and object keys are properties
 * (searchable in Logs Insights), never dimensions: every distinct dimension value is a metric billed on its own.
 *
 * <p>SnapStart: the snapshot is taken after initialisation, so every environment restored from it starts with the
 * state it had then. The cold-start flag is therefore set again after a restore, and nothing else is kept between
 * invocations (timestamps are read when a batch closes).
 */
final class EmfOutcomeMetrics implements OutcomeMetrics, Resource {

    static final String SERVICE = "Service";

    static final String OUTCOME = "Outcome";

    static final String FAILED = "FAILED";

    /** EMF allows at most 100 values per metric in one document. */
    static final int MAX_VALUES = 100;

    private static final Logger log = LoggerFactory.getLogger(EmfOutcomeMetrics.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String namespace;

    private final String service;

    private final Consumer<String> out;

    private final Clock clock;

    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    /**
     * @param out receives each EMF document as one line (standard output on Lambda)
     */
    EmfOutcomeMetrics(String namespace, String service, Consumer<String> out, Clock clock) {
        this.namespace = namespace;
        this.service = service;
        this.out = out;
        this.clock = clock;
        // on a JVM without checkpoint/restore the hooks are simply never called
        Core.getGlobalContext().register(this);
    }

    /** Writes to standard output, looked up at each write (the Lambda runtime replaces it before init). */
    static EmfOutcomeMetrics toStandardOutput(String namespace, String service) {
        return new EmfOutcomeMetrics(namespace, service, line -> System.out.println(line), Clock.systemUTC());
    }

    @Override
    public Batch start(String requestId) {
        return new EmfBatch(requestId, coldStart.getAndSet(false));
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // each environment restored from the snapshot is a cold start of its own
        coldStart.set(true);
    }

    private record Entry(String outcome, long millis, Long inputBytes, Long outputBytes, String key) {
    }

    private final class EmfBatch implements Batch {

        private final String requestId;

        private final boolean cold;

        private final Queue<Entry> entries = new ConcurrentLinkedQueue<>();

        EmfBatch(String requestId, boolean cold) {
            this.requestId = requestId;
            this.cold = cold;
        }

        @Override
        public void outcome(ProcessedImage image, Duration took) {
            entries.add(new Entry(image.status().name(), took.toMillis(), image.source().bytes(),
                    image.output() == null ? null : image.output().bytes(), image.source().key()));
        }

        @Override
        public void failure(ObjectRef object, Duration took) {
            entries.add(new Entry(FAILED, took.toMillis(), null, null, object == null ? null : object.key()));
        }

        @Override
        public void close() {
            try {
                long timestamp = clock.millis();
                if (cold) {
                    Map<String, Object> document = document(timestamp, List.of(SERVICE),
                            List.of(metric("ColdStart", "Count")));
                    document.put("ColdStart", 1);
                    write(document);
                }
                Map<String, List<Entry>> byOutcome = new LinkedHashMap<>();
                entries.forEach(entry -> byOutcome.computeIfAbsent(entry.outcome(), o -> new ArrayList<>()).add(entry));
                byOutcome.forEach((outcome, all) -> {
                    for (int from = 0; from < all.size(); from += MAX_VALUES) {
                        write(outcomeDocument(timestamp, outcome, all.subList(from,
                                Math.min(all.size(), from + MAX_VALUES))));
                    }
                });
            }
            catch (RuntimeException e) {
                // metrics are an observer: losing them must not fail the images they describe
                log.warn("Could not write the invocation's metrics", e);
            }
        }

        private Map<String, Object> outcomeDocument(long timestamp, String outcome, List<Entry> entries) {
            List<Long> millis = entries.stream().map(Entry::millis).toList();
            List<Long> input = entries.stream().map(Entry::inputBytes).filter(b -> b != null).toList();
            List<Long> output = entries.stream().map(Entry::outputBytes).filter(b -> b != null).toList();
            List<Map<String, String>> metrics = new ArrayList<>(List.of(metric("Images", "Count"),
                    metric("ProcessingTime", "Milliseconds")));
            if (!input.isEmpty()) {
                metrics.add(metric("InputBytes", "Bytes"));
            }
            if (!output.isEmpty()) {
                metrics.add(metric("OutputBytes", "Bytes"));
            }
            Map<String, Object> document = document(timestamp, List.of(SERVICE, OUTCOME), metrics);
            document.put(OUTCOME, outcome);
            document.put("Images", entries.size());
            document.put("ProcessingTime", millis);
            if (!input.isEmpty()) {
                document.put("InputBytes", input);
            }
            if (!output.isEmpty()) {
                document.put("OutputBytes", output);
            }
            document.put("objectKeys", entries.stream().map(Entry::key).filter(k -> k != null).toList());
            return document;
        }

        private Map<String, Object> document(long timestamp, List<String> dimensions,
                List<Map<String, String>> metrics) {
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", namespace);
            directive.put("Dimensions", List.of(dimensions));
            directive.put("Metrics", metrics);
            Map<String, Object> aws = new LinkedHashMap<>();
            aws.put("Timestamp", timestamp);
            aws.put("CloudWatchMetrics", List.of(directive));
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("_aws", aws);
            document.put(SERVICE, service);
            if (requestId != null) {
                document.put("requestId", requestId);
            }
            return document;
        }

        private void write(Map<String, Object> document) {
            out.accept(JSON.writeValueAsString(document));
        }
    }

    private static Map<String, String> metric(String name, String unit) {
        return Map.of("Name", name, "Unit", unit);
    }
}
