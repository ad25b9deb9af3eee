package io.github.lambdaimageprocessor.local;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a data folder the local stand-ins cannot write as what to change, instead of a stack trace. */
class LocalDataFolderFailureAnalyzer extends AbstractFailureAnalyzer<LocalDataFolderException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LocalDataFolderException cause) {
        return new FailureAnalysis(cause.getMessage() + ": profile local keeps its buckets and records there.",
                "Set image-processor.local.root (IMAGE_PROCESSOR_LOCAL_ROOT) to a writable folder, or one that can be "
                        + "created; the default is 'data' in the working directory.",
                cause);
    }
}
