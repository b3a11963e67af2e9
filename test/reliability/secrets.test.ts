/**
 * Issue 6, point 7: the Slack token never appears in logs, summaries, errors or Firestore —
 * above all when Slack, or the token itself, is what failed. The structured logs are captured
 * from a JsonLogger, and anything else written to stdout/stderr during the passes (the
 * WebClient's own logger, warnings) is captured too; every Firestore document is read back.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {MAX_ATTEMPTS} from '../../functions/adapters/slack-notifier.js';
import type {PassSummary} from '../../functions/pass.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  capturingLogger,
  CONTEXT,
  FAIL_1,
  FAIL_2,
  OK_0,
  OK_3,
  pass,
  readAllDocuments,
  show,
  TOKEN,
  world,
} from './helpers.js';

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const LOAD: CronJobSpec = {namespace: 'data', name: 'nightly-load'};

let kube: KubeApiServer;
let kubeconfig: string;

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});

/** Runs `action`, keeping a copy of everything the process writes to stdout and stderr. */
async function capturingOutput<T>(action: () => Promise<T>): Promise<{result: T; output: string}> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap =
    (original: typeof out) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out) as typeof process.stdout.write;
  process.stderr.write = tap(err) as typeof process.stderr.write;
  try {
    const result = await action();
    return {result, output: chunks.join('')};
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe('the Slack token stays secret (JsonLogger, summaries, Firestore)', () => {
  it('through invalid_auth, rate limits, 5xx, timeouts and a good delivery', async () => {
    // Slack knows a different token: every call with ours is a real invalid_auth.
    let slack: SlackApiServer = await startSlackApiServer({token: 'xoxb-the-current-token'});
    const projectId = `rel-secret-${randomUUID().slice(0, 8)}`;
    const {logger, lines} = capturingLogger();
    const summaries: PassSummary[] = [];
    let output = '';
    const run = async (w: Awaited<ReturnType<typeof world>>, at: string) => {
      const captured = await capturingOutput(() => pass(w, at, {logger}));
      summaries.push(captured.result);
      output += captured.output;
      return captured.result;
    };

    const open: Array<{close(): Promise<void>}> = [];
    try {
      const w1 = await world(kubeconfig, slack, {projectId, slackTimeoutMs: 300});
      open.push(w1);
      show(kube, BACKUP, [OK_0]);
      show(kube, LOAD, [OK_0]);
      await run(w1, '2026-03-02T00:30:00Z');
      show(kube, BACKUP, [OK_0, FAIL_1]);
      const rejected = await run(w1, '2026-03-02T01:30:00Z');
      assert.equal(rejected.errors[0]?.code, 'SLACK_AUTH', 'the token itself failed');
      await slack.close();

      slack = await startSlackApiServer({token: TOKEN});
      const w2 = await world(kubeconfig, slack, {projectId, slackTimeoutMs: 300});
      open.push(w2);
      slack.inject({kind: 'hang'}, {times: MAX_ATTEMPTS, methods: ['chat.postMessage']});
      const hung = await run(w2, '2026-03-02T01:35:00Z');
      assert.equal(hung.errors[0]?.code, 'SLACK_TIMEOUT');
      slack.inject({kind: 'rate-limit', retryAfterSeconds: 3600});
      const limited = await run(w2, '2026-03-02T01:40:00Z');
      assert.equal(limited.errors[0]?.code, 'SLACK_RATE_LIMITED');
      slack.inject(
        {kind: 'http', status: 500},
        {times: MAX_ATTEMPTS, methods: ['chat.postMessage']},
      );
      const failing = await run(w2, '2026-03-02T01:45:00Z');
      assert.equal(failing.errors[0]?.code, 'SLACK_HTTP_ERROR');
      // Read back while the failures are stored in the outbox with their errors.
      const whileFailing = await readAllDocuments(w2.firestore!);
      const delivered = await run(w2, '2026-03-02T01:50:00Z');
      assert.equal(delivered.notificationsSent, 1);
      show(kube, LOAD, [OK_0, FAIL_2]);
      show(kube, BACKUP, [FAIL_1, OK_3]);
      slack.inject({kind: 'error', error: 'token_revoked'}, {times: 1});
      const revoked = await run(w2, '2026-03-02T03:30:00Z');
      assert.ok(revoked.errors.some(e => e.code === 'SLACK_AUTH'));
      await run(w2, '2026-03-02T03:35:00Z');

      const everything = [
        ['log lines', lines.join('')],
        ['process output', output],
        ['summaries', JSON.stringify(summaries)],
      ] as const;
      assert.ok(lines.length > 20, 'the logger was used');
      assert.ok(
        lines.some(l => /Slack rejected the bot token/.test(l)),
        'the failure itself is logged, in words',
      );
      for (const [where, text] of everything) {
        assert.ok(!text.includes(TOKEN), `token in ${where}`);
        assert.ok(!text.includes('xoxb-'), `something token-shaped in ${where}`);
      }
      const docs = [...whileFailing, ...(await readAllDocuments(w2.firestore!))];
      // The cluster index and the records, both while failing and at the end.
      assert.ok(docs.length >= 4, `read back only ${docs.map(d => d.path).join(', ')}`);
      assert.ok(
        whileFailing.some(d => /"lastError":"[^"]*Slack/.test(d.json)),
        'failures were stored with their errors (and so were searched)',
      );
      for (const doc of docs) {
        assert.ok(!doc.json.includes(TOKEN), `token in ${doc.path}`);
        assert.ok(!doc.json.includes('xoxb-'), `something token-shaped in ${doc.path}`);
      }
    } finally {
      await slack.close();
      for (const w of open) await w.close();
    }
  });
});
