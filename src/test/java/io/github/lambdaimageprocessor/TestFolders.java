package io.github.lambdaimageprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary folders for tests that need one before any JUnit extension runs (a static field, a Spring property).
 * Each is deleted when the test JVM exits, as JUnit's {@code @TempDir} folders are, so repeated runs leave nothing
 * behind in the system's temporary folder.
 */
public final class TestFolders {

    private TestFolders() {
    }

    public static Path create(String prefix) {
        Path folder;
        try {
            folder = Files.createTempDirectory(prefix);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(folder), "delete " + folder));
        return folder;
    }

    /** Best effort: an app still shutting down may write a last file; what is left is the system's to clean. */
    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException e) {
                    // left behind
                }
            });
        }
        catch (IOException | UncheckedIOException e) {
            // left behind
        }
    }
}
