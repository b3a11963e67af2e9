/** The English catalogue (see catalogue.ts). */
import type {Catalogue} from './catalogue.js';
import {formatDurationIn} from './duration.js';
import type {RunRef} from './incident.js';
import type {FailingEnd, Segment} from './message.js';

/**
 * A duration with its two largest units: `45s`, `12m 5s`, `2h 5m`, `3d 4h` (see duration.ts
 * for truncation, zero units and odd inputs).
 */
export function formatDuration(ms: number): string {
  return formatDurationIn(ms, {day: 'd', hour: 'h', minute: 'm', second: 's', separator: ' '});
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function words(text: string): Segment {
  return {type: 'text', text};
}

function run(job: string, manual: boolean): string {
  return `${manual ? 'manual run' : 'job'} ${job}`;
}

const GONE_MARK = ' (Job already deleted)';

/** The run that fixed it, marked when its Job was deleted before a pass could read it. */
function fixer(end: {run: RunRef}): string {
  return run(end.run.job, end.run.manual) + (end.run.gone === undefined ? '' : GONE_MARK);
}

/** How it ended, after "…, ": null when unknown. */
function endedBy(end: FailingEnd): string | null {
  switch (end.type) {
    case 'fixed':
      return `fixed by ${fixer(end)}`;
    case 'fixed-job-gone':
      return 'fixed by a later run (its Job was already deleted)';
    case 'deleted':
      return 'the CronJob was deleted';
    case 'unknown':
      return null;
  }
}

/** How it ended, after "recovered at <time>". */
function recoveredHow(end: FailingEnd): string {
  switch (end.type) {
    case 'fixed':
      return ` by ${fixer(end)}`;
    case 'fixed-job-gone':
      return ' (by a run whose Job was already deleted)';
    case 'deleted':
      return ' (the CronJob was deleted)';
    case 'unknown':
      return '';
  }
}

function resolvedPhrase(duration: string | null): string {
  return duration === null ? 'Resolved' : `Resolved after ${duration}`;
}

/** English. */
export const en: Catalogue = {
  duration: formatDuration,
  count: n => String(n),
  slackDateFormat: null,
  unknownTime: 'unknown time',
  unknownReason: 'unknown reason',
  unknownDuration: 'unknown',
  labels: {
    cluster: 'Cluster',
    cronJob: 'CronJob',
    failedRun: 'Failed run',
    failedAt: 'Failed at',
    schedule: 'Schedule',
    failedRuns: 'Failed runs',
    latestFailure: 'Latest failure',
    recoveredBy: 'Recovered by',
    recoveredAt: 'Recovered at',
    failingFor: 'Failing for',
    unreadableSince: 'Unreadable since',
    failedReads: 'Failed reads',
    reason: 'Reason',
    latestReason: 'Latest reason',
    pods: 'Pods',
    why: 'Why',
    job: 'Job',
    dueAt: 'Due at',
    missedRuns: 'Missed runs',
    lastStarted: 'Last started',
    startedAt: 'Started at',
    limit: 'Limit',
    blockedRuns: 'Runs it blocked',
  },
  links: {cronJob: 'CronJob in Cloud Console', logsOf: job => `Logs of ${job}`, runbook: 'Runbook'},
  log: {
    title: (container, pod) => `Last lines of the log of container ${container} (pod ${pod})`,
    cut: 'Older lines were left out to fit the message.',
    unavailable: (reason, detail) => {
      const why = {
        forbidden: 'the watcher may not read pod logs (pods/log, see infra/k8s/rbac-logs.yaml)',
        gone: 'the Pod is already deleted',
        timeout: 'the API server did not answer in time',
        'no-pod': 'no Pod of the Job shows a failed container',
        empty: 'the container logged nothing',
        error: 'reading it failed',
      }[reason];
      return `No log excerpt: ${why}${detail === null ? '' : ` (${detail})`}.`;
    },
  },
  mutedLine:
    'Muted: cronjob-watcher/ignore is set on this CronJob, so this incident is closed without a fix.',
  recoveredAt: at => [words('Recovered at '), ...at],
  failing: {
    run,
    runValue: (job, manual) => (manual ? [job, words(' (manual run)')] : [job]),
    latestFailureValue: (runValue, at) => [...runValue, words(' at '), ...at],
    failedRuns: count => plural(count, 'failed run', 'failed runs'),
    approximateTime:
      'Failure time approximate: the Job carries no usable time for its failure, so its next usable timestamp (completion, start, schedule or creation) stands in.',
    openedTitle: cronJob => `CronJob failing: ${cronJob}`,
    openedSummary: p => `CronJob ${p.cronJob} failed on ${p.cluster}: ${p.reason} (${p.run})`,
    endedPhrase: (end, duration) => {
      const verb = end.type === 'deleted' ? 'Closed' : 'Resolved';
      return duration === null ? verb : `${verb} after ${duration}`;
    },
    resolvedPhrase,
    resolvedTitle: (phrase, cronJob) => `${phrase}: ${cronJob}`,
    resolvedSummary: p => {
      const ended = endedBy(p.end);
      return (
        `${p.phrase}: CronJob ${p.cronJob} on ${p.cluster} ` +
        `(${p.failedRuns}${ended === null ? '' : `, ${ended}`})`
      );
    },
    closingLine: p => {
      const ended = endedBy(p.end);
      return [p.phrase, p.failedRuns, ...(ended === null ? [] : [ended])].join(', ');
    },
    recoveredTitle: cronJob => `Failed and recovered: ${cronJob}`,
    recoveredSummary: p => {
      const how = recoveredHow(p.end);
      return (
        `CronJob ${p.cronJob} on ${p.cluster} failed at ${p.failedAt} (${p.reason}) and ` +
        `recovered at ${p.recoveredAt}${how}${p.duration === null ? '' : `, after ${p.duration}`}`
      );
    },
    recoveredBy: (end, fixedBy) => {
      switch (end.type) {
        case 'fixed':
          return fixedBy;
        case 'fixed-job-gone':
          return [words('a later run (its Job was already deleted)')];
        case 'deleted':
          return [words('nothing: the CronJob was deleted')];
        case 'unknown':
          return [words('unknown run')];
      }
    },
    goneMark: GONE_MARK,
    goneNote: cause =>
      'deleted before the watcher could read it' +
      (cause === 'failed-jobs-history-limit'
        ? ' (failedJobsHistoryLimit: 0 keeps no failed Job)'
        : cause === 'ttl-after-finished'
          ? " (ttlSecondsAfterFinished is shorter than the watcher's interval)"
          : ''),
  },
  missed: {
    missedRuns: (count, capped) =>
      capped ? 'more than 100 missed runs' : plural(count, 'missed run', 'missed runs'),
    neverStarted: 'never',
    openedTitle: cronJob => `CronJob did not start: ${cronJob}`,
    openedLine: p =>
      `Did not start at ${p.due}, due ${p.schedule} in ${p.timeZone}` +
      (p.lastStarted === null ? '; it never started' : `; last started ${p.lastStarted} ago`),
    openedSummary: p =>
      `CronJob ${p.cronJob} on ${p.cluster} did not start at ${p.due} (${p.count})`,
    closedTitle: (cronJob, duration) =>
      `Running again${duration === null ? '' : ` after ${duration}`}: ${cronJob}`,
    closingLine: p =>
      p.suspended
        ? `Closed: the CronJob was suspended (${p.count})`
        : p.deleted
          ? `Closed: the CronJob was deleted (${p.count})`
          : `A run started again${p.duration === null ? '' : ` after ${p.duration} without one`}, ${p.count}`,
    recoveredTitle: cronJob => `Started late: ${cronJob}`,
  },
  stuck: {
    openedTitle: cronJob => `Job running too long: ${cronJob}`,
    openedLine: p => `Job ${p.job} has been running for ${p.runningFor}`,
    openedSummary: p =>
      `CronJob ${p.cronJob} on ${p.cluster}: job ${p.job} has been running for ${p.runningFor}`,
    limit: (duration, from) =>
      `${duration} (${from === 'annotation' ? 'cronjob-watcher/max-duration' : 'one schedule period'})`,
    closedTitle: (cronJob, ran) => `Finished${ran === null ? '' : ` after ${ran}`}: ${cronJob}`,
    closingLine: p => {
      const after = p.ran === null ? '' : ` after running ${p.ran}`;
      switch (p.outcome) {
        case 'succeeded':
          return `Job ${p.job} succeeded${after}`;
        case 'failed':
          return `Job ${p.job} failed${after}: ${p.reason ?? 'unknown reason'}`;
        case 'gone':
          return `Job ${p.job} was deleted${after}`;
        case 'deleted':
          return `Closed: the CronJob was deleted`;
        case 'unknown':
          return `Job ${p.job} no longer runs`;
      }
    },
    recoveredTitle: cronJob => `Ran too long, then finished: ${cronJob}`,
  },
  cluster: {
    failedReads: count => plural(count, 'failed read', 'failed reads'),
    why: (code, message) => `${code}: ${message}`,
    openedTitle: cluster => `Watcher cannot see cluster ${cluster}`,
    openedSummary: p =>
      `The watcher cannot read cluster ${p.cluster} since ${p.since} (${p.failedReads}): ${p.why}`,
    whileUnreadable:
      'CronJob incidents on this cluster neither open nor close while it cannot be read.',
    closingLine: (duration, failedReads) =>
      `Cluster readable again${duration === null ? '' : ` after ${duration}`}, ${failedReads}`,
    closedTitle: (line, cluster) => `${line}: ${cluster}`,
    closedSummary: p => `${p.line}: ${p.cluster} (unreadable since ${p.since})`,
  },
};
