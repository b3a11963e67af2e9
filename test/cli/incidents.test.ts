/**
 * `cronjob-watcher incidents`, `ack` and `snooze`, run as a user runs them: a `check` against
 * the Kubernetes API test server opens the fixtures' incidents and posts them to the local
 * Slack server; `ack` and `snooze` then change the record and the Slack message through the
 * same outbox, and `incidents` lists who did what.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {rm} from 'node:fs/promises';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {parseSnoozeFor} from '../../functions/cli-incidents.js';
import {runCli, tempDir} from './helpers.js';

const SLACK_TOKEN = 'xoxb-cli-incidents';

interface Row {
  cluster: string;
  cronJob: string;
  kind: string;
  id: string;
  acknowledged: {by: string; at: string} | null;
  snoozed: {by: string; until: string; at: string} | null;
  channel: string | null;
}

let kube: KubeApiServer;
let slack: SlackApiServer;
let dir: string;
let kubeconfig: string;

function env() {
  return {
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_CHANNEL: 'C0ALERTS01',
    SLACK_API_URL: slack.apiUrl,
    SLACK_HISTORY_LOOKUP: 'false',
  };
}

const common = () => ['--kubeconfig', kubeconfig, '--state-dir', dir];

before(async () => {
  kube = await fixtureServer();
  slack = await startSlackApiServer({token: SLACK_TOKEN});
  dir = await tempDir('cli-incidents-');
  kubeconfig = await kube.writeKubeconfig({context: 'fixture', token: TOKEN});
});

after(async () => {
  await kube.close();
  await slack.close();
  await rm(dir, {recursive: true, force: true});
});

async function incidents(): Promise<Row[]> {
  const result = await runCli(['incidents', ...common(), '--json'], {env: env()});
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Row[];
}

describe('incidents, ack and snooze', () => {
  // Eight CLI runs, each a fresh Node process reading the fixtures: minutes on a busy machine.
  it(
    'lists, acknowledges and snoozes, and the Slack message follows',
    {timeout: 600_000},
    async () => {
      const check = await runCli(['check', ...common()], {env: env()});
      assert.ok(check.code === 0 || check.code === 1, check.stderr);
      const before = await incidents();
      assert.ok(before.length > 0, 'the fixtures open incidents');
      assert.ok(before.every(r => r.acknowledged === null && r.snoozed === null));
      const target = before.find(r => r.cronJob !== '' && r.kind === 'failing');
      assert.ok(target !== undefined);
      const sameCronJob = before.filter(r => r.cronJob === target.cronJob);

      const posted = slack.calls.filter(c => c.method === 'chat.postMessage').length;
      const ack = await runCli(['ack', target.cronJob, ...common(), '--by', 'U0ALICE001'], {
        env: env(),
      });
      assert.equal(ack.code, 0, ack.stderr);
      assert.match(ack.stdout, /: done\n/);
      const acked = (await incidents()).filter(r => r.cronJob === target.cronJob);
      assert.deepEqual(
        acked.map(r => r.acknowledged?.by),
        sameCronJob.map(() => 'U0ALICE001'),
      );
      // The message changed and the thread says so, once per incident.
      const updates = slack.calls.filter(
        c => c.method === 'chat.update' && JSON.stringify(c.blocks).includes('U0ALICE001'),
      );
      assert.equal(updates.length, sameCronJob.length);
      const replies = slack.calls
        .slice()
        .filter(c => c.method === 'chat.postMessage')
        .slice(posted);
      assert.deepEqual(
        replies.map(c => c.text),
        sameCronJob.map(() => '<@U0ALICE001> acknowledged this.'),
      );

      const again = await runCli(['ack', target.cronJob, ...common()], {env: env()});
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /nothing to change/);

      const snooze = await runCli(
        ['snooze', target.cronJob, '4h', ...common(), '--kind', 'failing', '--by', 'U0BOB00002'],
        {env: env()},
      );
      assert.equal(snooze.code, 0, snooze.stderr);
      const snoozed = (await incidents()).find(r => r.id === target.id);
      assert.equal(snoozed?.snoozed?.by, 'U0BOB00002');
      const hours = (Date.parse(snoozed?.snoozed?.until ?? '') - Date.now()) / 3_600_000;
      assert.ok(hours > 3.9 && hours <= 4, `until ${snoozed?.snoozed?.until}`);

      const table = await runCli(['incidents', ...common()], {env: env()});
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^CLUSTER +CRONJOB +KIND +OPENED +AGE +STATE +CHANNEL\n/);
      assert.match(table.stdout, /acknowledged by U0ALICE001, snoozed by U0BOB00002 until 20/);
    },
  );

  it('refuses what it cannot do', {timeout: 300_000}, async () => {
    const none = await runCli(['ack', 'nowhere/nothing', ...common()], {env: env()});
    assert.equal(none.code, 1);
    assert.match(none.stderr, /nowhere\/nothing has no open incident/);
    const bad = await runCli(['snooze', 'a/b', 'forever', ...common()], {env: env()});
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /snooze needs how long/);
    const noTarget = await runCli(['ack', ...common()], {env: env()});
    assert.equal(noTarget.code, 1);
    assert.match(noTarget.stderr, /NAMESPACE\/NAME/);
  });

  it('reads snooze lengths', () => {
    assert.equal(parseSnoozeFor('30m'), 30 * 60_000);
    assert.equal(parseSnoozeFor('1h30m'), 90 * 60_000);
    assert.equal(parseSnoozeFor('1d'), 86_400_000);
    assert.equal(parseSnoozeFor('7d'), 7 * 86_400_000);
    assert.equal(parseSnoozeFor('8d'), null);
    assert.equal(parseSnoozeFor('0m'), null);
    assert.equal(parseSnoozeFor(''), null);
    assert.equal(parseSnoozeFor('4 hours'), null);
  });
});
