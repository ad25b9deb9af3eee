package io.github.lambdaimageprocessor.processing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that remembers what it was told, for core tests. */
public final class RecordingNotifier implements Notifier {

    private final List<ProcessedImage> notifications = new CopyOnWriteArrayList<>();

    @Override
    public void imageProcessed(ProcessedImage image) {
        notifications.add(image);
    }

    public List<ProcessedImage> notifications() {
        return notifications;
    }
}
