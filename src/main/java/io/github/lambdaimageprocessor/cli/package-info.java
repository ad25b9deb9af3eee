/**
 * Command-line modes of the same jar ({@code java -jar <jar> backfill ...}): thin runners over the use case, like the
 * function and the HTTP routes. The plumbing is shared by every command: {@link CommandLine} starts the application
 * without a web server, finds the {@link Command} named by the first argument, runs it and exits with its status;
 * {@link CommandArguments} parses its options; {@link ProgressReporter} shows done/total, rate and time left (one line
 * rewritten on a terminal, plain lines otherwise) and the summary.
 */
package io.github.lambdaimageprocessor.cli;
