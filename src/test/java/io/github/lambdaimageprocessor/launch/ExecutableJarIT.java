package io.github.lambdaimageprocessor.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jar as a newcomer runs it: {@code java -jar target/*-exec.jar} with whatever {@code java} is on the
 * PATH, which on many machines is still a JDK 17. The JDK 17 is found at {@code -Djdk17.home}, by default where Debian
 * and Ubuntu install it.
 */
class ExecutableJarIT {

    private static final Path JDK17 = Path.of(System.getProperty("jdk17.home", "/usr/lib/jvm/java-17-openjdk-amd64"));

    /** On Java 17 it said UnsupportedClassVersionError and "class file version 65.0", in a stack trace. */
    @Test
    void onJava17ItSaysInOneSentenceThatItNeedsJava21AndExitsWithAFailure() throws Exception {
        assertThat(JDK17.resolve("bin/java")).as("a JDK 17 (set -Djdk17.home)").isExecutable();

        Run run = run(JDK17, "--help");

        assertThat(run.exit()).isNotZero();
        assertThat(run.output().strip()).isEqualTo("lambda-image-processor needs Java 21 or later; this is Java "
                + run.setting("java.version") + " at " + run.setting("java.home") + ". Put a JDK 21 or newer first on the PATH (or run it "
                + "with its bin/java).");
    }

    @Test
    void onThisJavaItStartsAsBefore() throws Exception {
        Run run = run(Path.of(System.getProperty("java.home")), "--help");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("Usage: java -jar <jar>").contains("backfill");
    }

    /** @param settings the java's system properties, as -XshowSettings:properties prints them */
    private record Run(int exit, String output, String settings) {

        String setting(String name) {
            return settings.lines().map(String::strip).filter(line -> line.startsWith(name + " = "))
                .map(line -> line.substring(name.length() + 3)).findFirst().orElseThrow();
        }
    }

    private static Run run(Path javaHome, String... args) throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("run `./mvnw verify`: the executable jar is built in package"));
        }
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        Process version = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-XshowSettings:properties",
                "-version").redirectErrorStream(true).start();
        String settings = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor(60, TimeUnit.SECONDS);
        return new Run(process.exitValue(), output, settings);
    }
}
