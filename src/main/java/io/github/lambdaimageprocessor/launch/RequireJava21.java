package io.github.lambdaimageprocessor.launch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The executable jar's start class: says in one sentence that the app needs Java 21 when an older {@code java} runs
 * the jar, then hands over to the application's own main. Compiled for release 17 (the pom's {@code launch}
 * execution), the oldest Java Spring Boot's launcher runs on: on Java 17 the application class itself failed to load
 * with an {@code UnsupportedClassVersionError} stack trace, the first thing a newcomer whose {@code java} is still 17
 * met. The Lambda functions name the application class in {@code MAIN_CLASS} and never run this.
 */
public final class RequireJava21 {

    static final int REQUIRED = 21;

    private static final String APPLICATION = "io.github.lambdaimageprocessor.ImageProcessorApplication";

    private RequireJava21() {
    }

    public static void main(String[] args) throws Throwable {
        int feature = Runtime.version().feature();
        if (feature < REQUIRED) {
            System.err.println("lambda-image-processor needs Java " + REQUIRED + " or later; this is Java "
                    + System.getProperty("java.version") + " at " + System.getProperty("java.home") + ". Put a JDK "
                    + REQUIRED + " or newer first on the PATH (or run it with its bin/java).");
            System.exit(1);
        }
        // by name: a reference to a class compiled for 21 would not compile for 17; invoked as a method handle, so
        // whatever main throws propagates as itself, not wrapped as reflection would wrap it
        MethodHandle main = MethodHandles.publicLookup()
            .findStatic(Class.forName(APPLICATION, false, RequireJava21.class.getClassLoader()), "main",
                    MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }
}
