/**
 * `cronjob-watcher status`, run as a user runs it, against the Kubernetes API test server
 * loaded with every fixture: the verdicts of `test/fixtures/kubernetes/expected-verdicts.json`
 * in the `--json` document and in the table, paging, and `--namespace`.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {KubeApiServer, RequestRecord} from '../support/kube-api-server.js';
import {loadExpectedVerdicts, loadFixtureObjects} from '../support/kube-fixtures.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {humanDuration} from '../../functions/core/status-report.js';
import {
  expectedCronJobKeys,
  failingCronJobs,
  fixtureCronJob,
  filesUnder,
  fixtureJob,
  runCli,
  runOnTerminal,
  shown,
  tempDir,
  type CliResult,
} from './helpers.js';

const fixtures = loadFixtureObjects();
const expected = loadExpectedVerdicts();

// An ANSI escape sequence (colour).
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[/;

// Smaller than both object counts (15 CronJobs, 33 Jobs): several pages of each.
const SMALL_PAGE = 3;

/** ISO-8601 in UTC as `Date.toISOString` writes it (milliseconds optional). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

interface RunDoc {
  job: string;
  outcome: string;
  reason: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  manual: boolean;
}

interface CronJobDoc {
  namespace: string;
  name: string;
  schedule: string;
  suspended: boolean;
  lastRun: RunDoc | null;
  lastFinishedRun: RunDoc | null;
}

interface StatusDoc {
  cronJobs: CronJobDoc[];
}

/**
 * The document without the due times, which `status` computes from the real clock: two runs a
 * moment apart can straddle a due time (a 15-minute schedule), and that is not what they compare.
 */
function clockFree(doc: StatusDoc): unknown {
  return {
    ...doc,
    cronJobs: doc.cronJobs.map(c => ({...c, lastDueAt: undefined, nextDueAt: undefined})),
  };
}

function parseStatus(result: CliResult): StatusDoc {
  assert.equal(result.code, 0, shown(result));
  let doc: unknown;
  assert.doesNotThrow(
    () => {
      doc = JSON.parse(result.stdout);
    },
    `stdout is one JSON document\n${shown(result)}`,
  );
  assert.ok(typeof doc === 'object' && doc !== null && 'cronJobs' in doc, shown(result));
  assert.ok(Array.isArray(doc.cronJobs));
  return doc as StatusDoc;
}

function isoOrNull(value: unknown, what: string): void {
  if (value === null) return;
  assert.equal(typeof value, 'string', what);
  assert.match(value as string, ISO_UTC, what);
}

/** The `Failed=True` condition's message, else `FailureTarget=True`'s (what a failure says). */
function failureMessageOf(jobKey: string): string | null {
  const status = fixtureJob(fixtures, jobKey).status as
    {conditions?: Array<{type: string; status: string; message?: string}>} | undefined;
  const conditions = status?.conditions ?? [];
  const of = (type: string) => conditions.find(c => c.type === type && c.status === 'True');
  return (of('Failed') ?? of('FailureTarget'))?.message ?? null;
}

function startTimeOf(jobKey: string): string | null {
  const status = fixtureJob(fixtures, jobKey).status as {startTime?: string} | undefined;
  return status?.startTime ?? null;
}

/** Checks one run of the document against expected-verdicts.json and the fixture Job. */
function assertRun(run: unknown, namespace: string, jobName: string, where: string): void {
  assert.ok(typeof run === 'object' && run !== null, `${where}: a run object`);
  const r = run as RunDoc;
  assert.deepEqual(
    Object.keys(r).sort(),
    ['finishedAt', 'job', 'manual', 'message', 'outcome', 'reason', 'startedAt'],
    where,
  );
  const key = `${namespace}/${jobName}`;
  const want = expected.jobs[key];
  assert.ok(want !== undefined, `expected-verdicts has ${key}`);
  assert.equal(r.job, jobName, where);
  assert.equal(r.outcome, want.outcome, `${where}: outcome of ${key}`);
  assert.equal(r.reason, want.reason, `${where}: reason of ${key}`);
  assert.equal(r.manual, want.manual, `${where}: manual of ${key}`);
  isoOrNull(r.finishedAt, `${where}: finishedAt`);
  isoOrNull(r.startedAt, `${where}: startedAt`);
  assert.equal(
    r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
    want.finishedAt === null ? null : new Date(want.finishedAt).toISOString(),
    `${where}: finishedAt of ${key}`,
  );
  const started = startTimeOf(key);
  if (started !== null) {
    assert.equal(r.startedAt, new Date(started).toISOString(), `${where}: startedAt of ${key}`);
  }
  if (want.outcome === 'failed') {
    assert.equal(r.message, failureMessageOf(key), `${where}: message of ${key}`);
    assert.ok(r.message !== null && r.message !== '', `${where}: a failure says why`);
  }
}

function listRequests(requests: RequestRecord[], path: string): RequestRecord[] {
  return requests.filter(r => r.path === path);
}

describe('cronjob-watcher status against the test API server with every fixture', () => {
  let server: KubeApiServer;
  let kubeconfig: string;
  let unpaged: CliResult;
  let unpagedRequests: RequestRecord[];

  before(async () => {
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({
      context: 'fixture',
      token: TOKEN,
      extraContexts: ['other'],
    });
    // The command exactly as the README gives it, through npx from the checkout.
    server.clearRequests();
    unpaged = await runCli(['status', '--kubeconfig', kubeconfig, '--json'], {via: 'npx'});
    unpagedRequests = [...server.requests];
  });
  after(async () => {
    await server.close();
  });

  it('--json gives every CronJob with its last run and last finished run, as expected', () => {
    const doc = parseStatus(unpaged);
    const got = doc.cronJobs.map(c => `${c.namespace}/${c.name}`);
    assert.deepEqual([...got].sort(), expectedCronJobKeys(expected));
    assert.equal(new Set(got).size, got.length, 'one entry per CronJob');

    for (const c of doc.cronJobs) {
      const key = `${c.namespace}/${c.name}`;
      const want = expected.cronJobs[key];
      assert.ok(want !== undefined);
      const spec = fixtureCronJob(fixtures, key).spec as {schedule: string; suspend?: boolean};
      assert.equal(c.schedule, spec.schedule, `${key}: schedule`);
      assert.equal(c.suspended, want.suspended ?? false, `${key}: suspended`);
      assert.equal(c.suspended, spec.suspend === true, `${key}: suspended as the spec says`);

      if (want.lastRun === null) assert.equal(c.lastRun, null, `${key}: never ran`);
      else assertRun(c.lastRun, c.namespace, want.lastRun, `${key} lastRun`);
      if (want.lastFinishedRun === null) {
        assert.equal(c.lastFinishedRun, null, `${key}: no finished run`);
      } else {
        assertRun(c.lastFinishedRun, c.namespace, want.lastFinishedRun, `${key} lastFinishedRun`);
      }
      if (want.lastRunManual === true) assert.equal(c.lastRun?.manual, true, `${key}: manual`);
    }
  });

  it('--json: the cases the fixtures are about, spelled out', () => {
    const doc = parseStatus(unpaged);
    const byKey = new Map(doc.cronJobs.map(c => [`${c.namespace}/${c.name}`, c]));
    // Never ran: no run at all, not an empty object.
    assert.equal(byKey.get('reports/quarterly-audit')?.lastRun, null);
    assert.equal(byKey.get('reports/quarterly-audit')?.lastFinishedRun, null);
    assert.equal(byKey.get('reports/yearly-purge')?.suspended, true);
    // Failed despite `succeeded: 1`.
    assert.equal(byKey.get('data/nightly-load')?.lastRun?.outcome, 'failed');
    assert.equal(byKey.get('data/nightly-load')?.lastRun?.reason, 'DeadlineExceeded');
    // A reason no Kubernetes version writes, kept as it is.
    assert.equal(byKey.get('ops/cache-warmup')?.lastRun?.reason, 'ManuallyTerminated');
    // Fixed by hand: the manual re-run is the latest run.
    assert.deepEqual(
      {...byKey.get('backups/files-backup')?.lastRun, message: null},
      {
        job: 'files-backup-rerun-0810',
        outcome: 'succeeded',
        reason: null,
        message: null,
        startedAt: new Date(startTimeOf('backups/files-backup-rerun-0810') ?? '').toISOString(),
        finishedAt: '2026-03-10T08:19:03.000Z',
        manual: true,
      },
    );
    // Only a running Job: a last run, no finished one.
    assert.equal(byKey.get('data/stream-compact')?.lastRun?.outcome, 'running');
    assert.equal(byKey.get('data/stream-compact')?.lastFinishedRun, null);
  });

  it('--json: Jobs no CronJob controls appear nowhere', () => {
    assert.equal(unpaged.code, 0, shown(unpaged));
    assert.equal(expected.ignoredJobs.length, 4);
    for (const key of expected.ignoredJobs) {
      const name = key.split('/')[1] as string;
      assert.ok(!unpaged.stdout.includes(`"${name}"`), `${key} is ignored`);
    }
  });

  it('--json with the default page size reads each list in one request', () => {
    assert.equal(unpaged.code, 0, shown(unpaged));
    const cronJobLists = listRequests(unpagedRequests, '/apis/batch/v1/cronjobs');
    const jobLists = listRequests(unpagedRequests, '/apis/batch/v1/jobs');
    assert.equal(cronJobLists.length, 1);
    assert.equal(jobLists.length, 1);
    assert.equal(cronJobLists[0]?.query.limit, '500');
    assert.ok(
      unpagedRequests.every(r => r.token === TOKEN),
      'the kubeconfig token was sent',
    );
  });

  it(`PAGE_SIZE=${SMALL_PAGE} pages through cronjobs and jobs and gives the same document`, async () => {
    assert.ok(SMALL_PAGE < fixtures.cronJobs.length && SMALL_PAGE < fixtures.jobs.length);
    server.clearRequests();
    const paged = await runCli(['status', '--kubeconfig', kubeconfig, '--json'], {
      env: {PAGE_SIZE: String(SMALL_PAGE)},
    });
    const doc = parseStatus(paged);
    assert.deepEqual(clockFree(doc), clockFree(parseStatus(unpaged)));

    for (const [path, count] of [
      ['/apis/batch/v1/cronjobs', fixtures.cronJobs.length],
      ['/apis/batch/v1/jobs', fixtures.jobs.length],
    ] as const) {
      const pages = listRequests(server.requests, path);
      assert.equal(pages.length, Math.ceil(count / SMALL_PAGE), `${path}: pages`);
      assert.ok(
        pages.every(p => p.query.limit === String(SMALL_PAGE) && p.status === 200),
        path,
      );
      assert.equal(pages[0]?.query.continue, undefined, `${path}: the first page has no token`);
      const tokens = pages.slice(1).map(p => p.query.continue);
      assert.ok(
        tokens.every(t => typeof t === 'string' && t !== ''),
        `${path}: later pages continue`,
      );
      assert.equal(new Set(tokens).size, tokens.length, `${path}: each page a new token`);
    }
  });

  it('prints a table like kubectl get: result, age and incident per CronJob, under 120 columns', async () => {
    const stateDir = await tempDir('status-state');
    const startedMs = Date.now();
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
    const endedMs = Date.now();
    assert.equal(result.code, 0, shown(result));
    assert.equal(result.stderr, '', shown(result));
    assert.doesNotMatch(result.stdout, ESCAPE, 'no colour when stdout is not a terminal');
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) assert.ok(line.length <= 120, `${line.length} columns: ${line}`);
    // Columns are separated by at least two spaces; no cell holds two spaces in a row.
    const rows = lines.map(line => line.split(/ {2,}/));
    assert.deepEqual(rows[0], [
      'NAMESPACE',
      'NAME',
      'SCHEDULE',
      'LAST RESULT',
      'LAST RUN',
      'INCIDENT',
    ]);
    const body = rows.slice(1);
    assert.equal(body.length, Object.keys(expected.cronJobs).length, result.stdout);
    const row = (key: string) => body.find(r => `${r[0]}/${r[1]}` === key);
    /** The age kubectl would print for `iso`, as of some moment during the run. */
    const age = (iso: string) => {
      const at = Date.parse(iso);
      return [humanDuration(startedMs - at), humanDuration(endedMs - at)];
    };
    /** `want`: every cell but LAST RUN, which is checked against `lastRunAt`. */
    const assertRow = (key: string, want: string[], lastRunAt: string | null) => {
      const got = row(key);
      assert.ok(got !== undefined, `${key} has a row`);
      assert.deepEqual([...got.slice(0, 4), ...got.slice(5)], want, key);
      if (lastRunAt === null) assert.equal(got[4], '<none>', key);
      else assert.ok(age(lastRunAt).includes(got[4] as string), `${key}: ${got[4]}`);
    };
    // When each latest run started, from the --json document (checked against the fixtures
    // by the tests above).
    const started = new Map(
      parseStatus(unpaged).cronJobs.map(c => [`${c.namespace}/${c.name}`, c.lastRun?.startedAt]),
    );
    const startOf = (key: string) => started.get(key) ?? '';
    // Every cell but LAST RUN; `true`: the CronJob ran, so LAST RUN is the age of its start.
    const table: Array<[string, string[], boolean]> = [
      ['backups/db-backup', ['0 * * * *', 'Complete', '<none>'], true],
      ['mail/send-digest', ['*/15 * * * *', 'BackoffLimitExceeded', '<none>'], true],
      ['ops/cache-warmup', ['0 */2 * * *', 'ManuallyTerminated', '<none>'], true],
      // Fixed by hand: the manual re-run is the latest run.
      ['backups/files-backup', ['0 3 * * *', 'Complete', '<none>'], true],
      ['reports/quarterly-audit', ['0 7 1 */3 *', '<none>', '<none>'], false],
      // Suspended (SUSPEND is in -o wide): no incident opens for what it does not run.
      ['reports/yearly-purge', ['0 5 2 1 *', '<none>', 'suspended'], false],
    ];
    for (const [key, cells, ran] of table) {
      assertRow(key, [...key.split('/'), ...cells], ran ? startOf(key) : null);
    }
    // Running now: "Running" and for how long.
    const exportCsv = row('data/export-csv');
    assert.ok(
      age(startOf('data/export-csv')).some(a => exportCsv?.[3] === `Running ${a}`),
      String(exportCsv),
    );
    for (const key of expected.ignoredJobs) {
      assert.ok(!result.stdout.includes(key.split('/')[1] as string), `${key} is ignored`);
    }
  });

  // Three CLI runs (check, status, status --json): more than the runner's 2 minutes on a
  // loaded machine.
  it(
    'INCIDENT shows the open incident and since when, after a check opened it',
    {timeout: 300_000},
    async () => {
      const stateDir = await tempDir('status-incidents');
      const checked = await runCli(['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
      assert.equal(checked.code, 0, shown(checked));
      const startedMs = Date.now();
      const result = await runCli(['status', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
      const endedMs = Date.now();
      assert.equal(result.code, 0, shown(result));
      const rows = result.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map(l => l.split(/ {2,}/));
      const failing = failingCronJobs(expected);
      for (const r of rows) {
        const key = `${r[0]}/${r[1]}`;
        const incident = r[5] as string;
        if (!failing.includes(key)) {
          const spec = fixtureCronJob(fixtures, key).spec as {suspend?: boolean};
          const suspended = spec.suspend === true;
          assert.equal(incident, suspended ? 'suspended' : '<none>', key);
          continue;
        }
        // Since the failure time of the run that opened it: the latest finished run here.
        const run = expected.cronJobs[key]?.lastFinishedRun as string;
        const failedAt = expected.jobs[`${r[0]}/${run}`]?.finishedAt as string;
        const at = Date.parse(failedAt);
        assert.ok(
          [humanDuration(startedMs - at), humanDuration(endedMs - at)].some(
            a => incident === `failing ${a}`,
          ),
          `${key}: ${incident}`,
        );
      }
      const json = parseStatus(
        await runCli(['status', '--kubeconfig', kubeconfig, '--state-dir', stateDir, '--json']),
      ) as unknown as {cronJobs: Array<{namespace: string; name: string; incidents: unknown[]}>};
      assert.deepEqual(
        json.cronJobs
          .filter(c => c.incidents.length > 0)
          .map(c => `${c.namespace}/${c.name}`)
          .sort(),
        failing,
      );
      const digest = json.cronJobs.find(c => c.name === 'send-digest');
      assert.deepEqual(digest?.incidents, [
        {kind: 'failing', since: '2026-03-10T09:02:05.000Z', failedRuns: 1},
      ]);
    },
  );

  it('-o wide adds the time zone, active Jobs, latest Job, last finished run, last success, channel, recent runs', async () => {
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '-o', 'wide'], {
      env: {
        SLACK_BOT_TOKEN: 'xoxb-status-never-calls-slack',
        SLACK_CHANNEL: 'C0ALERTS01',
        ROUTES: '*/backups=C0BACKUP01',
      },
    });
    assert.equal(result.code, 0, shown(result));
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map(l => l.split(/ {2,}/));
    assert.equal(
      rows[0]?.join(' | '),
      'NAMESPACE | NAME | SCHEDULE | TIMEZONE | SUSPEND | ACTIVE | LAST RESULT | LAST RUN | ' +
        'LAST JOB | LAST FINISHED | LAST SUCCESS | CHANNEL | INCIDENT | RECENT',
    );
    const row = (key: string) => rows.find(r => `${r[0]}/${r[1]}` === key);
    assert.equal(row('backups/files-backup')?.[11], 'C0BACKUP01', 'routed by ROUTES');
    assert.equal(row('data/export-csv')?.[11], 'C0ALERTS01', 'SLACK_CHANNEL otherwise');
    assert.equal(row('reports/quarterly-audit')?.[3], 'America/New_York');
    assert.equal(row('backups/files-backup')?.[8], 'files-backup-rerun-0810 (manual)');
    const exportCsv = row('data/export-csv');
    assert.equal(exportCsv?.[5], '1', 'one Job active');
    assert.equal(exportCsv?.[8], 'export-csv-29552225');
    assert.match(exportCsv?.[9] ?? '', /^Complete \d+[smhdy]/);
    assert.equal(row('data/stream-compact')?.[9], '<none>', 'nothing finished yet');
    assert.equal(row('data/stream-compact')?.[13], '<none>', 'no recent runs either');
    assert.match(exportCsv?.[13] ?? '', /^(✅|❌)( (✅|❌))*$/, 'the finished Jobs, as marks');
  });

  it('-o wide without a Slack token: CHANNEL is where messages would go, as routes apply the same', async () => {
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '-o', 'wide'], {
      env: {SLACK_CHANNEL: 'C0ALERTS01', ROUTES: '*/backups=C0BACKUP01'},
    });
    assert.equal(result.code, 0, shown(result));
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map(l => l.split(/ {2,}/));
    const channel = (key: string) => rows.find(r => `${r[0]}/${r[1]}` === key)?.[11];
    assert.equal(channel('backups/files-backup'), 'C0BACKUP01', 'routed by ROUTES');
    assert.equal(channel('data/export-csv'), 'C0ALERTS01', 'SLACK_CHANNEL otherwise');
    const unset = await runCli(['status', '--kubeconfig', kubeconfig, '-o', 'wide'], {
      env: {ROUTES: '*/backups=C0BACKUP01'},
    });
    const unsetRows = unset.stdout
      .trimEnd()
      .split('\n')
      .map(l => l.split(/ {2,}/));
    const unsetChannel = (key: string) => unsetRows.find(r => `${r[0]}/${r[1]}` === key)?.[11];
    assert.equal(unsetChannel('backups/db-backup'), 'C0BACKUP01', shown(unset));
    assert.equal(unsetChannel('data/export-csv'), '<none>', 'no route, no SLACK_CHANNEL');
  });

  it('-l/--selector: the CronJobs whose labels match, asked of the API server as labelSelector', async () => {
    const selector = 'app.kubernetes.io/part-of in (mail, ops),app.kubernetes.io/name!=log-rotate';
    // The expectation, from the fixtures' own labels.
    const want = fixtures.cronJobs
      .filter(c => {
        const labels = c.metadata.labels ?? {};
        const partOf = labels['app.kubernetes.io/part-of'];
        return (
          (partOf === 'mail' || partOf === 'ops') &&
          labels['app.kubernetes.io/name'] !== 'log-rotate'
        );
      })
      .map(c => `${c.metadata.namespace}/${c.metadata.name}`)
      .sort();
    assert.equal(want.length, 3);
    server.clearRequests();
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '-l', selector, '--json']);
    const doc = parseStatus(result);
    assert.deepEqual(doc.cronJobs.map(c => `${c.namespace}/${c.name}`).sort(), want);
    const lists = server.requests.filter(r => r.path === '/apis/batch/v1/cronjobs');
    assert.deepEqual(
      lists.map(r => r.query.labelSelector),
      ['app.kubernetes.io/part-of in (mail,ops),app.kubernetes.io/name!=log-rotate'],
    );
    // The same CronJobs with their runs as without the selector.
    const all = parseStatus(unpaged);
    assert.deepEqual(
      clockFree(doc),
      clockFree({
        ...all,
        cronJobs: all.cronJobs.filter(c => want.includes(`${c.namespace}/${c.name}`)),
      }),
    );
    const none = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--selector',
      '!app.kubernetes.io/name',
    ]);
    assert.equal(none.code, 0, shown(none));
    assert.equal(none.stdout, 'No CronJobs found.\n');
  });

  it('a malformed selector is a usage error (exit 2), before anything is read; check takes none', async () => {
    server.clearRequests();
    for (const selector of [
      'app in mail',
      'app=a=b',
      'a,',
      'app notin (x y)',
      'app>x',
      'Bad Key=1',
    ]) {
      const result = await runCli(['status', '--kubeconfig', kubeconfig, '-l', selector]);
      assert.equal(result.code, 2, `${selector}: ${shown(result)}`);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^error: --selector \(-l\) .*unable to parse requirement: .*\(see --help\)\n$/,
      );
      assert.equal(result.stderr.split('\n').length, 2, 'one line');
    }
    assert.deepEqual(
      server.requests.filter(r => r.path.includes('/cronjobs')),
      [],
      'nothing read',
    );
    const check = await runCli(['check', '--kubeconfig', kubeconfig, '-l', 'app=x', '--dry-run']);
    assert.equal(check.code, 2, shown(check));
  });

  it('status writes nothing: no lock file, no directory, with or without state to read', async () => {
    const fresh = path.join(await tempDir('status-fresh'), 'state');
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '--state-dir', fresh]);
    assert.equal(result.code, 0, shown(result));
    assert.equal(existsSync(fresh), false, 'the state directory was created');
    // With state a check wrote: the same files after status as before it.
    const kept = await tempDir('status-kept');
    const checked = await runCli(['check', '--kubeconfig', kubeconfig, '--state-dir', kept]);
    assert.equal(checked.code, 0, shown(checked));
    const before = await filesUnder(kept);
    assert.ok(before.length > 0 && before.every(f => !f.endsWith('.lock')), String(before));
    const again = await runCli(['status', '--kubeconfig', kubeconfig, '--state-dir', kept]);
    assert.equal(again.code, 0, shown(again));
    assert.deepEqual(await filesUnder(kept), before);
  });

  it('INCIDENT is <unknown> when the incident state cannot be read, and the exit code says so', async () => {
    // A state "directory" that is a file: the file store cannot read it.
    const dir = await tempDir('status-unreadable');
    const notADirectory = path.join(dir, 'state');
    await writeFile(notADirectory, 'not a directory');
    const result = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      notADirectory,
    ]);
    assert.equal(result.code, 1, shown(result));
    assert.match(
      result.stderr,
      /^error: open incidents of \S+ unknown \(INCIDENT shows <unknown>\): /,
    );
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map(l => l.split(/ {2,}/));
    assert.equal(rows.length, Object.keys(expected.cronJobs).length, result.stdout);
    assert.deepEqual([...new Set(rows.map(r => r.at(-1)))], ['<unknown>']);
    const json = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      notADirectory,
      '--json',
    ]);
    assert.equal(json.code, 1, shown(json));
    const doc = JSON.parse(json.stdout) as {cronJobs: Array<{incidents: unknown}>};
    assert.ok(
      doc.cronJobs.every(c => c.incidents === null),
      json.stdout,
    );
  });

  it('-n NS shows that namespace without the NAMESPACE column; -A shows every namespace', async () => {
    const one = await runCli(['status', '--kubeconfig', kubeconfig, '-n', 'mail']);
    assert.equal(one.code, 0, shown(one));
    const lines = one.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME {2,}SCHEDULE/);
    assert.deepEqual(
      lines.slice(1).map(l => l.split(/ {2,}/)[0]),
      ['bounce-cleanup', 'send-digest'],
    );
    const all = await runCli(['status', '--kubeconfig', kubeconfig, '-A', '--json'], {
      env: {NAMESPACES: 'mail'},
    });
    assert.equal(parseStatus(all).cronJobs.length, Object.keys(expected.cronJobs).length);
  });

  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const onTty = await runOnTerminal(['status', '--kubeconfig', kubeconfig]);
    assert.ok(onTty.includes('\u001b[31mBackoffLimitExceeded\u001b[0m'), onTty);
    assert.ok(onTty.includes('\u001b[32mComplete\u001b[0m'), onTty);
    const noColour = await runOnTerminal(['status', '--kubeconfig', kubeconfig], {NO_COLOR: '1'});
    assert.match(noColour, /BackoffLimitExceeded/, noColour);
    assert.doesNotMatch(noColour, ESCAPE, noColour);
  });

  it('--namespace (repeatable) shows only those namespaces and lists them with namespaced requests', async () => {
    server.clearRequests();
    const result = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'mail',
      '--namespace',
      'ops',
      '--json',
    ]);
    const doc = parseStatus(result);
    const all = parseStatus(unpaged);
    const wanted = new Set(['mail', 'ops']);
    assert.deepEqual(
      clockFree(doc),
      clockFree({...all, cronJobs: all.cronJobs.filter(c => wanted.has(c.namespace))}),
      'the same entries as without --namespace, for those namespaces only',
    );
    assert.deepEqual(doc.cronJobs.map(c => `${c.namespace}/${c.name}`).sort(), [
      'mail/bounce-cleanup',
      'mail/send-digest',
      'ops/cache-warmup',
      'ops/log-rotate',
    ]);

    const paths = [...new Set(server.requests.map(r => r.path))].sort();
    assert.deepEqual(paths, [
      '/apis/batch/v1/namespaces/mail/cronjobs',
      '/apis/batch/v1/namespaces/mail/jobs',
      '/apis/batch/v1/namespaces/ops/cronjobs',
      '/apis/batch/v1/namespaces/ops/jobs',
    ]);
  });

  it('--namespace accepts a comma-separated list too', async () => {
    const result = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'legacy,reports',
      '--json',
    ]);
    const doc = parseStatus(result);
    assert.deepEqual([...new Set(doc.cronJobs.map(c => c.namespace))].sort(), [
      'legacy',
      'reports',
    ]);
    assert.equal(doc.cronJobs.length, 5);
  });
});
