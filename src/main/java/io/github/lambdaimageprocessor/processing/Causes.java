package io.github.lambdaimageprocessor.processing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The walk down an exception's causes, written once for every caller that asks what lies under a failure (an
 * adapter's wrapped SDK exception, a bean that failed to start, a failure Spring hands a route wrapped). It stops at a
 * cause seen before, so a chain that loops ({@code a.initCause(b); b.initCause(a)}) or a {@code getCause()} that
 * returns its own exception ends the walk instead of hanging the thread that logs or answers it.
 */
public final class Causes {

    private Causes() {
    }

    /**
     * The exception and its causes, outermost first, each once; empty for null. Seen by identity: an exception that
     * overrides {@code equals} is still a link of its own.
     */
    public static List<Throwable> of(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = e; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return Collections.unmodifiableList(chain);
    }

    /** The outermost of the exception and its causes that is a {@code type}; empty when none is, or for null. */
    public static <T extends Throwable> Optional<T> first(Throwable e, Class<T> type) {
        return of(e).stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
