/**
 * Compacts model objects as they are made: strings that repeat across objects (namespaces,
 * owner UIDs, condition types, reasons and messages) are shared, and so are equal times within
 * one Job. A snapshot is read-only by contract, so the sharing is invisible.
 */
import type {CronJobInfo, JobInfo} from '../../core/model.js';

/** Shares equal strings, so ten thousand Jobs of one namespace hold its name once. */
export class StringPool {
  private readonly pool = new Map<string, string>();

  share(value: string): string;
  share(value: string | null): string | null;
  share(value: string | null): string | null {
    if (value === null) return null;
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }
}

/** Shares the strings of a CronJob that its Jobs and the other CronJobs repeat. */
export function compactCronJob(cronJob: CronJobInfo, strings: StringPool): void {
  cronJob.namespace = strings.share(cronJob.namespace);
  // Shared with its Jobs' owner references (CronJobs are listed first).
  cronJob.uid = strings.share(cronJob.uid);
  cronJob.schedule = strings.share(cronJob.schedule);
  cronJob.timeZone = strings.share(cronJob.timeZone);
}

/** Shares the strings of a Job that other Jobs repeat, and its equal times. */
export function compactJob(job: JobInfo, strings: StringPool): void {
  job.namespace = strings.share(job.namespace);
  job.cronJobUid = strings.share(job.cronJobUid);
  const times = new TimePool();
  job.scheduledAt = times.share(job.scheduledAt);
  job.createdAt = times.share(job.createdAt);
  job.startedAt = times.share(job.startedAt);
  job.completedAt = times.share(job.completedAt);
  for (const condition of job.conditions) {
    condition.type = strings.share(condition.type);
    condition.status = strings.share(condition.status);
    condition.reason = strings.share(condition.reason);
    condition.message = strings.share(condition.message);
    condition.lastTransitionTime = times.share(condition.lastTransitionTime);
  }
}

/** Shares equal times within one Job (a completion time is also its conditions' time). */
class TimePool {
  private readonly seen: Date[] = [];

  share(date: Date | null): Date | null {
    if (date === null) return null;
    const ms = date.getTime();
    const known = this.seen.find(d => d.getTime() === ms);
    if (known !== undefined) return known;
    this.seen.push(date);
    return date;
  }
}
