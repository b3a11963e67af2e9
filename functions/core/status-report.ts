/**
 * `cronjob-watcher status`: the verdicts on every CronJob as a JSON document or a table.
 * Pure formatting of already-judged data.
 */
import type {ClusterSnapshot, CronJobStatus, RunVerdict} from './model.js';
import {parseAnnotations} from './policy.js';
import {cronJobStatusOf, jobsByCronJob} from './verdict.js';

/** One run in the `--json` document. */
export interface RunJson {
  job: string;
  outcome: RunVerdict['outcome'];
  reason: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  manual: boolean;
}

/** One CronJob in the `--json` document. */
export interface CronJobJson {
  cluster: string;
  namespace: string;
  name: string;
  schedule: string;
  timeZone: string | null;
  suspended: boolean;
  /** Annotated `cronjob-watcher/ignore: "true"`: the watcher opens no incident for it. */
  ignored: boolean;
  lastScheduleTime: string | null;
  lastSuccessfulTime: string | null;
  lastRun: RunJson | null;
  lastFinishedRun: RunJson | null;
  runningNow: string[];
}

/** The `--json` document. */
export interface StatusJson {
  cronJobs: CronJobJson[];
  problems: {
    cluster: string;
    kind: string;
    namespace: string | null;
    name: string | null;
    problem: string;
  }[];
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function runJson(run: RunVerdict | null): RunJson | null {
  if (run === null) return null;
  return {
    job: run.job,
    outcome: run.outcome,
    reason: run.reason,
    message: run.message,
    startedAt: iso(run.startedAt ?? run.scheduledAt),
    finishedAt: iso(run.finishedAt),
    manual: run.manual,
  };
}

/** Every CronJob of the snapshots with its verdicts, sorted by cluster, namespace, name. */
export function statusesOf(
  snapshots: ClusterSnapshot[],
): {cluster: string; status: CronJobStatus}[] {
  const rows: {cluster: string; status: CronJobStatus}[] = [];
  for (const snapshot of snapshots) {
    const byCronJob = jobsByCronJob(snapshot.jobs);
    for (const cronJob of snapshot.cronJobs) {
      rows.push({
        cluster: snapshot.cluster.name,
        status: cronJobStatusOf(cronJob, byCronJob.get(cronJob.uid) ?? []),
      });
    }
  }
  const key = (r: (typeof rows)[number]) =>
    `${r.cluster}\u0000${r.status.cronJob.namespace}\u0000${r.status.cronJob.name}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The `--json` document for these snapshots. */
export function statusJson(snapshots: ClusterSnapshot[]): StatusJson {
  return {
    cronJobs: statusesOf(snapshots).map(({cluster, status}) => ({
      cluster,
      namespace: status.cronJob.namespace,
      name: status.cronJob.name,
      schedule: status.cronJob.schedule,
      timeZone: status.cronJob.timeZone,
      suspended: status.cronJob.suspended,
      ignored: parseAnnotations(status.cronJob.annotations).settings.ignore,
      lastScheduleTime: iso(status.cronJob.lastScheduleTime),
      lastSuccessfulTime: iso(status.cronJob.lastSuccessfulTime),
      lastRun: runJson(status.lastRun),
      lastFinishedRun: runJson(status.lastFinishedRun),
      runningNow: status.running.map(r => r.job),
    })),
    problems: snapshots.flatMap(s =>
      s.problems.map(p => ({
        cluster: s.cluster.name,
        kind: p.kind,
        namespace: p.namespace,
        name: p.name,
        problem: p.problem,
      })),
    ),
  };
}

function describeRun(run: RunJson | null): string {
  if (run === null) return 'never ran';
  const when = run.finishedAt ?? run.startedAt;
  const parts = [run.outcome + (run.reason ? ` (${run.reason})` : '')];
  if (when !== null) parts.push(when.replace('.000Z', 'Z'));
  if (run.manual) parts.push('manual');
  return `${run.job}: ${parts.join(', ')}`;
}

/** A readable table, one row per CronJob. */
export function statusTable(doc: StatusJson): string {
  const multiCluster = new Set(doc.cronJobs.map(c => c.cluster)).size > 1;
  const header = [
    ...(multiCluster ? ['CLUSTER'] : []),
    'NAMESPACE',
    'NAME',
    'SCHEDULE',
    'LAST RUN',
    'LAST FINISHED',
    'RUNNING NOW',
  ];
  const rows = doc.cronJobs.map(c => [
    ...(multiCluster ? [c.cluster] : []),
    c.namespace,
    c.name,
    c.schedule +
      (c.timeZone ? ` ${c.timeZone}` : '') +
      (c.suspended ? ' (suspended)' : '') +
      (c.ignored ? ' (ignored)' : ''),
    describeRun(c.lastRun),
    c.lastFinishedRun?.job === c.lastRun?.job
      ? '-'
      : c.lastFinishedRun === null
        ? 'none finished yet'
        : describeRun(c.lastFinishedRun),
    c.runningNow.length === 0 ? '-' : c.runningNow.join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  if (doc.cronJobs.length === 0) lines.push('(no CronJobs found)');
  for (const p of doc.problems) {
    lines.push(
      `cannot judge ${p.kind} ${p.namespace ?? '?'}/${p.name ?? '?'} in ${p.cluster}: ${p.problem}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
