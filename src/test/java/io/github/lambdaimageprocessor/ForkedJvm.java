package io.github.lambdaimageprocessor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a separate JVM on this test's class path, for what a test JVM cannot show about
 * itself (a heap cap, a crash, {@code System.exit}). Its output goes to a file, never a pipe: a child blocked on a full
 * pipe would hang the test, and reading a pipe to its end before {@code waitFor} would make any timeout useless. Past
 * the timeout the child is killed and the test fails with what it printed so far.
 *
 * <pre>{@code
 * ForkedJvm.Result result = ForkedJvm.run(LargeImages.class, List.of("-Xmx512m"), List.of("/a.jpg"),
 *         Duration.ofMinutes(2));
 * assertThat(result.exitValue()).as(result.output()).isZero();
 * }</pre>
 */
public final class ForkedJvm {

    private ForkedJvm() {
    }

    /** How a forked JVM ended: its exit value and everything it wrote to stdout and stderr, interleaved. */
    public record Result(int exitValue, String output) {

        public List<String> lines() {
            return output.lines().toList();
        }
    }

    /**
     * Runs {@code mainClass} with these JVM options and program arguments and waits for it.
     *
     * @throws AssertionError when it is still running after {@code timeout} (it is then killed)
     */
    public static Result run(Class<?> mainClass, List<String> jvmOptions, List<String> arguments, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        Path output = Files.createTempFile("forked-jvm-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(mainClass.getSimpleName() + " did not finish within " + timeout
                        + " and was killed; its output:\n" + read(output));
            }
            return new Result(process.exitValue(), read(output));
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /** Decoded leniently: a child killed mid-character must not hide what it printed before. */
    private static String read(Path output) throws IOException {
        return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    }
}
