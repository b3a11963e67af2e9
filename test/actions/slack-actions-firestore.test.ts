/**
 * The `slackActions` endpoint with the state deployed functions use: Firestore, through the
 * emulator run-tests.js starts. One click recorded in a transaction and delivered; two people
 * at once, one recorded.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  createFirestore,
  FirestoreIncidentStore,
} from '../../functions/adapters/firestore-incident-store.js';
import {
  CHANNEL,
  CLUSTER,
  click,
  KEY,
  nextPassDelivers,
  OPENING_TS,
  openRecord,
  REF_VALUE,
  startHarness,
  type Harness,
} from './harness.js';

const EMULATOR = process.env.FIRESTORE_EMULATOR_HOST;
if (EMULATOR === undefined) {
  throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through build/test/run-tests.js');
}

const usage = () => ({reads: 0, writes: 0});
let store: FirestoreIncidentStore;
let h: Harness;

before(async () => {
  const db = createFirestore({
    GOOGLE_CLOUD_PROJECT: `slack-actions-${process.pid}`,
    FIRESTORE_EMULATOR_HOST: EMULATOR,
  });
  store = new FirestoreIncidentStore(db);
  // What is tested here is the transaction, not the time (npm run bench:actions measures it):
  // an emulator started for this file on a busy machine can take seconds per transaction.
  h = await startHarness(store, {budgetMs: 15_000});
});

after(() => h.close());

describe('slackActions on Firestore', () => {
  it('two people acknowledging at once: one recorded in the transaction, the message shows it', async () => {
    // A click on a CronJob with no record changes nothing.
    const warm = await click(h, {value: REF_VALUE.replace('batch/backup', 'batch/none')});
    assert.equal(warm.status, 200);
    h.slack.responses.length = 0;
    await store.update(CLUSTER.id, KEY, () => openRecord(), usage());
    const [a, b] = await Promise.all([
      click(h, {user: 'U0ALICE001'}),
      click(h, {user: 'U0BOB00002'}),
    ]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    // Two transactions on one document: the loser retries, sees it acknowledged and changes
    // nothing; whatever the winner did not deliver, the next pass does, once.
    await nextPassDelivers(store, h.slack);
    const record = await store.update(CLUSTER.id, KEY, () => null, usage());
    const by = record?.open.failing?.acknowledged?.by;
    assert.ok(by === 'U0ALICE001' || by === 'U0BOB00002', String(by));
    assert.deepEqual(record?.outbox, []);
    const replies = h.slack
      .messagesOf(CHANNEL)
      .filter(m => m.thread_ts === OPENING_TS)
      .map(m => m.text);
    assert.deepEqual(replies, [`<@${by}> acknowledged this.`]);
    const opening = JSON.stringify(h.slack.message(CHANNEL, OPENING_TS)?.blocks);
    assert.ok(opening.includes(`Acknowledged by <@${by}>`));
    // The other person is told who did.
    assert.equal(h.slack.responses.length, 1);
    assert.match(
      h.slack.responses[0]?.body.text ?? '',
      new RegExp(`Nothing changed.*<@${by}>`, 's'),
    );
  });
});
