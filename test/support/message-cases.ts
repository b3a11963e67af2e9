/**
 * The table of notifications whose messages are kept as golden files (test/fixtures/messages-v2,
 * written by test/tools/generate-message-fixtures.ts, checked by messages-golden.test.ts) and
 * pictured in the README (test/tools/screenshot-messages.ts): every kind, opened, closed and
 * recovered, a Job that ran too long and then failed, both languages, a GKE and a kubeconfig
 * cluster, hostile values, and the recent-runs strip (db-backup and the two duration kinds have
 * a history; the other rows show that none means no strip). The story is the demo's morning: 2026-03-02, around 01:00-03:40 UTC.
 */
import type {
  ActionEvent,
  ClusterUnreadableIncident,
  Destination,
  FailingIncident,
  FinishedTooFastIncident,
  Incident,
  MissedIncident,
  PendingNotification,
  RunRef,
  RunningTooLongIncident,
  SlowerThanUsualIncident,
  StormMember,
  StormSend,
  StormState,
} from '../../functions/core/incident.js';
import type {Language} from '../../functions/core/messages/languages.js';
import type {ClusterRef} from '../../functions/core/model.js';
import type {RecentRun} from '../../functions/core/run-history.js';
import type {NotificationContext} from '../../functions/ports.js';

/** One row: a notification, where it goes, and what it is called. */
export interface MessageCase {
  name: string;
  notification: PendingNotification;
  context: NotificationContext;
}

const GKE: ClusterRef = {
  id: 'projects/acme-prod/locations/europe-west1/clusters/demo-cluster',
  name: 'demo-cluster',
  project: 'acme-prod',
  location: 'europe-west1',
};
const LOCAL: ClusterRef = {
  id: 'kubeconfig/demo-cluster',
  name: 'demo-cluster',
  project: null,
  location: null,
};

function destination(language: Language, runbook = true): Destination {
  return {
    channel: null,
    language,
    mention: null,
    runbook: runbook ? 'https://wiki.example.com/runbooks/cronjobs' : null,
  };
}

function cronJob(namespace: string, name: string, schedule: string) {
  return {type: 'cronjob' as const, namespace, name, uid: `${name}-uid`, schedule};
}

function notification(
  kind: PendingNotification['kind'],
  incident: Incident,
  createdAt: string,
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt,
    attempts: 0,
    lastError: null,
    claim: null,
  };
}

const OOM_RUN: RunRef = {
  job: 'db-backup-29540220',
  jobUid: 'db-backup-job-1',
  manual: false,
  at: '2026-03-02T01:06:00Z',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
  detail: 'container main: OOMKilled (exit 137)',
};
const DEADLINE_RUN: RunRef = {
  job: 'db-backup-29540280',
  jobUid: 'db-backup-job-2',
  manual: false,
  at: '2026-03-02T02:10:00Z',
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
  detail: null,
};
const FIXING_RUN: RunRef = {
  job: 'db-backup-29540340',
  jobUid: 'db-backup-job-3',
  manual: false,
  at: '2026-03-02T03:07:00Z',
  reason: null,
  message: null,
  detail: null,
};
const LOG = {
  pod: 'db-backup-29540220-x7k2p',
  container: 'main',
  text: [
    '2026-03-02T01:00:04Z pg_dump: connecting to postgres://backup:password=[masked]',
    '2026-03-02T01:03:41Z pg_dump: table "events": 48,112,004 rows',
    '2026-03-02T01:05:59Z upload: buffering 3.1 GiB in memory before sending to gs://acme-backups',
    '2026-03-02T01:06:00Z fatal error: out of memory',
  ].join('\n'),
  cut: false,
  unavailable: null,
};

function failingOpen(language: Language): FailingIncident {
  return {
    kind: 'failing',
    id: 'db-backup-uid/db-backup-job-1',
    openedAt: OOM_RUN.at ?? '',
    openedBy: OOM_RUN,
    latestFailure: OOM_RUN,
    failedRuns: 1,
    closedAt: null,
    ending: null,
    log: LOG,
    cronJobAtOpen: {lastSuccessAt: '2026-03-01T00:04:12Z', timeZone: null},
    destination: destination(language),
  };
}

function failingClosed(language: Language): FailingIncident {
  return {
    ...failingOpen(language),
    latestFailure: DEADLINE_RUN,
    failedRuns: 2,
    closedAt: FIXING_RUN.at,
    ending: {type: 'succeeded', at: FIXING_RUN.at ?? '', run: FIXING_RUN},
  };
}

const DIGEST_FAIL: RunRef = {
  job: 'send-digest-29540250',
  jobUid: 'send-digest-job-1',
  manual: false,
  at: '2026-03-02T01:33:00Z',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
  detail: 'container main: Error (exit 1)',
};
const DIGEST_FIX: RunRef = {
  job: 'send-digest-manual-7fk2q',
  jobUid: 'send-digest-job-2',
  manual: true,
  at: '2026-03-02T02:02:00Z',
  reason: null,
  message: null,
  detail: null,
};

function recovered(language: Language): FailingIncident {
  return {
    kind: 'failing',
    id: 'send-digest-uid/send-digest-job-1',
    openedAt: DIGEST_FAIL.at ?? '',
    openedBy: DIGEST_FAIL,
    latestFailure: DIGEST_FAIL,
    failedRuns: 1,
    closedAt: DIGEST_FIX.at,
    ending: {type: 'succeeded', at: DIGEST_FIX.at ?? '', run: DIGEST_FIX},
    destination: destination(language),
  };
}

function missed(language: Language): MissedIncident {
  return {
    kind: 'missed',
    id: 'missed:warehouse-load-uid@2026-03-02T01:45:00Z',
    openedAt: '2026-03-02T01:45:00Z',
    schedule: '45 * * * *',
    timeZone: 'UTC',
    firstDueAt: '2026-03-02T01:45:00Z',
    latestDueAt: '2026-03-02T01:45:00Z',
    missedRuns: 1,
    lastStartedAt: '2026-03-02T00:45:00Z',
    closedAt: null,
    ending: null,
    destination: destination(language),
  };
}

function missedClosed(language: Language): MissedIncident {
  return {
    ...missed(language),
    closedAt: '2026-03-02T02:45:00Z',
    ending: {type: 'started', at: '2026-03-02T02:45:00Z'},
  };
}

const STUCK_DETAIL =
  'container main: ImagePullBackOff (Back-off pulling image "registry.example/cache-warmup:v2.4.1-typo")';

function stuck(language: Language): RunningTooLongIncident {
  return {
    kind: 'running-too-long',
    id: 'running-too-long:cache-warmup-job-1',
    job: 'cache-warmup-29540220',
    jobUid: 'cache-warmup-job-1',
    manual: false,
    startedAt: '2026-03-02T01:00:00Z',
    openedAt: '2026-03-02T02:00:00Z',
    limitMs: 3_600_000,
    limitFrom: 'schedule',
    podDetail: STUCK_DETAIL,
    blockedRuns: 1,
    closedAt: null,
    ending: null,
    destination: destination(language),
  };
}

function stuckSucceeded(language: Language): RunningTooLongIncident {
  const at = '2026-03-02T02:25:00Z';
  return {
    ...stuck(language),
    closedAt: at,
    ending: {
      type: 'finished',
      at,
      succeeded: true,
      run: {...FIXING_RUN, job: 'cache-warmup-29540220', jobUid: 'cache-warmup-job-1', at},
    },
  };
}

/** The failure a Job that ran too long ends in: it continues the 🐢 thread. */
function stuckThenFailed(language: Language): FailingIncident {
  const run: RunRef = {
    job: 'cache-warmup-29540220',
    jobUid: 'cache-warmup-job-1',
    manual: false,
    at: '2026-03-02T03:10:00Z',
    reason: 'DeadlineExceeded',
    message: 'Job was active longer than specified deadline',
    detail: null,
  };
  return {
    kind: 'failing',
    id: 'cache-warmup-uid/cache-warmup-job-1',
    openedAt: run.at ?? '',
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    closedAt: null,
    ending: null,
    continues: 'running-too-long:cache-warmup-job-1',
    continuedFrom: {startedAt: '2026-03-02T01:00:00Z', podDetail: STUCK_DETAIL},
    cronJobAtOpen: {lastSuccessAt: '2026-03-01T23:12:40Z', timeZone: null},
    destination: destination(language),
  };
}

const FORBIDDEN = {
  at: '2026-03-02T03:30:00Z',
  code: 'FORBIDDEN',
  message:
    'cluster demo-cluster: cannot list cronjobs.batch at the cluster scope (403 Forbidden): the watcher\'s identity needs list on cronjobs, jobs, pods and events (see infra/k8s/rbac.yaml; rbac-namespace.yaml with NAMESPACES); the API server said: cronjobs.batch is forbidden: User "system:serviceaccount:ops:cronjob-watcher" cannot list resource "cronjobs" in API group "batch" at the cluster scope',
};

function unreadable(language: Language): ClusterUnreadableIncident {
  return {
    kind: 'cluster-unreadable',
    id: 'cluster:kubeconfig/demo-cluster@2026-03-02T03:30:00Z',
    openedAt: FORBIDDEN.at,
    firstError: FORBIDDEN,
    latestError: FORBIDDEN,
    failedReads: 3,
    closedAt: null,
    ending: null,
    destination: destination(language),
  };
}

function readableAgain(language: Language): ClusterUnreadableIncident {
  const at = '2026-03-02T03:42:00Z';
  return {...unreadable(language), closedAt: at, ending: {type: 'readable-again', at}};
}

const MINUTE_MS = 60_000;

/**
 * A CronJob's history as its record keeps it, oldest first: one run per entry, due `every`
 * minutes from `firstDue`, each `[outcome, duration in seconds]` (a missed one has none).
 */
function history(
  name: string,
  firstDue: string,
  everyMinutes: number,
  runs: Array<['succeeded' | 'failed', number] | ['missed']>,
): RecentRun[] {
  return runs.map((r, i) => {
    const due = new Date(Date.parse(firstDue) + i * everyMinutes * MINUTE_MS).toISOString();
    if (r[0] === 'missed') {
      return {job: '', outcome: 'missed', scheduledAt: due, startedAt: null, durationMs: null};
    }
    const job = `${name}-${Date.parse(due) / MINUTE_MS}`;
    return {job, outcome: r[0], scheduledAt: due, startedAt: due, durationMs: r[1] * 1000};
  });
}

/** db-backup's hourly runs up to the OOM failure at 01:00 (one due time missed at 21:00). */
const DB_BACKUP_RUNS = history('db-backup', '2026-03-01T18:00:00Z', 60, [
  ['succeeded', 251],
  ['succeeded', 244],
  ['succeeded', 262],
  ['missed'],
  ['succeeded', 249],
  ['succeeded', 255],
  ['succeeded', 240],
  ['failed', 360],
]);
/** Then 02:00 ran into its deadline, and 03:00 fixed it. */
const DB_BACKUP_RUNS_FIXED = [
  ...DB_BACKUP_RUNS,
  ...history('db-backup', '2026-03-02T02:00:00Z', 60, [
    ['failed', 600],
    ['succeeded', 420],
  ]),
];

/** etl/load's hourly runs (usually 12m) before the slow one at 02:15. */
const ETL_RUNS = history('load', '2026-03-01T19:15:00Z', 60, [
  ['succeeded', 700],
  ['succeeded', 720],
  ['succeeded', 720],
  ['succeeded', 730],
  ['succeeded', 750],
  ['succeeded', 710],
  ['succeeded', 725],
]);
/** With the slow run of 02:15, which took 52m. */
const ETL_RUNS_SLOW = [
  ...ETL_RUNS,
  ...history('load', '2026-03-02T02:15:00Z', 60, [['succeeded', 3120]]),
];

function slower(language: Language): SlowerThanUsualIncident {
  return {
    kind: 'slower-than-usual',
    id: 'slower-than-usual:load-job-1',
    job: 'load-29540295',
    jobUid: 'load-job-1',
    manual: false,
    startedAt: '2026-03-02T02:15:00Z',
    openedAt: '2026-03-02T02:51:00Z',
    usualMs: 12 * MINUTE_MS,
    limitMs: 36 * MINUTE_MS,
    closedAt: null,
    ending: null,
    destination: destination(language),
  };
}

function slowerFinished(language: Language): SlowerThanUsualIncident {
  const at = '2026-03-02T03:07:00Z';
  return {
    ...slower(language),
    closedAt: at,
    ending: {
      type: 'finished',
      at,
      succeeded: true,
      run: {...FIXING_RUN, job: 'load-29540295', jobUid: 'load-job-1', at},
    },
  };
}

/** reports/rollup's hourly runs (usually 4m 12s), the newest one 8s long. */
const ROLLUP_RUNS = history('rollup', '2026-03-01T19:30:00Z', 60, [
  ['succeeded', 245],
  ['succeeded', 252],
  ['succeeded', 252],
  ['succeeded', 248],
  ['succeeded', 252],
  ['succeeded', 260],
  ['succeeded', 271],
  ['succeeded', 8],
]);
/** Then 03:30 took 4m 5s again. */
const ROLLUP_RUNS_USUAL = [
  ...ROLLUP_RUNS,
  ...history('rollup', '2026-03-02T03:30:00Z', 60, [['succeeded', 245]]),
];

function tooFast(language: Language): FinishedTooFastIncident {
  return {
    kind: 'finished-too-fast',
    id: 'finished-too-fast:rollup-job-1',
    job: 'rollup-29540310',
    jobUid: 'rollup-job-1',
    manual: false,
    openedAt: '2026-03-02T02:30:08Z',
    durationMs: 8_000,
    usualMs: 252_000,
    floorMs: 75_600,
    floorFrom: 'learned',
    fastRuns: 1,
    closedAt: null,
    ending: null,
    destination: destination(language),
  };
}

function tooFastClosed(language: Language): FinishedTooFastIncident {
  const at = '2026-03-02T03:34:05Z';
  return {
    ...tooFast(language),
    closedAt: at,
    ending: {
      type: 'succeeded',
      at,
      run: {...FIXING_RUN, job: 'rollup-29540370', jobUid: 'rollup-job-2', at},
    },
    closedByMs: 245_000,
  };
}

/** Hostile values: markup, control sequences, overlong text in every place a value goes. */
function hostile(): FailingIncident {
  const run: RunRef = {
    job: 'backup-a&b<c>',
    jobUid: 'uid-h',
    manual: false,
    at: '2026-03-02T01:06:00Z',
    reason: 'Weird<Reason>&Co*bold*',
    message: `<!channel> \u001b]0;pwned\u0007 ${'& <script> '.repeat(300)}\nsecond line`,
    detail: `container <x>: ${'OOMKilled & '.repeat(100)}\u001b[31m`,
  };
  return {
    kind: 'failing',
    id: 'hostile/uid-h',
    openedAt: run.at ?? '',
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    closedAt: null,
    ending: null,
    log: {...LOG, text: 'line one\n\u001b]52;c;cHduZWQ=\u0007copied\n```fence``` & <b>'},
    destination: destination('en'),
  };
}

/** An `acted` notification: someone acknowledged or snoozed the incident, or a snooze ended. */
function acted(incident: Incident, action: ActionEvent, createdAt: string): PendingNotification {
  return {
    ...notification('acted', incident, createdAt),
    id: `${incident.id}/${action.type}:${action.by}@${action.at}`,
    action,
  };
}

const ON_CALL = 'U0ONCALL01';

/** Every row, in the order the README's pictures follow. */
export function messageCases(): MessageCase[] {
  const cases: MessageCase[] = [];
  const gke = (
    subject: ReturnType<typeof cronJob>,
    recentRuns?: RecentRun[],
  ): NotificationContext => ({
    cluster: GKE,
    subject,
    thread: null,
    ...(recentRuns === undefined ? {} : {recentRuns}),
  });
  const dbBackup = cronJob('backups', 'db-backup', '0 * * * *');
  const warehouse = cronJob('data', 'warehouse-load', '45 * * * *');
  const cache = cronJob('ops', 'cache-warmup', '0 * * * *');
  const digest = cronJob('mail', 'send-digest', '30 * * * *');
  const load = cronJob('etl', 'load', '15 * * * *');
  const rollup = cronJob('reports', 'rollup', '30 * * * *');
  for (const language of ['en', 'ja'] as const) {
    const row = (name: string, n: PendingNotification, context: NotificationContext) =>
      cases.push({name: `${name}.${language}`, notification: n, context});
    row(
      'failing-opened',
      notification('opened', failingOpen(language), '2026-03-02T01:20:00Z'),
      gke(dbBackup, DB_BACKUP_RUNS),
    );
    row(
      'failing-closed',
      notification('closed', failingClosed(language), '2026-03-02T03:20:00Z'),
      gke(dbBackup, DB_BACKUP_RUNS_FIXED),
    );
    row(
      'missed-opened',
      notification('opened', missed(language), '2026-03-02T02:00:00Z'),
      gke(warehouse),
    );
    row(
      'missed-closed',
      notification('closed', missedClosed(language), '2026-03-02T02:50:00Z'),
      gke(warehouse),
    );
    row(
      'missed-recovered',
      notification('recovered', missedClosed(language), '2026-03-02T02:50:00Z'),
      gke(warehouse),
    );
    row(
      'stuck-opened',
      notification('opened', stuck(language), '2026-03-02T02:20:00Z'),
      gke(cache),
    );
    row(
      'stuck-closed',
      notification('closed', stuckSucceeded(language), '2026-03-02T02:30:00Z'),
      gke(cache),
    );
    row(
      'stuck-then-failed',
      notification('opened', stuckThenFailed(language), '2026-03-02T03:20:00Z'),
      gke(cache),
    );
    row(
      'recovered',
      notification('recovered', recovered(language), '2026-03-02T02:05:00Z'),
      gke(digest),
    );
    const acknowledged = {
      ...failingOpen(language),
      acknowledged: {by: ON_CALL, at: '2026-03-02T01:25:00Z'},
    };
    row(
      'failing-acknowledged',
      acted(
        acknowledged,
        {type: 'acknowledged', by: ON_CALL, at: '2026-03-02T01:25:00Z'},
        '2026-03-02T01:25:00Z',
      ),
      gke(dbBackup),
    );
    row(
      'failing-snoozed',
      acted(
        {
          ...acknowledged,
          snoozed: {by: ON_CALL, at: '2026-03-02T01:30:00Z', until: '2026-03-02T05:30:00Z'},
        },
        {
          type: 'snoozed',
          by: ON_CALL,
          at: '2026-03-02T01:30:00Z',
          until: '2026-03-02T05:30:00Z',
        },
        '2026-03-02T01:30:00Z',
      ),
      gke(dbBackup),
    );
    row(
      'missed-snooze-ended',
      acted(
        {...missed(language), missedRuns: 3},
        {
          type: 'snooze-ended',
          by: ON_CALL,
          at: '2026-03-02T03:00:00Z',
          until: '2026-03-02T03:00:00Z',
          meanwhile: 2,
        },
        '2026-03-02T03:00:00Z',
      ),
      gke(warehouse),
    );
    row(
      'slower-opened',
      notification('opened', slower(language), '2026-03-02T03:02:00Z'),
      gke(load, ETL_RUNS),
    );
    row(
      'slower-closed',
      notification('closed', slowerFinished(language), '2026-03-02T03:07:00Z'),
      gke(load, ETL_RUNS_SLOW),
    );
    row(
      'too-fast-opened',
      notification('opened', tooFast(language), '2026-03-02T02:31:00Z'),
      gke(rollup, ROLLUP_RUNS),
    );
    row(
      'too-fast-closed',
      notification('closed', tooFastClosed(language), '2026-03-02T03:35:00Z'),
      gke(rollup, ROLLUP_RUNS_USUAL),
    );
    const local: NotificationContext = {cluster: LOCAL, subject: {type: 'cluster'}, thread: null};
    row(
      'unreadable-opened',
      notification('opened', unreadable(language), '2026-03-02T03:40:00Z'),
      local,
    );
    row(
      'unreadable-closed',
      notification('closed', readableAgain(language), '2026-03-02T03:42:00Z'),
      local,
    );
    // Opened during the Saturday-night window 01:00-03:00, announced as it ended (issue 22 §4).
    row(
      'failing-opened-after-maintenance',
      notification(
        'opened',
        {
          ...failingOpen(language),
          maintenance: {start: '2026-03-02T01:00:00Z', end: '2026-03-02T03:00:00Z'},
        },
        '2026-03-02T03:00:00Z',
      ),
      gke(dbBackup),
    );
    // A day and three days later, still open (issue 22 §2): thread replies.
    row(
      'failing-reminder',
      notification('reminder', {...failingOpen(language), failedRuns: 26}, '2026-03-03T01:06:30Z'),
      gke(dbBackup),
    );
    row(
      'missed-reminder',
      notification(
        'reminder',
        {...missed(language), missedRuns: 72, latestDueAt: '2026-03-05T00:45:00Z'},
        '2026-03-05T01:00:00Z',
      ),
      gke(warehouse),
    );
    row(
      'stuck-reminder',
      notification('reminder', stuck(language), '2026-03-03T02:20:00Z'),
      gke(cache),
    );
    row(
      'unreadable-reminder',
      notification('reminder', {...unreadable(language), failedReads: 290}, '2026-03-03T03:40:00Z'),
      local,
    );
  }
  const localJob: NotificationContext = {
    cluster: LOCAL,
    subject: cronJob('backups', 'db-backup', '0 * * * *'),
    thread: null,
  };
  cases.push({
    name: 'failing-opened-kubeconfig.en',
    notification: notification(
      'opened',
      {...failingOpen('en'), destination: destination('en', false)},
      '2026-03-02T01:20:00Z',
    ),
    context: localJob,
  });
  cases.push({
    name: 'failing-opened-hostile.en',
    notification: notification('opened', hostile(), '2026-03-02T01:20:00Z'),
    context: {
      cluster: {...GKE, name: `prod <eu> & ${'x'.repeat(300)}`},
      subject: cronJob('batch', 'backup', '0 * * * *'),
      thread: null,
    },
  });
  const extra = (name: string, n: PendingNotification, context: NotificationContext) =>
    cases.push({name: `${name}.en`, notification: n, context});
  const {cronJobAtOpen: _none, ...withoutFacts} = failingClosed('en');
  extra(
    'failing-opened-older-record',
    notification(
      'opened',
      {...withoutFacts, closedAt: null, ending: null, failedRuns: 3},
      '2026-03-02T02:15:00Z',
    ),
    gke(dbBackup),
  );
  extra(
    'failing-closed-cronjob-deleted',
    notification(
      'closed',
      {
        ...failingOpen('en'),
        closedAt: '2026-03-02T04:00:00Z',
        ending: {type: 'cronjob-deleted', at: '2026-03-02T04:00:00Z'},
      },
      '2026-03-02T04:00:00Z',
    ),
    gke(dbBackup),
  );
  extra(
    'missed-opened-capped-tokyo',
    notification(
      'opened',
      {
        ...missed('en'),
        schedule: '0 9 * * 1-5',
        timeZone: 'Asia/Tokyo',
        missedRuns: 101,
        lastStartedAt: null,
      },
      '2026-03-02T02:00:00Z',
    ),
    gke(cronJob('data', 'weekday-report', '0 9 * * 1-5')),
  );
  extra(
    'stuck-opened-no-pod-detail',
    notification(
      'opened',
      {...stuck('en'), podDetail: null, blockedRuns: 0, limitFrom: 'annotation'},
      '2026-03-02T02:20:00Z',
    ),
    gke(cache),
  );
  extra(
    'failing-closed-muted',
    notification(
      'closed',
      {
        ...failingOpen('en'),
        closedAt: '2026-03-02T02:00:00Z',
        ending: {type: 'muted', at: '2026-03-02T02:00:00Z'},
      },
      '2026-03-02T02:00:00Z',
    ),
    gke(dbBackup),
  );
  extra(
    'stuck-opened-snoozed-until-recovery',
    notification(
      'opened',
      {...stuck('en'), snoozed: {by: ON_CALL, at: '2026-03-02T02:15:00Z', until: 'recovery'}},
      '2026-03-02T02:20:00Z',
    ),
    gke(cache),
  );
  extra(
    'failing-unacknowledged',
    acted(
      failingOpen('en'),
      {type: 'unacknowledged', by: 'U0SECOND02', at: '2026-03-02T01:40:00Z'},
      '2026-03-02T01:40:00Z',
    ),
    gke(dbBackup),
  );
  extra(
    'unreadable-snooze-ended-quiet',
    acted(
      unreadable('en'),
      {
        type: 'snooze-ended',
        by: ON_CALL,
        at: '2026-03-02T04:40:00Z',
        until: '2026-03-02T04:40:00Z',
        meanwhile: 0,
      },
      '2026-03-02T04:40:00Z',
    ),
    {cluster: LOCAL, subject: {type: 'cluster'}, thread: null},
  );
  extra(
    'slower-closed-failed',
    notification(
      'closed',
      {
        ...slowerFinished('en'),
        ending: {
          type: 'finished',
          at: '2026-03-02T03:07:00Z',
          succeeded: false,
          run: {...DEADLINE_RUN, job: 'load-29540295', jobUid: 'load-job-1'},
        },
      },
      '2026-03-02T03:07:00Z',
    ),
    gke(load, [...ETL_RUNS, ...history('load', '2026-03-02T02:15:00Z', 60, [['failed', 3120]])]),
  );
  extra(
    'too-fast-opened-floor-annotation',
    notification(
      'opened',
      {...tooFast('en'), usualMs: null, floorMs: 60_000, floorFrom: 'annotation', fastRuns: 3},
      '2026-03-02T02:31:00Z',
    ),
    gke(rollup),
  );
  extra(
    'too-fast-recovered',
    notification('recovered', tooFastClosed('en'), '2026-03-02T03:35:00Z'),
    gke(rollup, ROLLUP_RUNS_USUAL),
  );
  return cases;
}

/**
 * One storm parent of the golden table (issue 22 §1): a storm as its record holds it, the
 * cluster its controls name, and the message it owes (absent: the parent as it stands).
 */
export interface StormCase {
  name: string;
  storm: StormState;
  cluster: ClusterRef;
  send?: StormSend;
}

// The morning's outage: a node pool that cannot pull images takes 23 CronJobs down at 01:06.
const STORM_NAMESPACES = ['backups', 'data', 'mail', 'reports'];

/** Member `i` of the storm; the first `recovered` recovered by 03:11. */
function stormMember(i: number, recovered: number): StormMember {
  const namespace = STORM_NAMESPACES[i % STORM_NAMESPACES.length] ?? 'batch';
  const kind = i % 7 === 6 ? 'running-too-long' : i % 5 === 4 ? 'missed' : 'failing';
  return {
    key: `${namespace}/job-${String(i).padStart(2, '0')}`,
    incidentId: `job-${i}-uid/job-${i}-29539566`,
    kind,
    namespace,
    name: `job-${String(i).padStart(2, '0')}`,
    reason:
      kind === 'missed'
        ? null
        : kind === 'running-too-long'
          ? 'ImagePullBackOff'
          : i % 3 === 0
            ? 'BackoffLimitExceeded'
            : 'ErrImagePull',
    recoveredAt:
      i < recovered ? `2026-03-02T0${i < 9 ? 2 : 3}:${String(10 + i).padStart(2, '0')}:00Z` : null,
  };
}

function storm(language: Language, count: number, recovered: number): StormState {
  const members = Array.from({length: count}, (_, i) => stormMember(i, recovered));
  const done = recovered === count;
  return {
    id: '2026-03-02T01:30:00.000Z#',
    clusterName: 'demo-cluster',
    destination: {...destination(language), mention: '<!subteam^S0ONCALL>'},
    openedAt: '2026-03-02T01:06:30Z',
    members,
    parent: {channel: 'C0ALERTS01', ts: '1772415000.000100'},
    shown: recovered,
    // From the first failure (01:06:30) to the last recovery (03:11:35).
    finishedAt: done ? '2026-03-02T03:11:35Z' : null,
    send: null,
  };
}

/** The acted message a storm owes after `action` on its parent, acting on `count` members. */
function stormActed(action: ActionEvent, count: number): StormSend {
  return {
    id: `2026-03-02T01:30:00.000Z#/${action.type}:${action.by}@${action.at}`,
    kind: 'acted',
    createdAt: action.at,
    attempts: 0,
    lastError: null,
    claim: null,
    action,
    count,
  };
}

/** Every storm parent of the golden table. */
export function stormCases(): StormCase[] {
  const cases: StormCase[] = [];
  const cluster = GKE;
  const id = '2026-03-02T01:30:00.000Z#';
  for (const language of ['en', 'ja'] as const) {
    cases.push({name: `storm-opened.${language}`, storm: storm(language, 23, 0), cluster});
    cases.push({name: `storm-progress.${language}`, storm: storm(language, 23, 9), cluster});
    cases.push({name: `storm-recovered.${language}`, storm: storm(language, 23, 23), cluster});
    // Someone on call takes the whole outage from the parent at 01:41, nine recovered later.
    const by = 'U0ALICE001';
    const at = '2026-03-02T01:41:00.000Z';
    cases.push({
      name: `storm-acknowledged.${language}`,
      storm: {...storm(language, 23, 0), acknowledged: {by, at}},
      cluster,
      send: stormActed({type: 'acknowledged', by, at, storm: id}, 23),
    });
    const until = '2026-03-02T05:41:00.000Z';
    cases.push({
      name: `storm-snoozed.${language}`,
      storm: {...storm(language, 23, 9), acknowledged: {by, at}, snoozed: {by, at, until}},
      cluster,
      send: stormActed({type: 'snoozed', by, at, until, storm: id}, 14),
    });
    cases.push({
      name: `storm-reminder.${language}`,
      storm: storm(language, 23, 9),
      cluster,
      send: {
        id: `${id}/reminder-1`,
        kind: 'reminder',
        createdAt: '2026-03-03T01:10:00.000Z',
        attempts: 0,
        lastError: null,
        claim: null,
        count: 14,
      },
    });
    cases.push({
      name: `storm-snooze-ended.${language}`,
      storm: {...storm(language, 23, 9), acknowledged: {by, at}},
      cluster,
      send: stormActed({type: 'snooze-ended', by, at: until, until, meanwhile: 0, storm: id}, 14),
    });
  }
  // A thousand: every list cut to Slack's limits, "and N more"; the thread starts with all
  // of them, a few hundred a message (the roster's first and last pages).
  cases.push({name: 'storm-thousand.en', storm: storm('en', 1000, 0), cluster});
  const roster = (page: number): StormSend => ({
    id: `${id}/roster-${page}`,
    kind: 'roster',
    createdAt: '2026-03-02T01:30:00.000Z',
    attempts: 0,
    lastError: null,
    claim: null,
    page,
  });
  cases.push({name: 'storm-roster-1.en', storm: storm('en', 1000, 0), cluster, send: roster(1)});
  cases.push({name: 'storm-roster-2.en', storm: storm('en', 1000, 3), cluster, send: roster(2)});
  cases.push({name: 'storm-roster-1.ja', storm: storm('ja', 60, 0), cluster, send: roster(1)});
  return cases;
}
