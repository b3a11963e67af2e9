/**
 * `cronjob-watcher check`, run as a user runs it, with the file state and no Slack token (so
 * messages are printed), against the Kubernetes API test server loaded with every fixture.
 * The first pass opens incidents exactly for the CronJobs whose latest finished run failed
 * (expected-verdicts.json); the second sends and writes nothing.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {freePort} from '../support/free-port.js';
import {loadExpectedVerdicts} from '../support/kube-fixtures.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {
  failingCronJobs,
  filesUnder,
  REPO_ROOT,
  runCli,
  shown,
  tempDir,
  type CliResult,
} from './helpers.js';

const expected = loadExpectedVerdicts();
const FAILING = failingCronJobs(expected);
const CLUSTER = 'prod-eu-west1';

/** The console notifier's heading of each opening message, by `namespace/name`. */
function openedMessages(text: string): string[] {
  return [...text.matchAll(/^🔴 (\S+) failed: .+ · \S+$/gmu)].map(m => m[1] as string).sort();
}

/** The printed messages, split at the console notifier's `── Slack message N ──` rule. */
function messages(text: string): string[] {
  return text.split(/^── Slack message \d+ ──$/mu).slice(1);
}

interface Summary {
  dryRun: boolean;
  complete: boolean;
  cronJobsSeen: number;
  opened: number;
  closed: number;
  stillOpen: number;
  notificationsSent: number;
  notificationsPending: number;
  store: {reads: number; writes: number};
  transitions: Array<{kind: string; namespace: string; name: string; cluster: string}>;
  errors: Array<{scope: string; code: string; cronJob: string | null; message: string}>;
}

function parseSummary(result: CliResult): Summary {
  let summary: unknown;
  assert.doesNotThrow(
    () => {
      summary = JSON.parse(result.stdout);
    },
    `stdout is exactly one JSON document\n${shown(result)}`,
  );
  return summary as Summary;
}

describe('cronjob-watcher check with the file state and console messages', () => {
  let server: KubeApiServer;
  let kubeconfig: string;

  before(async () => {
    // The first pass must open at least one incident and leave some CronJobs alone, or the
    // assertions below could not tell a right pass from a wrong one.
    assert.ok(FAILING.length > 0 && FAILING.length < Object.keys(expected.cronJobs).length);
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({context: 'fixture', token: TOKEN});
  });
  after(async () => {
    await server.close();
  });

  it('first pass opens incidents for the failing CronJobs and prints them; the second sends nothing', async () => {
    const stateDir = await tempDir('state');
    const args = ['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir];
    const first = await runCli([...args, '--cluster-name', CLUSTER], {via: 'npx'});
    assert.equal(first.code, 0, shown(first));
    assert.deepEqual(openedMessages(first.stdout), FAILING, shown(first));
    const printed = messages(first.stdout);
    assert.equal(printed.length, FAILING.length, 'one message per incident');
    for (const message of printed) {
      // What failed, why and where in the headline; the run under it.
      assert.match(message, new RegExp(`^🔴 \\S+ failed: .+ · ${CLUSTER}$`, 'm'), message);
      assert.match(message, /^Job: \S+$/m, message);
    }
    // Spot-check one message against the fixture: the failed Job, its reason and failure time.
    const digest = printed.find(m => m.includes('mail/send-digest failed: '));
    assert.ok(digest !== undefined, first.stdout);
    assert.match(digest, /^Job: send-digest-29552220$/m);
    assert.match(digest, /^Reason: BackoffLimitExceeded$/m);
    assert.match(digest, /^Failed: Mar 10, 09:02 UTC$/m);
    assert.match(
      first.stdout,
      new RegExp(
        `^${Object.keys(expected.cronJobs).length} CronJob\\(s\\) in 1 cluster\\(s\\): ${FAILING.length} opened, 0 failed again, 0 closed`,
        'm',
      ),
    );
    assert.match(
      first.stdout,
      // Printed, not sent: no Slack token.
      new RegExp(`^Notifications: ${FAILING.length} printed, 0 pending`, 'm'),
    );
    for (const key of FAILING) {
      assert.match(first.stdout, new RegExp(`^ {2}opened: ${CLUSTER} ${key} \\(job \\S+\\)$`, 'm'));
    }
    assert.ok((await filesUnder(stateDir)).length > 0, 'the state was saved');

    const second = await runCli([...args, '--cluster-name', CLUSTER]);
    assert.equal(second.code, 0, shown(second));
    assert.deepEqual(messages(second.stdout), [], 'nothing is sent twice');
    assert.match(
      second.stdout,
      new RegExp(`: 0 opened, 0 failed again, 0 closed, .*, ${FAILING.length} still open\\.`),
    );
    assert.match(
      second.stdout,
      /^Notifications: 0 printed, 0 pending\. State: \d+ read\(s\), 0 write\(s\)\.$/m,
    );
  });

  it('--dry-run shows each message it would send, and creates no file or directory', async () => {
    const stateDir = await tempDir('dry');
    const args = ['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir];
    const dry = await runCli([...args, '--dry-run']);
    assert.equal(dry.code, 0, shown(dry));
    // What it would do, in those words: nothing is opened or pending after a dry run.
    assert.match(
      dry.stdout,
      new RegExp(
        `^Dry run \\(nothing written or sent\\): .*: would open ${FAILING.length}, would count 0 failed again, would close 0, .*, ${FAILING.length} would be open\\.$`,
        'm',
      ),
      shown(dry),
    );
    assert.match(
      dry.stdout,
      new RegExp(`^Notifications: would send ${FAILING.length} \\(shown above\\)\\. State: `, 'm'),
      shown(dry),
    );
    assert.doesNotMatch(dry.stdout, / opened,|pending|still open/, shown(dry));
    for (const key of FAILING) {
      assert.match(dry.stdout, new RegExp(`^ {2}would open: fixture ${key} \\(job \\S+\\)$`, 'm'));
    }
    assert.match(dry.stderr, /^would open \(failing\): fixture mail\/send-digest$/m, shown(dry));
    assert.doesNotMatch(dry.stderr, /^opened /m, shown(dry));
    assert.deepEqual(messages(dry.stdout), [], 'nothing is sent');
    // The messages themselves, each under a "would send" rule.
    const wouldSend = dry.stdout.split(/^── would send \(opened\) ──$/mu).slice(1);
    assert.equal(wouldSend.length, FAILING.length, shown(dry));
    assert.deepEqual(openedMessages(dry.stdout), FAILING, shown(dry));
    const digest = wouldSend.find(m => m.includes('mail/send-digest failed: '));
    assert.match(digest ?? '', /^Reason: BackoffLimitExceeded$/m, shown(dry));
    assert.match(dry.stdout, /State: \d+ read\(s\), 0 write\(s\)\./);
    assert.deepEqual(await readdir(stateDir), [], 'nothing at all in the state dir');

    // The dry run left no trace: a real pass still opens every incident.
    const real = await runCli(args);
    assert.equal(real.code, 0, shown(real));
    assert.deepEqual(openedMessages(real.stdout), FAILING, shown(real));
  });

  it('--json prints one JSON summary on stdout and the messages on stderr', async () => {
    const stateDir = await tempDir('json');
    const args = [
      'check',
      '--kubeconfig',
      kubeconfig,
      '--state-dir',
      stateDir,
      '--cluster-name',
      CLUSTER,
      '--json',
    ];
    const first = await runCli(args);
    assert.equal(first.code, 0, shown(first));
    const summary = parseSummary(first);
    assert.equal(summary.dryRun, false);
    assert.equal(summary.complete, true);
    assert.equal(summary.cronJobsSeen, Object.keys(expected.cronJobs).length);
    assert.equal(summary.opened, FAILING.length);
    assert.equal(summary.notificationsSent, FAILING.length);
    // The Argo CD fixture's FailureTarget condition carries the Go zero time, Argo CD's way of
    // saying "unknown": not a problem to report; the Failed condition's own time dates it.
    assert.deepEqual(summary.errors, []);
    assert.deepEqual(
      summary.transitions
        .filter(t => t.kind === 'opened')
        .map(t => `${t.namespace}/${t.name}`)
        .sort(),
      FAILING,
    );
    assert.ok(summary.transitions.every(t => t.cluster === CLUSTER));
    assert.ok(summary.store.writes > 0);
    // The printed messages moved to stderr so stdout stays parseable.
    assert.deepEqual(openedMessages(first.stderr), FAILING, shown(first));
    assert.match(first.stderr, new RegExp(`^🔴 \\S+ failed: .+ · ${CLUSTER}$`, 'm'));

    const second = parseSummary(await runCli(args));
    assert.equal(second.opened, 0);
    assert.equal(second.notificationsSent, 0);
    assert.equal(second.stillOpen, FAILING.length);
    assert.equal(second.store.writes, 0);
  });

  it('the cluster name defaults to the context name', async () => {
    const stateDir = await tempDir('default-name');
    const result = await runCli(['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir]);
    assert.equal(result.code, 0, shown(result));
    const printed = messages(result.stdout);
    assert.equal(printed.length, FAILING.length);
    assert.ok(
      printed.every(m => /^🔴 \S+ failed: .+ · fixture$/m.test(m)),
      result.stdout,
    );
  });

  it('an unreachable cluster: exit 1, the error in the summary, nothing opened', async () => {
    const port = await freePort();
    const down = await server.writeKubeconfig({
      context: 'fixture',
      token: TOKEN,
      server: `http://127.0.0.1:${port}`,
    });
    const stateDir = await tempDir('down');
    const result = await runCli(['check', '--kubeconfig', down, '--state-dir', stateDir, '--json']);
    assert.equal(result.code, 1, shown(result));
    const summary = parseSummary(result);
    assert.equal(summary.opened, 0);
    assert.equal(summary.errors.length, 1, shown(result));
    assert.equal(summary.errors[0]?.code, 'UNREACHABLE');
    assert.match(summary.errors[0]?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(result.stderr, /cannot reach/);

    // As text: the summary does not claim an empty cluster, the error line ends on its words.
    const text = await runCli(['check', '--kubeconfig', down, '--state-dir', stateDir]);
    assert.equal(text.code, 1, shown(text));
    assert.match(
      text.stdout,
      /^0 CronJob\(s\) in 0 cluster\(s\) read \(1 could not be read, see above\): /m,
    );
    assert.doesNotMatch(text.stdout + text.stderr, /=null\b/, shown(text));
    assert.doesNotMatch(text.stderr, /^pass memory$/m, shown(text));
    assert.match(text.stderr, /^pass memory: peak \d+ MiB.*, heap \d+ of \d+ MiB$/m, shown(text));
  });

  it('bad input fails before any request, on stderr', async () => {
    server.clearRequests();
    const result = await runCli(['check', '--kubeconfig', kubeconfig, '--state', 'redis']);
    assert.equal(result.code, 1, shown(result));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--state must be "file" or "firestore"; got "redis"/);
    assert.equal(server.requests.length, 0);
  });

  it('--context that is not in the kubeconfig fails before reading, like status', async () => {
    for (const command of ['check', 'status']) {
      server.clearRequests();
      const stateDir = await tempDir('context');
      const result = await runCli([
        command,
        '--kubeconfig',
        kubeconfig,
        '--context',
        'nope',
        '--state-dir',
        stateDir,
      ]);
      assert.equal(result.code, 1, shown(result));
      assert.equal(result.stdout, '', shown(result));
      assert.equal(
        result.stderr,
        `configuration error: context "nope" is not in kubeconfig ${kubeconfig} (available contexts: fixture)\n`,
        command,
      );
      assert.equal(server.requests.length, 0, `${command}: nothing read`);
      assert.deepEqual(await readdir(stateDir), [], `${command}: nothing written`);
    }
  });

  it('--state firestore without GOOGLE_CLOUD_PROJECT: names the variable at start-up', async () => {
    server.clearRequests();
    const result = await runCli(['check', '--kubeconfig', kubeconfig, '--state', 'firestore']);
    assert.equal(result.code, 1, shown(result));
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^configuration error: GOOGLE_CLOUD_PROJECT must name the Google Cloud project/,
    );
    assert.doesNotMatch(result.stderr, /INTERNAL|Unable to detect|will retry/);
    assert.equal(result.stderr.split('\n').filter(l => l !== '').length, 1, shown(result));
    assert.equal(server.requests.length, 0);
  });

  it('Slack refusing connections: one attempt per message, progress, each error printed once', async () => {
    // A port nothing listens on.
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`;
    const stateDir = await tempDir('slack-down');
    const result = await runCli(['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir], {
      env: {
        SLACK_BOT_TOKEN: 'xoxb-1-unreachable',
        SLACK_CHANNEL: 'C0123456789',
        SLACK_API_URL: apiUrl,
      },
    });
    assert.equal(result.code, 1, shown(result));
    // The incidents are committed; their messages are kept for the next check.
    assert.match(result.stdout, new RegExp(`: ${FAILING.length} opened,`), shown(result));
    assert.match(
      result.stdout,
      new RegExp(`^Notifications: 0 sent, ${FAILING.length} pending`, 'm'),
    );
    assert.match(result.stdout, /next `cronjob-watcher check` tries it again/);
    for (const key of FAILING) {
      const escaped = key.replace('/', '\\/');
      // Progress before the slow part, then the error: each once, on stderr only.
      assert.match(result.stderr, new RegExp(`^sending opened for ${escaped} to Slack…$`, 'm'));
      const errors = result.stderr.match(
        new RegExp(`^ERROR: fixture: ${escaped}: opened not delivered: .*ECONNREFUSED.*$`, 'gm'),
      );
      assert.equal(errors?.length, 1, `${key}: one error line\n${shown(result)}`);
      assert.ok(!result.stdout.includes(`${key}: opened not delivered`), 'not repeated on stdout');
    }
    for (const line of result.stderr.split('\n')) {
      assert.ok((line.match(/retr(y|ies)/g) ?? []).length <= 1, `"retry" said once: ${line}`);
    }
  });

  it('status refuses check-only flags such as --dry-run', async () => {
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '--dry-run']);
    // A usage error, like an unknown command.
    assert.equal(result.code, 2, shown(result));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Unknown option '--dry-run'/);
  });

  it('--version prints the version of package.json', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    assert.equal(result.code, 0, shown(result));
    assert.equal(result.stdout, `cronjob-watcher ${manifest.version}\n`);
  });
});
