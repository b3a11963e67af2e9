/**
 * The storm record's small rules, one row each (issue 27, storms): the claim on the message a
 * storm owes (live until its time, taken over only when the other pass ended, in doubt once
 * abandoned), its release and its record, what a non-storm record or a wrong id changes
 * (nothing), how members' recoveries are dated, and the parent's destination. Written after
 * the first mutation run of core/storms (test/mutation/README.md); expected values by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  Destination,
  StormMember,
  StormSend,
  StormState,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {
  claimStormSend,
  markStormSent,
  observeStorm,
  releaseStormSend,
  stormDestinationOf,
  stormSendClaimedBy,
} from '../../functions/core/storms/storm.js';
import {cronJob as cronJobRecord, failing} from '../support/storm-records.js';

const ID = '2026-03-02T01:30:00.000Z#';
const NOW = new Date('2026-03-02T02:00:00.000Z');
const UNTIL = new Date('2026-03-02T02:10:00.000Z');

function send(extra: Partial<StormSend> = {}): StormSend {
  return {
    id: `${ID}/progress`,
    kind: 'progress',
    createdAt: '2026-03-02T01:50:00.000Z',
    attempts: 0,
    lastError: null,
    claim: null,
    ...extra,
  };
}

function member(name: string, recoveredAt: string | null = null): StormMember {
  return {
    key: `batch/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind: 'failing',
    namespace: 'batch',
    name,
    reason: null,
    recoveredAt,
  };
}

function stormRecord(extra: Partial<StormState> = {}): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/prod',
    subject: {type: 'storm', id: ID},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:50:00.000Z',
    storm: {
      id: ID,
      clusterName: 'prod',
      destination: {channel: null, language: 'en', mention: null, runbook: null},
      openedAt: '2026-03-02T01:06:00.000Z',
      members: [member('a'), member('b')],
      parent: {channel: 'C0ALERTS01', ts: '1.0'},
      shown: 0,
      finishedAt: null,
      send: send(),
      ...extra,
    },
  };
}

/** A failing incident of `batch/<name>`, opened at 01:06. */
const incident = (name: string, closedAt: string | null = null) =>
  failing(name, undefined, closedAt);

describe('claiming what a storm owes', () => {
  const none: Array<[string, SubjectRecord | null]> = [
    ['no record', null],
    ['a CronJob record', cronJobRecord('a')],
    ['a storm that owes nothing', stormRecord({send: null})],
    [
      'a live claim of another pass',
      stormRecord({send: send({claim: {by: 'pass-2', until: '2026-03-02T02:00:00.001Z'}})}),
    ],
  ];
  for (const [name, record] of none) {
    it(`nothing to claim: ${name}`, () => {
      assert.equal(claimStormSend(record, 'pass-1', NOW, UNTIL), null);
    });
  }

  it('a claim that ran out at exactly now is taken, and marked in doubt', () => {
    const record = stormRecord({
      send: send({
        claim: {by: 'pass-2', until: NOW.toISOString()},
        firstAttemptAt: '2026-03-02T01:55:00.000Z',
      }),
    });
    const claimed = claimStormSend(record, 'pass-1', NOW, UNTIL)?.storm?.send;
    assert.deepEqual(claimed?.claim, {by: 'pass-1', until: UNTIL.toISOString()});
    assert.equal(claimed?.firstAttemptAt, '2026-03-02T01:55:00.000Z');
    assert.equal(claimed?.lastOutcome, 'unknown');
  });

  it('a first claim: first attempt now, not in doubt', () => {
    const claimed = claimStormSend(stormRecord(), 'pass-1', NOW, UNTIL)?.storm?.send;
    assert.equal(claimed?.firstAttemptAt, NOW.toISOString());
    assert.equal(claimed?.lastOutcome, undefined);
    assert.equal(claimed?.id, `${ID}/progress`);
  });

  it('a live claim of a pass that ended is taken over only when the others ended', () => {
    const live = stormRecord({send: send({claim: {by: 'pass-2', until: UNTIL.toISOString()}})});
    assert.equal(claimStormSend(live, 'pass-1', NOW, UNTIL, false), null);
    assert.equal(
      claimStormSend(live, 'pass-1', NOW, UNTIL, true)?.storm?.send?.claim?.by,
      'pass-1',
    );
    // Its own live claim is not taken again, ended others or not.
    const own = stormRecord({send: send({claim: {by: 'pass-1', until: UNTIL.toISOString()}})});
    assert.equal(claimStormSend(own, 'pass-1', NOW, UNTIL, true), null);
  });

  it('an attempt in doubt stays in doubt when claimed again', () => {
    const record = stormRecord({send: send({lastOutcome: 'unknown'})});
    assert.equal(claimStormSend(record, 'pass-1', NOW, UNTIL)?.storm?.send?.lastOutcome, 'unknown');
  });

  it('who holds it', () => {
    const held = stormRecord({send: send({claim: {by: 'pass-1', until: UNTIL.toISOString()}})});
    assert.equal(stormSendClaimedBy(held, 'pass-1')?.id, `${ID}/progress`);
    assert.equal(stormSendClaimedBy(held, 'pass-2'), null);
    assert.equal(stormSendClaimedBy(stormRecord(), 'pass-1'), null);
    assert.equal(stormSendClaimedBy(null, 'pass-1'), null);
    assert.equal(stormSendClaimedBy(stormRecord({send: null}), 'pass-1'), null);
  });
});

describe('releasing and recording it', () => {
  const held = () => stormRecord({send: send({claim: {by: 'pass-1', until: UNTIL.toISOString()}})});

  const untouched: Array<[string, SubjectRecord | null, string, string]> = [
    ['no record', null, `${ID}/progress`, 'pass-1'],
    ['a CronJob record', cronJobRecord('a'), `${ID}/progress`, 'pass-1'],
    ['nothing owed', stormRecord({send: null}), `${ID}/progress`, 'pass-1'],
    ['another message', held(), `${ID}/opened`, 'pass-1'],
    ['another pass’s claim', held(), `${ID}/progress`, 'pass-2'],
  ];
  for (const [name, record, id, pass] of untouched) {
    it(`a release changes nothing: ${name}`, () => {
      assert.equal(releaseStormSend(record, id, pass, NOW, 'boom'), null);
    });
  }

  it('a failure counts an attempt and keeps its error; a deferral counts nothing', () => {
    const failed = releaseStormSend(held(), `${ID}/progress`, 'pass-1', NOW, 'ratelimited');
    assert.deepEqual(failed?.storm?.send, {...send(), attempts: 1, lastError: 'ratelimited'});
    assert.equal(failed?.updatedAt, NOW.toISOString());
    const deferred = releaseStormSend(held(), `${ID}/progress`, 'pass-1', NOW, null);
    assert.deepEqual(deferred?.storm?.send, send());
  });

  it('an outcome unknown is kept, and stays once marked', () => {
    const unknown = releaseStormSend(held(), `${ID}/progress`, 'pass-1', NOW, 'timeout', true);
    assert.equal(unknown?.storm?.send?.lastOutcome, 'unknown');
    const before = stormRecord({
      send: send({claim: {by: 'pass-1', until: UNTIL.toISOString()}, lastOutcome: 'unknown'}),
    });
    assert.equal(
      releaseStormSend(before, `${ID}/progress`, 'pass-1', NOW, null)?.storm?.send?.lastOutcome,
      'unknown',
    );
  });

  const unrecorded: Array<[string, SubjectRecord | null, string]> = [
    ['no record', null, `${ID}/progress`],
    ['a CronJob record', cronJobRecord('a'), `${ID}/progress`],
    ['nothing owed', stormRecord({send: null}), `${ID}/progress`],
    ['another message', stormRecord(), `${ID}/opened`],
  ];
  for (const [name, record, id] of unrecorded) {
    it(`recording changes nothing: ${name}`, () => {
      assert.equal(markStormSent(record, id, null, 0, NOW), null);
    });
  }

  it('a progress update recorded: the parent stays where it was, what it shows is kept', () => {
    const recorded = markStormSent(stormRecord(), `${ID}/progress`, null, 0, NOW);
    assert.deepEqual(recorded?.storm?.parent, {channel: 'C0ALERTS01', ts: '1.0'});
    assert.equal(recorded?.storm?.shown, 0);
    assert.equal(recorded?.storm?.send, null);
    assert.equal(recorded?.updatedAt, NOW.toISOString());
  });

  it('recorded behind what the storm now knows: another update is owed', () => {
    const moved = stormRecord({members: [member('a', '2026-03-02T01:58:00.000Z'), member('b')]});
    const recorded = markStormSent(moved, `${ID}/progress`, null, 0, NOW);
    assert.equal(recorded?.storm?.send?.kind, 'progress');
    assert.equal(recorded?.storm?.send?.createdAt, NOW.toISOString());
    // Up to date: nothing more.
    assert.equal(markStormSent(moved, `${ID}/progress`, null, 1, NOW)?.storm?.send, null);
  });
});

describe('what the members say', () => {
  const records = (...list: SubjectRecord[]) =>
    new Map(list.map(r => [`batch/${r.subject.type === 'cronjob' ? r.subject.name : ''}`, r]));

  const none: Array<[string, SubjectRecord | null]> = [
    ['no record', null],
    ['a CronJob record', cronJobRecord('a')],
    ['a finished storm', stormRecord({finishedAt: '2026-03-02T01:59:00.000Z'})],
  ];
  for (const [name, record] of none) {
    it(`nothing to observe: ${name}`, () => {
      assert.equal(observeStorm(record, new Map(), NOW), null);
    });
  }

  it('a member whose record closed it: recovered when the closing says, the latest ends the storm', () => {
    const closed = (name: string, at: string, where: 'outbox' | 'history') => {
      const i = incident(name, at);
      return cronJobRecord(name, {
        ...(where === 'history'
          ? {history: [i]}
          : {
              outbox: [
                {
                  id: `${i.id}/closed`,
                  kind: 'closed',
                  incident: i,
                  createdAt: at,
                  attempts: 0,
                  lastError: null,
                  claim: null,
                },
              ],
            }),
      });
    };
    const observed = observeStorm(
      stormRecord(),
      records(
        closed('a', '2026-03-02T01:40:00.000Z', 'outbox'),
        closed('b', '2026-03-02T01:45:00.000Z', 'history'),
      ),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      ['2026-03-02T01:40:00.000Z', '2026-03-02T01:45:00.000Z'],
    );
    assert.equal(observed?.storm?.finishedAt, '2026-03-02T01:45:00.000Z');
    assert.equal(observed?.updatedAt, NOW.toISOString());
  });

  it('a closing of another incident of the same CronJob does not date this one', () => {
    const other = incident('a', '2026-03-02T01:40:00.000Z');
    const record = cronJobRecord('a', {history: [{...other, id: 'uid-a/older'}]});
    const observed = observeStorm(
      stormRecord(),
      records(record, cronJobRecord('b', {open: {failing: incident('b')}})),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      [NOW.toISOString(), null],
    );
    assert.equal(observed?.storm?.finishedAt, null);
  });

  it('nothing changed: null', () => {
    const open = records(
      cronJobRecord('a', {open: {failing: incident('a')}}),
      cronJobRecord('b', {open: {failing: incident('b')}}),
    );
    assert.equal(observeStorm(stormRecord(), open, NOW), null);
  });
});

describe("the parent's destination", () => {
  const withDestination = (d: Partial<Destination>) => ({
    ...incident('x'),
    destination: {channel: null, language: null, mention: null, runbook: null, ...d},
  });
  it('the language most members use; English for those without one; the first on a tie', () => {
    assert.equal(
      stormDestinationOf(null, [
        incident('a'),
        withDestination({language: 'ja'}),
        withDestination({language: 'ja'}),
      ]).language,
      'ja',
    );
    assert.equal(
      stormDestinationOf(null, [withDestination({language: 'ja'}), incident('b')]).language,
      'ja',
    );
    assert.equal(
      stormDestinationOf(null, [incident('a'), withDestination({language: 'ja'})]).language,
      'en',
    );
  });
  it('each mention once, at most five; none: null', () => {
    const mentions = ['<@U1>', '<@U2>', '<@U1>', '<@U3>', '<@U4>', '<@U5>', '<@U6>'];
    assert.equal(
      stormDestinationOf(
        null,
        mentions.map(m => withDestination({mention: m})),
      ).mention,
      '<@U1> <@U2> <@U3> <@U4> <@U5>',
    );
    assert.equal(stormDestinationOf(null, [incident('a')]).mention, null);
  });
  it('the runbook when all share one, else none', () => {
    const a = withDestination({runbook: 'https://r/1'});
    assert.equal(stormDestinationOf('C1', [a, a]).runbook, 'https://r/1');
    assert.equal(
      stormDestinationOf('C1', [a, withDestination({runbook: 'https://r/2'})]).runbook,
      null,
    );
    assert.equal(stormDestinationOf('C1', [a, incident('b')]).runbook, null);
    assert.equal(stormDestinationOf('C1', [a]).channel, 'C1');
  });
});
