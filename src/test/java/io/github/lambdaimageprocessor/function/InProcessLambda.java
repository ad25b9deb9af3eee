package io.github.lambdaimageprocessor.function;

import java.util.HashMap;
import java.util.Map;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/** Lambda's handler, started in the test's JVM as Lambda starts it. */
public final class InProcessLambda {

    private InProcessLambda() {
    }

    /**
     * A {@code FunctionInvoker} started with these settings as system properties (Lambda gives them as environment
     * variables), which are restored afterwards so no other test sees them.
     */
    public static FunctionInvoker start(Map<String, String> settings) {
        Map<String, String> previous = new HashMap<>();
        settings.forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
        try {
            return new FunctionInvoker();
        }
        finally {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                }
                else {
                    System.setProperty(name, value);
                }
            });
        }
    }
}
