package io.github.lambdaimageprocessor.processing;

/**
 * The backfill that last made a record, kept with it: whether that run was to notify, so a notification it could not
 * send (SNS down, the run killed) is still owed to the next backfill instead of lost behind an up-to-date record.
 *
 * @param job the S3 Batch Operations job id, or null for the {@code backfill} command
 * @param notifying whether the run was to notify this object (asked to, or owed by an upload event's lapsed claim)
 */
public record BackfillRun(String job, boolean notifying) {

    public BackfillRun {
        job = job == null || job.isBlank() ? null : job;
    }

    /** The run, or null when it says nothing a later run needs (the command, without a notification). */
    public static BackfillRun of(String job, boolean notifying) {
        BackfillRun run = new BackfillRun(job, notifying);
        return run.job() == null && !notifying ? null : run;
    }
}
