/**
 * `cronjob-watcher status`: the verdicts on every CronJob as a JSON document or a table.
 * Pure formatting of already-judged data.
 */
import type {IncidentKind} from './incident.js';
import type {ClusterSnapshot, CronJobInfo, CronJobStatus, RunVerdict} from './model.js';
import {channelOf, parseAnnotations, type AnnotationTrust, type ChannelRoute} from './policy.js';
import {runStrip} from './messages/recent-runs.js';
import {recentRunOf, withRecentRuns, type RecentRun} from './run-history.js';
import {compileSchedule} from './schedule.js';
import {cronJobStatusOf, finishedRunsOf, jobsByCronJob} from './verdict.js';
import {timeProblemsOf} from './kube-objects.js';

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
  /**
   * Where a new incident's messages would go: its `slack-channel` annotation, else the most
   * specific `ROUTES` entry, else `SLACK_CHANNEL`; null when none of them names one. Without a
   * Slack token messages are printed, but routed the same: this is where they would go.
   */
  channel: string | null;
  lastScheduleTime: string | null;
  lastSuccessfulTime: string | null;
  lastRun: RunJson | null;
  lastFinishedRun: RunJson | null;
  runningNow: string[];
  /** Open incidents of this CronJob, from the incident store; null when it could not be read. */
  incidents: IncidentJson[] | null;
  /** When it was last due, by its schedule and zone (null when unreadable or never). */
  lastDueAt: string | null;
  /** When it is next due (null when unreadable or never again). */
  nextDueAt: string | null;
  /**
   * Its recent runs, oldest first: the history the store keeps (for CronJobs whose record was
   * read) with the finished Jobs the cluster still holds.
   */
  runs: RecentRun[];
}

/** An open incident in the `--json` document: at most one per kind. */
export interface IncidentJson {
  kind: IncidentKind;
  /** When it started (the failure, the first missed due time, when the limit passed). */
  since: string;
  /** Failing streaks only: its failed runs. */
  failedRuns?: number;
}

/** An open incident as the store holds it, for `statusJson`. */
export interface OpenIncident extends IncidentJson {
  clusterId: string;
  namespace: string;
  name: string;
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
    /** Present when the object was judged all the same (an unusable time). */
    judged?: true;
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
): {cluster: string; clusterId: string; status: CronJobStatus; runs: RecentRun[]}[] {
  const rows: {cluster: string; clusterId: string; status: CronJobStatus; runs: RecentRun[]}[] = [];
  for (const snapshot of snapshots) {
    const byCronJob = jobsByCronJob(snapshot.jobs);
    for (const cronJob of snapshot.cronJobs) {
      const jobs = byCronJob.get(cronJob.uid) ?? [];
      rows.push({
        cluster: snapshot.cluster.name,
        clusterId: snapshot.cluster.id,
        status: cronJobStatusOf(cronJob, jobs),
        runs: finishedRunsOf(jobs).map(recentRunOf),
      });
    }
  }
  const key = (r: (typeof rows)[number]) =>
    `${r.cluster}\u0000${r.status.cronJob.namespace}\u0000${r.status.cronJob.name}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const incidentKey = (clusterId: string, namespace: string, name: string) =>
  `${clusterId}\u0000${namespace}\u0000${name}`;

/** What routing a message takes besides a CronJob's own annotations (the configuration's). */
export interface Routing {
  routes: readonly ChannelRoute[];
  /** `SLACK_CHANNEL`, with or without a token; null when it is not set. */
  slackChannel: string | null;
  /** What annotations may do, as the pass applies it; default `DEFAULT_TRUST`. */
  trust?: AnnotationTrust;
}

/** What the CronJob's annotations and the routing say for it. */
function settingsOf(
  cronJob: CronJobInfo,
  cluster: string,
  routing: Routing,
): Pick<CronJobJson, 'ignored' | 'channel'> {
  const {settings} = parseAnnotations(cronJob.annotations, routing.trust);
  const channel =
    channelOf(settings, routing.routes, cluster, cronJob.namespace) ?? routing.slackChannel;
  return {ignored: settings.ignore, channel};
}

/** The run history the store keeps for a CronJob, for `statusJson`. */
export interface StoredRuns {
  clusterId: string;
  namespace: string;
  name: string;
  runs: RecentRun[];
}

/**
 * The `--json` document for these snapshots and the open incidents of their CronJobs;
 * `unknownIncidents`: the ids of the clusters whose incident state could not be read.
 */
export function statusJson(
  snapshots: ClusterSnapshot[],
  openIncidents: OpenIncident[] = [],
  now: Date | null = null,
  routing: Routing = {routes: [], slackChannel: null},
  storedRuns: StoredRuns[] = [],
  unknownIncidents: ReadonlySet<string> = new Set(),
): StatusJson {
  const historyOf = new Map(
    storedRuns.map(s => [incidentKey(s.clusterId, s.namespace, s.name), s.runs]),
  );
  const dueTimes = (cronJob: CronJobInfo) => {
    const compiled = compileSchedule(cronJob.schedule, cronJob.timeZone);
    if (now === null || !compiled.ok) return {lastDueAt: null, nextDueAt: null};
    const schedule = compiled.schedule;
    // `@every` steps from the last run (else creation), as the controller does.
    const anchor = cronJob.lastScheduleTime ?? cronJob.createdAt;
    const last = schedule.latestAtOrBefore(now, anchor);
    const next =
      schedule.everySeconds === null
        ? schedule.nextAfter(now)
        : anchor === null
          ? null
          : schedule.nextAfter(last ?? anchor);
    return {lastDueAt: iso(last), nextDueAt: iso(next)};
  };
  const byCronJob = new Map<string, IncidentJson[]>();
  for (const {clusterId, namespace, name, ...incident} of openIncidents) {
    const key = incidentKey(clusterId, namespace, name);
    byCronJob.set(key, [...(byCronJob.get(key) ?? []), incident]);
  }
  const idOf = new Map(snapshots.map(s => [s.cluster.name, s.cluster.id]));
  return {
    cronJobs: statusesOf(snapshots).map(({cluster, clusterId, status, runs}) => ({
      cluster,
      namespace: status.cronJob.namespace,
      name: status.cronJob.name,
      schedule: status.cronJob.schedule,
      timeZone: status.cronJob.timeZone,
      suspended: status.cronJob.suspended,
      ...settingsOf(status.cronJob, cluster, routing),
      lastScheduleTime: iso(status.cronJob.lastScheduleTime),
      lastSuccessfulTime: iso(status.cronJob.lastSuccessfulTime),
      lastRun: runJson(status.lastRun),
      lastFinishedRun: runJson(status.lastFinishedRun),
      runningNow: status.running.map(r => r.job),
      incidents: unknownIncidents.has(idOf.get(cluster) ?? '')
        ? null
        : (byCronJob.get(
            incidentKey(idOf.get(cluster) ?? '', status.cronJob.namespace, status.cronJob.name),
          ) ?? []),
      ...dueTimes(status.cronJob),
      runs: withRecentRuns(
        historyOf.get(incidentKey(clusterId, status.cronJob.namespace, status.cronJob.name)) ?? [],
        runs,
      ),
    })),
    problems: snapshots.flatMap(s => [
      ...[...s.problems, ...timeProblemsOf(s)].map(p => ({
        cluster: s.cluster.name,
        kind: p.kind,
        namespace: p.namespace,
        name: p.name,
        problem: p.problem,
        ...(p.judged ? {judged: true as const} : {}),
      })),
      // What keeps a schedule from being read as the controller reads it.
      ...s.cronJobs.flatMap(c =>
        scheduleNotesOf(c).map(problem => ({
          cluster: s.cluster.name,
          kind: 'CronJob',
          namespace: c.namespace,
          name: c.name,
          problem,
          judged: true as const,
        })),
      ),
      // The annotations `check` would ignore, shown before anyone relies on them.
      ...s.cronJobs.flatMap(c =>
        parseAnnotations(c.annotations, routing.trust).problems.map(p => ({
          cluster: s.cluster.name,
          kind: 'CronJob',
          namespace: c.namespace,
          name: c.name,
          problem: `annotation ${p.annotation}=${JSON.stringify(p.value)} ignored: ${p.problem}`,
          judged: true as const,
        })),
      ),
    ]),
  };
}

/** A schedule that cannot be read, or a `spec.timeZone` that its schedule's prefix overrides. */
function scheduleNotesOf(cronJob: CronJobInfo): string[] {
  const compiled = compileSchedule(cronJob.schedule, cronJob.timeZone);
  if (!compiled.ok) return [`${compiled.problem}; not watched for missed or overlong runs`];
  if (compiled.schedule.timeZoneIgnored) {
    return [
      `spec.timeZone ${JSON.stringify(cronJob.timeZone)} is ignored: the schedule names its own zone (${compiled.schedule.timeZone}), as the controller reads it`,
    ];
  }
  return [];
}

/**
 * A duration the way `kubectl get` prints ages (its `HumanDuration`): "45s", "5m3s", "12m",
 * "2h5m", "3h", "2d4h", "267d", "2y14d". More precision for short spans, less for long ones.
 */
export function humanDuration(ms: number): string {
  // Go's `int(d.Seconds())` truncates toward zero: down to -1.999 s is "almost now".
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const withRest = (big: number, unit: string, rest: number, restUnit: string) =>
    rest === 0 ? `${big}${unit}` : `${big}${unit}${rest}${restUnit}`;
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return withRest(days, 'd', hours % 24, 'h');
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (days < 365 * 8) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** How `statusTable` lays the table out. */
export interface TableOptions {
  /** Ages are counted up to this moment. */
  now: Date;
  /**
   * `-o wide`: time zone, suspension, active Jobs, latest Job, last finished run, last success,
   * the Slack channel a new incident would go to, each failing streak's failed runs, and the
   * recent runs (last, as marks are wider than their length).
   */
  wide?: boolean;
  /** ANSI colours (the CLI sets it on a terminal without NO_COLOR). */
  colour?: boolean;
  /** False when one namespace was asked for, as `kubectl get -n NS` leaves the column out. */
  namespaceColumn?: boolean;
}

// The default table fits 120 columns with a 30-character CronJob name in a 10-character
// namespace, a `*/15 * * * *` schedule and two open incidents with multi-day ages. What makes
// it fit: two spaces between columns (gcloud's tables; kubectl's three would cost 6),
// a failure shown by its reason alone (as `kubectl get pods` shows `OOMKilled`), SUSPEND in
// -o wide (a suspended CronJob says so in INCIDENT), and lists joined by a bare comma, as
// kubectl joins ports and hosts.
const COLUMN_GAP = '  ';
// A failure reason is any string (Argo CD writes its own): capped so that one odd reason
// cannot widen the default table; 24 keeps every reason Kubernetes writes whole (the longest,
// MaxFailedIndexesExceeded). -o wide and --json show it whole.
const REASON_MAX_CHARS = 24;
const NONE = '<none>';
const UNKNOWN = '<unknown>';

type Tone = 'bad' | 'good' | 'busy' | null;
interface Cell {
  text: string;
  tone: Tone;
}
const plain = (text: string): Cell => ({text, tone: null});

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function ageOf(iso: string | null, now: Date): string {
  return iso === null ? NONE : humanDuration(now.getTime() - Date.parse(iso));
}

/** `Complete`, `BackoffLimitExceeded` (`Failed` without a reason), `Running 5m`, `Suspended`. */
function resultOf(run: RunJson | null, now: Date, reasonMax: number): Cell {
  if (run === null) return plain(NONE);
  switch (run.outcome) {
    case 'succeeded':
      return {text: 'Complete', tone: 'good'};
    case 'failed':
      return {text: run.reason ? cap(run.reason, reasonMax) : 'Failed', tone: 'bad'};
    case 'running':
      return {text: `Running ${ageOf(run.startedAt, now)}`, tone: 'busy'};
    case 'suspended':
      return plain('Suspended');
  }
}

/** The open incidents (`failing 3h,missed 2h`), else why none opens, else `<none>`. */
function incidentCell(c: CronJobJson, now: Date, wide: boolean): Cell {
  if (c.incidents === null) return plain(UNKNOWN);
  if (c.incidents.length === 0) {
    if (c.ignored) return plain('ignored');
    return plain(c.suspended && !wide ? 'suspended' : NONE);
  }
  const text = c.incidents
    .map(
      i =>
        `${i.kind} ${ageOf(i.since, now)}` +
        (wide && i.failedRuns !== undefined
          ? ` (${i.failedRuns} failed run${i.failedRuns === 1 ? '' : 's'})`
          : ''),
    )
    .join(wide ? ', ' : ',');
  return {text, tone: 'bad'};
}

const TONES: Record<Exclude<Tone, null>, string> = {bad: '31', good: '32', busy: '33'};

/** A table like `kubectl get`, one row per CronJob. */
export function statusTable(doc: StatusJson, options: TableOptions): string {
  const {now, wide = false, colour = false, namespaceColumn = true} = options;
  const multiCluster = new Set(doc.cronJobs.map(c => c.cluster)).size > 1;
  const reasonMax = wide ? Number.POSITIVE_INFINITY : REASON_MAX_CHARS;
  const columns: Array<{header: string; cell: (c: CronJobJson) => Cell; when: boolean}> = [
    {header: 'CLUSTER', cell: c => plain(c.cluster), when: multiCluster},
    {header: 'NAMESPACE', cell: c => plain(c.namespace), when: namespaceColumn},
    {header: 'NAME', cell: c => plain(c.name), when: true},
    {header: 'SCHEDULE', cell: c => plain(c.schedule), when: true},
    {header: 'TIMEZONE', cell: c => plain(c.timeZone ?? NONE), when: wide},
    {header: 'SUSPEND', cell: c => plain(c.suspended ? 'True' : 'False'), when: wide},
    {header: 'ACTIVE', cell: c => plain(String(c.runningNow.length)), when: wide},
    {header: 'LAST RESULT', cell: c => resultOf(c.lastRun, now, reasonMax), when: true},
    {header: 'LAST RUN', cell: c => plain(ageOf(c.lastRun?.startedAt ?? null, now)), when: true},
    {
      header: 'LAST JOB',
      cell: c =>
        plain(c.lastRun === null ? NONE : c.lastRun.job + (c.lastRun.manual ? ' (manual)' : '')),
      when: wide,
    },
    {
      header: 'LAST FINISHED',
      cell: c => {
        const run = c.lastFinishedRun;
        if (run === null) return plain(NONE);
        const result = resultOf(run, now, reasonMax);
        return {...result, text: `${result.text} ${ageOf(run.finishedAt, now)}`};
      },
      when: wide,
    },
    {header: 'LAST SUCCESS', cell: c => plain(ageOf(c.lastSuccessfulTime, now)), when: wide},
    {header: 'CHANNEL', cell: c => plain(c.channel ?? NONE), when: wide},
    {header: 'INCIDENT', cell: c => incidentCell(c, now, wide), when: true},
    {header: 'RECENT', cell: c => plain(c.runs.length === 0 ? NONE : runStrip(c.runs)), when: wide},
  ];
  const shown = columns.filter(c => c.when);
  const rows = doc.cronJobs.map(c => shown.map(column => column.cell(c)));
  const header = shown.map(c => plain(c.header));
  const widths = shown.map((_, i) =>
    Math.max(...[header, ...rows].map(r => (r[i] as Cell).text.length)),
  );
  const paint = (cell: Cell, padded: string) =>
    colour && cell.tone !== null
      ? `\u001b[${TONES[cell.tone]}m${cell.text}\u001b[0m${padded.slice(cell.text.length)}`
      : padded;
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) =>
        paint(cell, i === cells.length - 1 ? cell.text : cell.text.padEnd(widths[i] ?? 0)),
      )
      .join(COLUMN_GAP)
      .trimEnd();
  const lines =
    doc.cronJobs.length === 0 ? ['No CronJobs found.'] : [line(header), ...rows.map(line)];
  for (const p of doc.problems) {
    lines.push(
      `${p.judged ? 'note on' : 'cannot judge'} ${p.kind} ${p.namespace ?? '?'}/${p.name ?? '?'} in ${p.cluster}: ${p.problem}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
