package io.github.lambdaimageprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary folders for tests that need one before any JUnit extension runs (a static field, a Spring property). */
public final class TestFolders {

    private TestFolders() {
    }

    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
