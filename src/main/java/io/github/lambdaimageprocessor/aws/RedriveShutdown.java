package io.github.lambdaimageprocessor.aws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.SmartLifecycle;

/**
 * Ends a {@code redrive} run cleanly when the JVM shuts down midway (Ctrl-C): the application context stops its
 * lifecycle beans before it closes the others, so the run still has its SQS client and executor to finish the message
 * at hand, put back the rest and print its summary ({@link Redrive#stop}).
 */
final class RedriveShutdown implements SmartLifecycle {

    /** Replaying one event takes well under the function's own 60 s timeout. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final AtomicReference<Redrive> current = new AtomicReference<>();

    private volatile boolean running;

    /** The run to stop on shutdown. */
    Redrive track(Redrive redrive) {
        current.set(redrive);
        return redrive;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Redrive redrive = current.get();
        if (redrive == null) {
            return;
        }
        try {
            redrive.stop(PATIENCE);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
