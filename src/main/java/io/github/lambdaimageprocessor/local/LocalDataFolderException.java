package io.github.lambdaimageprocessor.local;

import java.nio.file.Path;

/** The data folder of profile local cannot be written: start-up stops ({@link LocalDataFolderFailureAnalyzer}). */
final class LocalDataFolderException extends IllegalStateException {

    LocalDataFolderException(Path root, String problem) {
        super("image-processor.local.root (" + root + ") " + problem);
    }
}
