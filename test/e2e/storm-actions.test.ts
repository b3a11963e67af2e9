/**
 * Acknowledge and snooze on a storm's parent (issue 22 §1), end to end: a pass reads twelve
 * failing CronJobs through the real `@kubernetes/client-node` and posts one parent with each
 * incident in its thread (the real `@slack/web-api` against the local Slack API); a click on
 * the parent's own controls, signed as Slack signs it, reaches the `slackActions` handler
 * served by functions-framework; incidents live in Firestore (the emulator) or the file store.
 *
 * One click acts on every open member: each member's message is updated to show it, the
 * parent too, and the parent's thread gets exactly one reply; no member gets a reply of its
 * own. A snooze from the parent ends for all at once with one reply in the parent's thread.
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {isObject} from '../../functions/core/json.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CHANNEL,
  CLUSTER_ID,
  CONTEXT,
  deliveredById,
  FAIL_1,
  notificationIdOf,
  OK_0,
  OK_3,
  pass,
  show,
  world,
  type World,
  type WorldOptions,
} from '../reliability/helpers.js';
import {
  clickPayload,
  formOf,
  post,
  signed,
  startHarness,
  TOKEN,
  type Harness,
} from '../actions/harness.js';

const FLEET: CronJobSpec[] = Array.from({length: 12}, (_, i) => ({
  namespace: 'batch',
  name: `job-${String(i).padStart(2, '0')}`,
}));
const KEYS = FLEET.map(cj => `${cj.namespace}/${cj.name}`);
const ALICE = 'U0ALICE001';
const usage = () => ({reads: 0, writes: 0});

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
let h: Harness | null = null;

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});
afterEach(async () => {
  await h?.close();
  h = null;
  await slack.close();
});

/** Twelve CronJobs fail in one pass at 01:30: one parent, twelve members in its thread. */
async function stormed(options: WorldOptions): Promise<{w: World; parent: string}> {
  slack = await startSlackApiServer({token: TOKEN});
  const w = await world(kubeconfig, slack, {...options, token: TOKEN});
  for (const cj of FLEET) show(kube, cj, [OK_0]);
  assert.deepEqual((await at(w, '2026-03-02T00:30:00Z')).errors, []);
  for (const cj of FLEET) show(kube, cj, [OK_0, FAIL_1]);
  const first = await at(w, '2026-03-02T01:30:00Z');
  assert.deepEqual(first.errors, []);
  const top = posts().filter(c => c.thread_ts === null);
  assert.equal(top.length, 1, 'one parent');
  assert.equal(posts().filter(c => c.thread_ts === top[0]?.ts).length, FLEET.length);
  return {w, parent: top[0]!.ts!};
}

function at(w: World, time: string) {
  return pass(w, time, {stormThreshold: 5});
}

const posts = () => slack.accepted().filter(c => c.method === 'chat.postMessage');

/** The parent's blocks as they now stand in the channel. */
function parentBlocks(ts: string): unknown[] {
  return (slack.message(CHANNEL, ts)?.blocks as unknown[] | undefined) ?? [];
}

/** A click on the parent's control `actionId` (a menu when `selected` is given). */
async function clickParent(
  ts: string,
  actionId: 'acknowledge' | 'unacknowledge' | 'snooze',
  selected?: string,
): Promise<number> {
  const blocks = parentBlocks(ts);
  const actions = blocks.find(b => isObject(b) && b['type'] === 'actions') as
    {block_id: string; elements: Array<{action_id: string; value?: string}>} | undefined;
  assert.ok(actions !== undefined, `the parent has controls: ${JSON.stringify(blocks)}`);
  const button = actions.elements.find(e => /acknowledge$/.test(e.action_id));
  assert.ok(button?.value !== undefined, 'the parent has an Acknowledge button with a value');
  const payload = clickPayload({
    user: ALICE,
    actionId: `cronjob-watcher:${actionId}`,
    value: button.value,
    ...(selected === undefined ? {} : {selected}),
    slack,
  }) as {message: {ts: string; blocks: unknown[]}; actions: Array<{block_id: string}>};
  // The click comes from the parent as it stands: its own blocks, its own block id.
  payload.message = {...payload.message, ts, blocks};
  payload.actions[0]!.block_id = actions.block_id;
  const body = formOf(payload);
  const answer = await post(h!.url, body, signed(body));
  return answer.status;
}

/** Every member's stored incident, in FLEET's order. */
async function members(w: World) {
  return Promise.all(
    KEYS.map(
      async key => (await w.store.update(CLUSTER_ID, key, () => null, usage()))?.open.failing,
    ),
  );
}

/** Posts (not updates) made since `from`, in the parent's thread or elsewhere. */
function postsSince(from: number) {
  return slack
    .accepted()
    .slice(from)
    .filter(c => c.method === 'chat.postMessage');
}

for (const store of ['firestore', 'file'] as const) {
  describe(`actions on a storm's parent (${store} store)`, () => {
    const options: WorldOptions = store === 'file' ? {fileStore: true} : {};

    it('acknowledge acts on every member: their messages and the parent show it, one reply', async () => {
      const {w, parent} = await stormed(options);
      const memberTs = new Set(
        posts()
          .filter(c => c.thread_ts === parent)
          .map(c => c.ts),
      );
      // What is tested is what a click does, not how fast: a busy machine gets time.
      h = await startHarness(w.store, {
        slack,
        token: TOKEN,
        budgetMs: 15_000,
        now: () => new Date('2026-03-02T01:35:00Z'),
      });
      const from = slack.accepted().length;
      assert.equal(await clickParent(parent, 'acknowledge'), 200);
      // Whatever the click's budget left, the next pass delivers.
      assert.deepEqual((await at(w, '2026-03-02T01:40:00Z')).errors, []);

      for (const incident of await members(w)) {
        assert.equal(incident?.acknowledged?.by, ALICE);
      }
      const after = slack.accepted().slice(from);
      const replies = after.filter(c => c.method === 'chat.postMessage');
      assert.deepEqual(
        replies.map(c => [c.thread_ts, c.text]),
        [[parent, `<@${ALICE}> acknowledged the 12 open CronJobs of this storm.`]],
        'one reply, in the parent thread',
      );
      const updated = after.filter(c => c.method === 'chat.update');
      const memberUpdates = updated.filter(c => memberTs.has(c.ts));
      assert.equal(memberUpdates.length, FLEET.length, 'each member message updated once');
      for (const c of memberUpdates) {
        assert.ok(JSON.stringify(c.blocks).includes(`Acknowledged by <@${ALICE}>`));
      }
      const shown = JSON.stringify(parentBlocks(parent));
      assert.ok(shown.includes(`Acknowledged by <@${ALICE}>`), shown);
      assert.ok(shown.includes('cronjob-watcher:unacknowledge'), 'the parent offers to undo it');
      // Acknowledged incidents get no reminders; a later pass has nothing to say.
      const quiet = slack.accepted().length;
      assert.deepEqual((await at(w, '2026-03-02T01:50:00Z')).errors, []);
      assert.equal(slack.accepted().length, quiet);
      // The same click again changes nothing and says so to the person alone.
      assert.equal(await clickParent(parent, 'acknowledge'), 200);
      assert.equal(slack.accepted().length, quiet);
      assert.match(h.slack.responses.at(-1)?.body.text ?? '', /Nothing changed/);
      const twice = [...deliveredById(slack)].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'nothing posted twice');
    });

    it('a day later one reminder in the parent thread, none per member; none once acknowledged', async () => {
      const {w, parent} = await stormed(options);
      const from = slack.accepted().length;
      // The first member opened at 01:06:30; a day later, REMINDERS' first time has come.
      assert.deepEqual((await at(w, '2026-03-03T01:10:00Z')).errors, []);
      assert.deepEqual(
        postsSince(from).map(c => [c.thread_ts, c.text]),
        [[parent, 'Still open after 1d: 12 of 12 CronJobs of this storm.']],
      );
      // Within the same reminder time, no reminder more (the hourly CronJobs' missed runs
      // are news of their own: another storm).
      const reminders = () => posts().filter(c => /reminder/.test(notificationIdOf(c) ?? ''));
      assert.deepEqual((await at(w, '2026-03-03T02:10:00Z')).errors, []);
      assert.equal(reminders().length, 1);
      // Acknowledged from the parent: the 3-day reminder does not come.
      h = await startHarness(w.store, {
        slack,
        token: TOKEN,
        budgetMs: 15_000,
        now: () => new Date('2026-03-03T02:15:00Z'),
      });
      assert.equal(await clickParent(parent, 'acknowledge'), 200);
      assert.deepEqual((await at(w, '2026-03-03T02:20:00Z')).errors, []);
      // Three days after it began: its second reminder time, but it is acknowledged.
      assert.deepEqual((await at(w, '2026-03-05T01:10:00Z')).errors, []);
      assert.deepEqual(
        reminders().map(c => c.text),
        ['Still open after 1d: 12 of 12 CronJobs of this storm.'],
        'no reminder for an acknowledged storm, none for a member',
      );
    });

    it('a snooze from the parent ends for all at once, with one reply in its thread', async () => {
      const {w, parent} = await stormed(options);
      // Four recover first: the snooze acts on the eight still open.
      for (const cj of FLEET.slice(0, 4)) show(kube, cj, [OK_0, FAIL_1, OK_3]);
      assert.deepEqual((await at(w, '2026-03-02T03:30:00Z')).errors, []);
      h = await startHarness(w.store, {
        slack,
        token: TOKEN,
        budgetMs: 15_000,
        now: () => new Date('2026-03-02T03:35:00Z'),
      });
      const from = slack.accepted().length;
      assert.equal(await clickParent(parent, 'snooze', '1h'), 200);
      assert.deepEqual((await at(w, '2026-03-02T03:40:00Z')).errors, []);
      const open = (await members(w)).slice(4);
      for (const incident of open) {
        assert.equal(incident?.snoozed?.until, '2026-03-02T04:35:00.000Z');
      }
      assert.deepEqual(
        postsSince(from).map(c => c.thread_ts),
        [parent],
        'one reply, in the parent thread',
      );
      assert.match(postsSince(from)[0]?.text ?? '', /snoozed the 8 open CronJobs of this storm/);
      assert.ok(JSON.stringify(parentBlocks(parent)).includes('Snoozed until'));

      // The hour is over: one reply says so in the parent's thread; each member just loses
      // its "snoozed" line.
      const ended = slack.accepted().length;
      assert.deepEqual((await at(w, '2026-03-02T04:40:00Z')).errors, []);
      assert.deepEqual(
        postsSince(ended).map(c => [c.thread_ts, c.text]),
        [[parent, `The snooze by <@${ALICE}> has ended; 8 CronJobs of this storm still open.`]],
      );
      for (const incident of await members(w)) assert.equal(incident?.snoozed, undefined);
      const shown = JSON.stringify(parentBlocks(parent));
      assert.ok(!shown.includes('Snoozed until'), shown);
      const updatedMembers = slack
        .accepted()
        .slice(ended)
        .filter(c => c.method === 'chat.update' && c.ts !== parent);
      assert.equal(updatedMembers.length, 8);

      // All recover: the parent loses its controls.
      for (const cj of FLEET) show(kube, cj, [OK_0, FAIL_1, OK_3]);
      assert.deepEqual((await at(w, '2026-03-02T04:50:00Z')).errors, []);
      assert.ok(!JSON.stringify(parentBlocks(parent)).includes('cronjob-watcher:'));
      const twice = [...deliveredById(slack)].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'nothing posted twice');
      assert.ok(
        posts().every(c => c.thread_ts !== null || notificationIdOf(c)?.endsWith('#/opened')),
        'nothing top-level but the parent',
      );
    });
  });
}
