/**
 * Per-CronJob settings end to end (issue 10): annotations on the CronJob, ROUTES and
 * MESSAGE_LANGUAGE from the configuration, the log excerpt — through the real clients: the
 * Kubernetes test server (serving pod logs) read by @kubernetes/client-node, the Firestore
 * emulator, and the local Slack Web API the real WebClient posts to. Only the clock is ours.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {parseConfig} from '../../functions/config.js';
import {annotationTrustOf} from '../../functions/core/policy.js';
import {statusJson} from '../../functions/core/status-report.js';
import type {RecordedCall} from '../support/slack-api-server.js';
import {podNameFor, type CronJobSpec, type RunSpec} from '../support/scenario.js';
import type {PassDeps, PassSummary} from '../../functions/pass.js';
import {
  CHANNEL,
  CLUSTER_ID,
  CLUSTER_NAME,
  failed,
  FAIL_1,
  FAIL_2,
  OK_0,
  OK_3,
  pass,
  show,
  TOKEN,
  world,
  type World,
} from '../support/world.js';
import {useLocalServers} from '../support/local-servers.js';

const PAYMENTS = 'C0PAY12345';
const DATA = 'C0DATA1234';
const TEAM = 'C0TEAMB001';
const OUTSIDE = 'C0NOTIN001';

const servers = useLocalServers([
  {id: CHANNEL, name: 'alerts'},
  {id: PAYMENTS, name: 'payments'},
  {id: DATA, name: 'data'},
  {id: TEAM, name: 'team-b'},
  {id: OUTSIDE, name: 'elsewhere', member: false},
]);

function textOf(call: RecordedCall | undefined): string {
  assert.ok(call !== undefined, 'the call was made');
  return `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
}

const posts = () => servers.slack.accepted().filter(c => c.method === 'chat.postMessage');
const updates = () => servers.slack.accepted().filter(c => c.method === 'chat.update');
const logRequests = () => servers.kube.requests.filter(r => r.path.endsWith('/log'));

function annotated(spec: CronJobSpec, annotations: Record<string, string>): CronJobSpec {
  return {...spec, annotations};
}

/** For each step: every CronJob shows these runs, then a pass runs at that time. */
async function passes(
  w: World,
  specs: CronJobSpec[],
  steps: Array<[at: string, runs: RunSpec[]]>,
  overrides: Partial<PassDeps> = {},
): Promise<PassSummary[]> {
  const summaries: PassSummary[] = [];
  for (const [at, runs] of steps) {
    for (const spec of specs) show(servers.kube, spec, runs);
    summaries.push(await pass(w, at, overrides));
  }
  return summaries;
}

/** Healthy, then failing, then fixed: the life of one incident. */
const LIFE: Array<[string, RunSpec[]]> = [
  ['2026-03-02T00:30:00Z', [OK_0]],
  ['2026-03-02T01:30:00Z', [OK_0, FAIL_1]],
  ['2026-03-02T03:30:00Z', [FAIL_1, OK_3]],
];

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const WITH_POD = (run: RunSpec): RunSpec => ({...run, pod: {reason: 'Error', exitCode: 1}});

describe('per-CronJob settings, end to end', () => {
  it('slack-channel: the opening goes to the annotated channel; after the annotation changed, the update and the closing reply still go there', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const routed = annotated(BACKUP, {'cronjob-watcher/slack-channel': TEAM});
    show(servers.kube, routed, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, routed, [OK_0, FAIL_1]);
    const opened = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(opened.errors, []);
    assert.equal(posts()[0]?.channel, TEAM);

    // The team moves the CronJob to another channel while the incident is open.
    const moved = annotated(BACKUP, {'cronjob-watcher/slack-channel': '#payments'});
    show(servers.kube, moved, [FAIL_1, OK_3]);
    const closed = await pass(w, '2026-03-02T03:30:00Z');
    assert.equal(closed.closed, 1);
    assert.deepEqual(closed.errors, []);
    const [opening, reply] = posts();
    assert.equal(reply?.channel, TEAM, 'the reply goes where the opening went');
    assert.equal(reply?.thread_ts, opening?.ts);
    assert.equal(updates()[0]?.channel, TEAM);
    assert.equal(updates()[0]?.ts, opening?.ts);
    assert.ok(!servers.slack.calls.some(c => c.channel === PAYMENTS || c.channel === '#payments'));

    // The next incident follows the new annotation.
    show(servers.kube, moved, [OK_3, failed('2026-03-02T04:00:00Z', '2026-03-02T04:05:00Z')]);
    await pass(w, '2026-03-02T04:30:00Z');
    assert.equal(posts().at(-1)?.channel, '#payments');
    await w.close();
  });

  it('slack-channel: the closing reply reaches the opening channel after the CronJob was deleted', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const routed = annotated(BACKUP, {'cronjob-watcher/slack-channel': TEAM});
    show(servers.kube, routed, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, routed, [OK_0, FAIL_1]);
    await pass(w, '2026-03-02T01:30:00Z');
    servers.kube.load({cronJobs: [], jobs: [], pods: []});
    const gone = await pass(w, '2026-03-02T02:30:00Z');
    assert.equal(gone.closed, 1);
    assert.deepEqual(
      servers.slack.accepted().map(c => [c.method, c.channel]),
      [
        ['chat.postMessage', TEAM],
        ['chat.update', TEAM],
        ['chat.postMessage', TEAM],
      ],
    );
    await w.close();
  });

  it('ignore: silent through failure and recovery, shown as ignored by status; set while open, it closes the incident with one quiet "muted" reply', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const ignored = annotated(BACKUP, {'cronjob-watcher/ignore': 'true'});
    const [, failing, fixed] = await passes(
      w,
      [ignored],
      [
        ['2026-03-02T00:30:00Z', [OK_0]],
        ['2026-03-02T01:30:00Z', [OK_0, WITH_POD(FAIL_1)]],
        ['2026-03-02T03:30:00Z', [WITH_POD(FAIL_1), OK_3]],
      ],
    );
    assert.equal(servers.slack.calls.length, 0, 'nothing sent, of any kind');
    assert.equal(failing!.opened + fixed!.opened + fixed!.closed + fixed!.recovered, 0);
    assert.equal(
      servers.kube.requests.filter(r => r.path.includes('/pods')).length,
      0,
      'an ignored CronJob costs no Pod request',
    );
    const snapshot = await (await w.source.clusters()).clusters[0]!.reader.read({namespaces: null});
    const row = statusJson([snapshot]).cronJobs.find(c => c.name === BACKUP.name);
    assert.equal(row?.ignored, true);

    // Lifting ignore does not alert on what failed meanwhile.
    show(servers.kube, BACKUP, [WITH_POD(FAIL_1), OK_3]);
    await pass(w, '2026-03-02T03:40:00Z');
    assert.equal(servers.slack.calls.length, 0);

    // Open an incident, then mute it.
    show(servers.kube, BACKUP, [OK_3, failed('2026-03-02T04:00:00Z', '2026-03-02T04:05:00Z')]);
    await pass(w, '2026-03-02T04:30:00Z');
    assert.equal(posts().length, 1);
    show(servers.kube, annotated(BACKUP, {'cronjob-watcher/ignore': 'true'}), [
      OK_3,
      failed('2026-03-02T04:00:00Z', '2026-03-02T04:05:00Z'),
    ]);
    const muted = await pass(w, '2026-03-02T04:40:00Z');
    assert.equal(muted.muted, 1);
    assert.equal(muted.stillOpen, 0);
    const [opening, reply] = posts();
    assert.equal(posts().length, 2);
    assert.equal(updates().length, 0, 'quietly: the opening message is left as it was');
    assert.equal(reply?.thread_ts, opening?.ts);
    assert.match(textOf(reply), /Muted/);
    // Still failing, still ignored: nothing more.
    show(servers.kube, annotated(BACKUP, {'cronjob-watcher/ignore': 'true'}), [
      OK_3,
      failed('2026-03-02T04:00:00Z', '2026-03-02T04:05:00Z'),
      failed('2026-03-02T05:00:00Z', '2026-03-02T05:05:00Z'),
    ]);
    await pass(w, '2026-03-02T05:30:00Z');
    assert.equal(servers.slack.calls.length, 2);
    await w.close();
  });

  it('mention: unescaped in the opening message only; runbook: a link in every message', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const spec = annotated(BACKUP, {
      'cronjob-watcher/mention': '<!subteam^S0123ABCD> <@U0456EFGH>',
      'cronjob-watcher/runbook': 'https://wiki.example.com/runbooks/db-backup?x=1&y=2',
    });
    await passes(w, [spec], LIFE);
    const [opening, reply] = posts();
    assert.ok(opening?.text?.startsWith('<!subteam^S0123ABCD> <@U0456EFGH> '));
    assert.ok(
      JSON.stringify(opening?.blocks).includes('"text":"<!subteam^S0123ABCD> <@U0456EFGH>"'),
      'a block with the mention as written',
    );
    assert.ok(!textOf(reply).includes('subteam'), 'no mention in the reply');
    assert.ok(!textOf(updates()[0]).includes('subteam'), 'no mention in the update');
    // A button on the cards; the one-line reply stays one line.
    const button =
      '"action_id":"link-runbook","text":{"type":"plain_text","text":"Runbook","emoji":true},"url":"https://wiki.example.com/runbooks/db-backup?x=1&y=2"';
    for (const call of [opening, updates()[0]]) assert.ok(textOf(call).includes(button));
    assert.ok(!textOf(reply).includes('link-runbook'));
    await w.close();
  });

  it('a malformed annotation is ignored for that CronJob, reported once per pass, and the defaults apply', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const spec = annotated(BACKUP, {
      'cronjob-watcher/runbook': 'http://wiki.example.com/x',
      'cronjob-watcher/slack-channel': 'not a channel!',
      'cronjob-watcher/max-duration': 'soon',
    });
    const other: CronJobSpec = {namespace: 'reports', name: 'rollup'};
    show(servers.kube, spec, [OK_0]);
    show(servers.kube, other, [OK_0]);
    const first = await pass(w, '2026-03-02T00:30:00Z');
    assert.deepEqual(
      first.policyProblems.map(p => [p.cluster, p.namespace, p.name, p.annotation]),
      [
        [CLUSTER_NAME, 'backups', 'db-backup', 'cronjob-watcher/max-duration'],
        [CLUSTER_NAME, 'backups', 'db-backup', 'cronjob-watcher/runbook'],
        [CLUSTER_NAME, 'backups', 'db-backup', 'cronjob-watcher/slack-channel'],
      ],
    );
    assert.match(first.policyProblems[1]!.problem, /https/);
    show(servers.kube, spec, [OK_0, FAIL_1]);
    const second = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(second.policyProblems.length, 3, 'reported again the next pass, once');
    assert.equal(posts()[0]?.channel, CHANNEL, 'the default channel');
    assert.ok(!textOf(posts()[0]).includes('wiki.example.com'));
    await w.close();
  });

  it('ROUTES: namespace and cluster routes, the annotation over a route, a route over SLACK_CHANNEL', async () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: CHANNEL,
      ROUTES: `${CLUSTER_NAME}/payments=${PAYMENTS},*/data=${DATA},other-cluster/*=${TEAM}`,
    });
    const w = await world(servers.kubeconfig, servers.slack);
    const specs: Array<[CronJobSpec, string]> = [
      [{namespace: 'payments', name: 'settle'}, PAYMENTS],
      [{namespace: 'data', name: 'load'}, DATA],
      [{namespace: 'mail', name: 'digest'}, CHANNEL],
      [
        annotated({namespace: 'data', name: 'export'}, {'cronjob-watcher/slack-channel': TEAM}),
        TEAM,
      ],
    ];
    const [, opened] = await passes(
      w,
      specs.map(([spec]) => spec),
      LIFE.slice(0, 2),
      {routes: config.routes},
    );
    assert.equal(opened!.notificationsSent, 4);
    const where = new Map(posts().map(p => [textOf(p).match(/^🔴 (\S+) failed/)?.[1], p.channel]));
    for (const [spec, channel] of specs) {
      assert.equal(where.get(`${spec.namespace}/${spec.name}`), channel, spec.name);
    }
    await w.close();
  });

  it('a channel the app is not in keeps only its own messages pending, with the invite hint', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const outside = annotated(BACKUP, {'cronjob-watcher/slack-channel': OUTSIDE});
    const inside: CronJobSpec = {namespace: 'reports', name: 'rollup'};
    show(servers.kube, outside, [OK_0]);
    show(servers.kube, inside, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, outside, [OK_0, FAIL_1]);
    show(servers.kube, inside, [OK_0, FAIL_1]);
    const during = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(during.notificationsSent, 1);
    assert.equal(during.notificationsPending, 1);
    const error = during.errors.find(e => e.scope === 'notify');
    assert.equal(error?.code, 'SLACK_NOT_IN_CHANNEL');
    assert.match(error?.message ?? '', new RegExp(`${OUTSIDE}.*invite`));
    assert.equal(error?.cronJob, 'backups/db-backup');
    assert.equal(posts()[0]?.channel, CHANNEL);
    await w.close();
  });

  it('annotations are a trust boundary: SLACK_ALLOWED_CHANNELS, no DM, no broadcast without ALLOW_BROADCAST_MENTIONS', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const config = parseConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: CHANNEL,
      SLACK_ALLOWED_CHANNELS: PAYMENTS,
      ROUTES: `*/data=${DATA}`,
    });
    const trust = annotationTrustOf({
      allowedChannels: config.allowedChannels,
      broadcastMentions: config.broadcastMentions,
      routes: config.routes,
      slackChannel: config.slack?.channel ?? null,
    });
    const specs = [
      annotated(
        {namespace: 'payments', name: 'settle'},
        {'cronjob-watcher/slack-channel': PAYMENTS, 'cronjob-watcher/mention': '<@U0123ABCD>'},
      ),
      annotated(
        {namespace: 'payments', name: 'paging'},
        {'cronjob-watcher/slack-channel': TEAM, 'cronjob-watcher/mention': '<!channel>'},
      ),
      annotated(
        {namespace: 'ops', name: 'direct'},
        {'cronjob-watcher/slack-channel': 'D0123ABCDE'},
      ),
      annotated({namespace: 'ops', name: 'routed'}, {'cronjob-watcher/slack-channel': DATA}),
    ];
    const [, failing] = await passes(w, specs, LIFE.slice(0, 2), {
      routes: config.routes,
      annotationTrust: trust,
    });
    const opening = (name: string) =>
      posts().find(
        p => textOf(p).includes(`payments/${name}`) || textOf(p).includes(`ops/${name}`),
      );
    assert.equal(opening('settle')?.channel, PAYMENTS, 'an allowed channel');
    assert.ok(textOf(opening('settle')).includes('<@U0123ABCD>'), 'a user mention stays allowed');
    assert.equal(opening('paging')?.channel, CHANNEL, 'not allowed: SLACK_CHANNEL instead');
    assert.ok(!textOf(opening('paging')).includes('<!channel>'), 'no broadcast');
    assert.equal(opening('direct')?.channel, CHANNEL, 'never a DM');
    assert.equal(opening('routed')?.channel, DATA, "a ROUTES channel is the operator's");
    assert.ok(posts().every(p => p.channel !== TEAM && p.channel !== 'D0123ABCDE'));
    const refused = failing?.policyProblems.map(p => `${p.name} ${p.annotation}`).sort();
    assert.deepEqual(refused, [
      'direct cronjob-watcher/slack-channel',
      'paging cronjob-watcher/mention',
      'paging cronjob-watcher/slack-channel',
    ]);

    // `status` shows the same notes, so owners can audit their annotations before relying on them.
    const snapshot = await (await w.source.clusters()).clusters[0]!.reader.read({namespaces: null});
    const doc = statusJson([snapshot], [], null, {
      routes: config.routes,
      slackChannel: CHANNEL,
      trust,
    });
    const notes = doc.problems
      .map(p => `${p.name}: ${p.problem}`)
      .filter(p => /annotation/.test(p));
    assert.equal(notes.length, 3);
    assert.ok(notes.some(n => /^paging: .*<!channel>.*ALLOW_BROADCAST_MENTIONS=true/.test(n)));
    assert.equal(doc.cronJobs.find(c => c.name === 'paging')?.channel, CHANNEL);
    await w.close();
  });

  it('language: MESSAGE_LANGUAGE=ja writes every message in Japanese; the annotation overrides it per CronJob', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const english = annotated(
      {namespace: 'reports', name: 'rollup'},
      {'cronjob-watcher/language': 'en'},
    );
    const language = parseConfig({MESSAGE_LANGUAGE: 'ja'}).language;
    await passes(w, [BACKUP, english], LIFE, {language});
    const about = (name: string) => posts().filter(p => textOf(p).includes(name));
    const [jaOpening, jaReply] = about('db-backup');
    assert.match(textOf(jaOpening), /backups\/db-backup が失敗しました: /);
    // Times as Slack dates in the reader's zone, in both languages.
    assert.match(textOf(jaOpening), /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d+月\d+日 /);
    // 01:06:30 → 03:11:35 is 2 h 5 min 5 s: the two largest units, truncated.
    assert.match(textOf(jaReply), /2時間5分で復旧しました/);
    const [enOpening, enReply] = about('rollup');
    assert.match(textOf(enOpening), /reports\/rollup failed: /);
    assert.match(textOf(enOpening), /<!date\^\d+\^\{date_short_pretty\} at \{time\}\|/);
    assert.match(textOf(enReply), /Recovered after 2h 5m/);
    await w.close();
  });
});

describe('log excerpt, end to end', () => {
  const LOG = [
    'starting backup',
    'connecting with password=hunter2 to db',
    'Authorization: Bearer abcdefghijklmnop',
    'slack token xoxb-1234-5678-abcdef',
    'pg_dump: error: connection refused',
    'exit 1',
  ].join('\n');

  it('reads the failed container once with tailLines and limitBytes, masks secrets, and a retry sends the same excerpt', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const spec = annotated(BACKUP, {'cronjob-watcher/log-lines': '5'});
    const plain: CronJobSpec = {namespace: 'reports', name: 'rollup'};
    show(servers.kube, spec, [OK_0]);
    show(servers.kube, plain, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, spec, [OK_0, WITH_POD(FAIL_1)]);
    show(servers.kube, plain, [OK_0, WITH_POD(FAIL_1)]);
    servers.kube.setPodLog('backups', podNameFor(spec, FAIL_1), `${LOG}\n`);
    servers.kube.setPodLog('reports', podNameFor(plain, FAIL_1), 'password=should-never-be-read\n');

    // Slack is down for the first attempt: the excerpt must survive to the retry.
    servers.slack.inject({kind: 'error', error: 'internal_error'}, {times: 100});
    const first = await pass(w, '2026-03-02T01:30:00Z', {budgetMs: 3_000});
    assert.equal(first.opened, 2);
    assert.equal(first.notificationsSent, 0);
    const requests = logRequests();
    assert.equal(requests.length, 1, 'one log request, for the annotated CronJob only');
    assert.equal(
      requests[0]?.path,
      `/api/v1/namespaces/backups/pods/${podNameFor(spec, FAIL_1)}/log`,
    );
    assert.equal(requests[0]?.query.tailLines, '5');
    assert.equal(requests[0]?.query.container, 'main');
    assert.ok(Number(requests[0]?.query.limitBytes) > 0);

    const stored = JSON.stringify(await w.store.loadCluster(CLUSTER_ID, {reads: 0, writes: 0}));
    assert.ok(!stored.includes('hunter2'), 'secrets are masked before they are stored');
    assert.ok(stored.includes('pg_dump: error: connection refused'));

    await servers.restartSlack();
    const w2 = await world(servers.kubeconfig, servers.slack, {firestore: w.firestore!});
    servers.kube.setPodLog('backups', podNameFor(spec, FAIL_1), 'a different log now\n');
    const retry = await pass(w2, '2026-03-02T01:40:00Z');
    assert.equal(retry.notificationsSent, 2);
    assert.equal(logRequests().length, 1, 'the log is read once, when the failure is first seen');
    const opening = posts().find(p => textOf(p).includes('db-backup'));
    const text = textOf(opening);
    // tailLines=5 drops the first line; what is left is masked, in a code block.
    assert.ok(!text.includes('starting backup'));
    assert.ok(text.includes('```\\nconnecting with password=[masked] to db'));
    assert.ok(text.includes('Authorization: Bearer [masked]'));
    assert.ok(text.includes('slack token [masked]'));
    assert.ok(text.includes('pg_dump: error: connection refused\\nexit 1\\n```'));
    assert.ok(
      !text.includes('hunter2') &&
        !text.includes('abcdefghijklmnop') &&
        !text.includes('xoxb-1234'),
    );
    assert.ok(!text.includes('a different log now'));
    const other = posts().find(p => textOf(p).includes('rollup'));
    assert.ok(
      !textOf(other).includes('Last lines of the log'),
      'no excerpt without the annotation',
    );
    await w2.close();
    await w.close();
  });

  it('a log that cannot be read leaves a note saying why, and the message still goes out', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const spec = annotated(BACKUP, {'cronjob-watcher/log-lines': '20'});
    show(servers.kube, spec, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, spec, [OK_0, WITH_POD(FAIL_1), WITH_POD(FAIL_2)]);
    servers.kube.inject({match: '/log', action: {type: 'status', code: 403, reason: 'Forbidden'}});
    const opened = await pass(w, '2026-03-02T02:30:00Z');
    assert.equal(opened.notificationsSent, 1);
    assert.equal(logRequests().length, 1);
    assert.equal(
      logRequests()[0]?.path.includes(podNameFor(spec, FAIL_1)),
      true,
      'the run that opened it',
    );
    const text = textOf(posts()[0]);
    assert.match(text, /No log excerpt: the watcher may not read pod logs \(pods\/log/);
    assert.ok(!text.includes('Last lines of the log'));
    servers.kube.clearFaults();
    await w.close();
  });
});
