/**
 * The executable jar's start class, compiled for Java 17 so that an older {@code java} is told plainly what the app
 * needs before any class of the app's own fails to load. Depends on nothing of ours at compile time.
 */
package io.github.lambdaimageprocessor.launch;
