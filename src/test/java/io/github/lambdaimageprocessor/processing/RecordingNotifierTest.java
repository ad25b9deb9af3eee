package io.github.lambdaimageprocessor.processing;

import java.util.List;

/** The fake the core tests use accepts every notification the real notifiers must deliver. */
class RecordingNotifierTest extends NotifierContract {

    private final RecordingNotifier notifier = new RecordingNotifier();

    @Override
    protected Notifier notifier() {
        return notifier;
    }

    /** What a reader of a recorded outcome learns: the source, where its thumbnail is and its size, or the reason. */
    @Override
    protected List<String> delivered(int expected) {
        return notifier.notifications().stream().map(RecordingNotifierTest::describe).toList();
    }

    private static String describe(ProcessedImage image) {
        String source = image.source().bucket() + "/" + image.source().key() + ": " + image.status();
        ImageObject output = image.output();
        return output == null ? source + " (" + image.reason() + ")"
                : source + " -> " + output.bucket() + "/" + output.key() + " " + output.width() + "x" + output.height();
    }
}
