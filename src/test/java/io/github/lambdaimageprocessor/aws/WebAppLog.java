package io.github.lambdaimageprocessor.aws;

import static org.assertj.core.api.Assertions.assertThat;

/** What the web app's JSON log holds after a request that failed on an AWS service. */
final class WebAppLog {

    private WebAppLog() {
    }

    /** One WARN line, holding {@code warning}, and no ERROR or stack trace: a known failure is one line. */
    static void assertOneWarning(String log, String warning) {
        assertThat(log.lines().filter(line -> line.contains("\"level\":\"WARN\""))).singleElement()
            .asString()
            .contains(warning);
        assertThat(log).doesNotContain("\"level\":\"ERROR\"").doesNotContain("stack_trace");
    }
}
