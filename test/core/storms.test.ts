/**
 * Storms (issue 22 §1), the pure rules as tables: who is in a storm (threshold per channel,
 * which openings may join), the storm record written from its members, "N of M recovered" as
 * members close, the parent message, and the claims that send the parent once. Every expected
 * value is written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import type {
  Destination,
  FailingIncident,
  PendingNotification,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {buildStormMessage} from '../../functions/core/storms/messages.js';
import {
  claimStormSend,
  groupStorms,
  joinStorm,
  markStormSent,
  observeStorm,
  recoveredCount,
  releaseStormSend,
  stormRecordOf,
  stormSendClaimedBy,
} from '../../functions/core/storms/storm.js';
import {at, cronJob, failedJob} from './builders.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';

const CLUSTER = 'kubeconfig/prod';
const NOW = at(100);

function destination(overrides: Partial<Destination> = {}): Destination {
  return {channel: null, language: 'en', mention: null, runbook: null, ...overrides};
}

/** A failing incident of CronJob `ns/name`, opened `minute` minutes after T0. */
function failing(
  name: string,
  options: {ns?: string; minute?: number; dest?: Destination; detail?: string | null} = {},
): FailingIncident {
  const run = {
    job: `${name}-1`,
    jobUid: `uid-${name}-1`,
    manual: false,
    at: at(options.minute ?? 0).toISOString(),
    reason: 'BackoffLimitExceeded',
    message: null,
    detail: options.detail === undefined ? 'container main: OOMKilled (exit 137)' : options.detail,
  };
  return {
    kind: 'failing',
    id: `uid-${name}/${run.job}`,
    openedAt: run.at,
    closedAt: null,
    ending: null,
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    destination: options.dest ?? destination(),
  };
}

function opening(incident: FailingIncident, overrides: Partial<PendingNotification> = {}) {
  return {
    id: `${incident.id}/opened`,
    kind: 'opened' as const,
    incident,
    createdAt: NOW.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    ...overrides,
  };
}

/** The record of CronJob `ns/name` owing `outbox`, with `incident` open. */
function record(
  name: string,
  options: {
    ns?: string;
    incident?: FailingIncident;
    outbox?: PendingNotification[];
    open?: boolean;
    threads?: SubjectRecord['threads'];
  } = {},
): [string, SubjectRecord] {
  const ns = options.ns ?? 'batch';
  const incident = options.incident ?? failing(name, {ns});
  return [
    `${ns}/${name}`,
    {
      schemaVersion: RECORD_SCHEMA_VERSION,
      clusterId: CLUSTER,
      subject: {type: 'cronjob', namespace: ns, name, uid: `uid-${name}`, schedule: '0 * * * *'},
      watermark: null,
      open: options.open === false ? {} : {failing: incident},
      outbox: options.outbox ?? [opening(incident)],
      threads: options.threads ?? [],
      history: [],
      readFailures: null,
      runs: [],
      updatedAt: NOW.toISOString(),
    },
  ];
}

function many(n: number, prefix: string, dest?: Destination): Array<[string, SubjectRecord]> {
  return Array.from({length: n}, (_, i) => {
    const name = `${prefix}-${i}`;
    return record(name, {incident: failing(name, dest === undefined ? {} : {dest})});
  });
}

describe('who is in a storm', () => {
  const attempted = failing('attempted');
  const claimed = failing('claimed');
  const inDoubt = failing('in-doubt');
  const tagged = failing('tagged');
  const continues = {...failing('continues'), continues: 'long-1'};
  const cases: Array<{
    name: string;
    records: Array<[string, SubjectRecord]>;
    threshold: number;
    expect: Array<{channel: string | null; keys: string[]}>;
  }> = [
    {
      name: 'five openings to the configured channel: one storm of five',
      records: many(5, 'a'),
      threshold: 5,
      expect: [
        {channel: null, keys: ['batch/a-0', 'batch/a-1', 'batch/a-2', 'batch/a-3', 'batch/a-4']},
      ],
    },
    {
      name: 'four openings: no storm',
      records: many(4, 'a'),
      threshold: 5,
      expect: [],
    },
    {
      name: 'the threshold is per channel: five to C1 make one, four to C2 do not',
      records: [
        ...many(5, 'one', destination({channel: 'C1'})),
        ...many(4, 'two', destination({channel: 'C2'})),
      ],
      threshold: 5,
      expect: [
        {
          channel: 'C1',
          keys: ['batch/one-0', 'batch/one-1', 'batch/one-2', 'batch/one-3', 'batch/one-4'],
        },
      ],
    },
    {
      name: 'a threshold of 2',
      records: many(2, 'a'),
      threshold: 2,
      expect: [{channel: null, keys: ['batch/a-0', 'batch/a-1']}],
    },
    {
      name: 'openings attempted before, claimed, in doubt or already in a storm do not count',
      records: [
        ...many(4, 'a'),
        record('attempted', {
          incident: attempted,
          outbox: [opening(attempted, {attempts: 1, lastError: 'x'})],
        }),
        record('claimed', {
          incident: claimed,
          outbox: [opening(claimed, {claim: {by: 'other', until: at(200).toISOString()}})],
        }),
        record('in-doubt', {
          incident: inDoubt,
          outbox: [opening(inDoubt, {lastOutcome: 'unknown'})],
        }),
        record('tagged', {incident: tagged, outbox: [opening(tagged, {storm: 'older'})]}),
      ],
      threshold: 5,
      expect: [],
    },
    {
      name: 'closings do not count, nor an opening that continues its own thread',
      records: [
        ...many(4, 'a'),
        record('closing', {
          open: false,
          outbox: [{...opening(failing('closing')), id: 'x/closed', kind: 'closed'}],
        }),
        record('continues', {
          incident: continues,
          outbox: [opening(continues)],
          threads: [{incidentId: 'long-1', channel: 'C1', ts: '1.1'}],
        }),
      ],
      threshold: 5,
      expect: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const groups = groupStorms(c.records, c.threshold, NOW);
      assert.deepEqual(
        groups.map(g => ({channel: g.channel, keys: g.keys})),
        c.expect,
      );
      assert.equal(new Set(groups.map(g => g.id)).size, groups.length, 'ids are distinct');
    });
  }

  it('the cluster record never joins', () => {
    const [, r] = record('x');
    const cluster: SubjectRecord = {...r, subject: {type: 'cluster'}};
    assert.deepEqual(groupStorms([['/', cluster], ...many(4, 'a')], 5, NOW), []);
  });

  it('joining tags the opening; one claimed meanwhile stays out', () => {
    const [, r] = record('x');
    const joined = joinStorm(r, 'S', NOW);
    assert.equal(joined?.outbox[0]?.storm, 'S');
    assert.equal(joinStorm(joined, 'T', NOW), null, 'already in a storm');
    const taken = {
      ...r,
      outbox: [{...r.outbox[0]!, claim: {by: 'p', until: at(200).toISOString()}}],
    };
    assert.equal(joinStorm(taken, 'S', NOW), null);
  });

  it('an opening of a storm that closes before it is sent stays in the storm as "recovered"', () => {
    const cj = cronJob({uid: 'uid-x', name: 'x', schedule: '0 0 29 2 *'});
    const ko = {...failedJob({name: 'x-1', scheduled: 0}), cronJobUid: 'uid-x'};
    const view = (jobs = [ko]) => ({
      type: 'cronjob' as const,
      clusterId: CLUSTER,
      cronJob: cj,
      runs: finishedRunsOf(jobs),
      running: [],
      latestScheduledJobAt: null,
    });
    const policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
    const opened = decideSubject(null, view(), policy, at(10), undefined);
    assert.ok(opened);
    const inStorm = joinStorm(opened.record, 'S', at(10));
    assert.ok(inStorm);
    const ok = {
      ...failedJob({name: 'x-2', scheduled: 20}),
      cronJobUid: 'uid-x',
      conditions: [
        {type: 'Complete', status: 'True', reason: null, message: null, lastTransitionTime: at(25)},
      ],
      completedAt: at(25),
    };
    const closed = decideSubject(inStorm, view([ko, ok]), policy, at(30), undefined);
    assert.deepEqual(
      closed?.record.outbox.map(n => [n.kind, n.storm]),
      [['recovered', 'S']],
    );
  });
});

/** Members of storm S: `n` records whose openings joined it. */
function members(
  n: number,
  options: {ns?: (i: number) => string; dest?: (i: number) => Destination} = {},
) {
  return Array.from({length: n}, (_, i) => {
    const name = `job-${String(i).padStart(2, '0')}`;
    const ns = options.ns?.(i) ?? 'batch';
    const incident = failing(name, {
      ns,
      minute: i,
      ...(options.dest ? {dest: options.dest(i)} : {}),
    });
    const [key, r] = record(name, {ns, incident});
    const joined = joinStorm(r, 'S', NOW);
    assert.ok(joined);
    return [key, joined] as [string, SubjectRecord];
  });
}

describe('the storm record', () => {
  it('lists every member, owes the parent, opened when the first member opened', () => {
    const m = members(3);
    const storm = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
    assert.ok(storm?.storm);
    assert.deepEqual(storm.subject, {type: 'storm', id: 'S'});
    assert.deepEqual(
      storm.storm.members.map(x => [x.key, x.kind, x.reason, x.recoveredAt]),
      [
        ['batch/job-00', 'failing', 'OOMKilled (exit 137)', null],
        ['batch/job-01', 'failing', 'OOMKilled (exit 137)', null],
        ['batch/job-02', 'failing', 'OOMKilled (exit 137)', null],
      ],
    );
    assert.equal(storm.storm.openedAt, at(0).toISOString());
    assert.deepEqual(storm.storm.send?.id, 'S/opened');
    assert.equal(storm.storm.parent, null);
    assert.equal(stormRecordOf(storm, 'S', CLUSTER, 'prod', m, NOW), null, 'nothing new');
    const more = members(4);
    const extended = stormRecordOf(storm, 'S', CLUSTER, 'prod', more, NOW);
    assert.equal(extended?.storm?.members.length, 4);
  });

  it("the parent's language is most members', mentions each once, the runbook only when shared", () => {
    const langs = ['ja', 'en', 'ja'] as const;
    const m = members(3, {
      dest: i =>
        destination({
          language: langs[i] ?? 'en',
          mention: i === 2 ? '<!subteam^S2>' : '<!subteam^S1>',
          runbook: i === 0 ? 'https://wiki/a' : 'https://wiki/b',
        }),
    });
    const d = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW)?.storm?.destination;
    assert.deepEqual(d, {
      channel: null,
      language: 'ja',
      mention: '<!subteam^S1> <!subteam^S2>',
      runbook: null,
    });
  });
});

/** The storm of `n` members with its parent posted, showing `shown` recovered. */
function posted(n: number, shown = 0): {storm: SubjectRecord; m: Array<[string, SubjectRecord]>} {
  const m = members(n);
  const s = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
  assert.ok(s);
  const sent = markStormSent(s, 'S/opened', {channel: 'C1', ts: '100.1'}, shown, NOW);
  assert.ok(sent);
  return {storm: sent, m};
}

/** The member records with the first `closed` of them closed at minute 60 + i. */
function withClosed(m: Array<[string, SubjectRecord]>, closed: number): Map<string, SubjectRecord> {
  return new Map(
    m.flatMap(([key, r], i): Array<[string, SubjectRecord]> => {
      if (i >= closed) return [[key, r]];
      const incident = r.open.failing!;
      const done = {
        ...incident,
        closedAt: at(60 + i).toISOString(),
        ending: {type: 'succeeded-job-gone' as const, at: at(60 + i).toISOString()},
      };
      // Half of them still owe their closing reply; the others are done and left attention.
      return i % 2 === 0
        ? [
            [
              key,
              {
                ...r,
                open: {},
                outbox: [{...opening(done), id: `${done.id}/closed`, kind: 'closed' as const}],
              },
            ],
          ]
        : [];
    }),
  );
}

describe('"N of M recovered"', () => {
  const cases: Array<{closed: number; recovered: number; finished: boolean; owes: string | null}> =
    [
      {closed: 0, recovered: 0, finished: false, owes: null},
      {closed: 1, recovered: 1, finished: false, owes: 'S/progress'},
      {closed: 9, recovered: 9, finished: false, owes: 'S/progress'},
      {closed: 23, recovered: 23, finished: true, owes: 'S/progress'},
    ];
  for (const c of cases) {
    it(`${c.closed} of 23 closed`, () => {
      const {storm, m} = posted(23);
      const observed = observeStorm(storm, withClosed(m, c.closed), at(100));
      if (c.closed === 0) {
        assert.equal(observed, null);
        return;
      }
      assert.ok(observed?.storm);
      assert.equal(recoveredCount(observed.storm), c.recovered);
      assert.equal(observed.storm.finishedAt !== null, c.finished);
      assert.equal(observed.storm.send?.id ?? null, c.owes);
    });
  }

  it('recovered at the closing time the record holds, else when seen', () => {
    const {storm, m} = posted(3);
    const observed = observeStorm(storm, withClosed(m, 3), at(100));
    assert.deepEqual(
      observed?.storm?.members.map(x => x.recoveredAt),
      // job-00 still owes its closing (time known), job-01 left attention (seen now), job-02 owes.
      [at(60).toISOString(), at(100).toISOString(), at(62).toISOString()],
    );
    assert.equal(observed?.storm?.finishedAt, at(100).toISOString());
  });

  it('no update owed before the parent is posted: it is posted as the storm then stands', () => {
    const m = members(3);
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
    const observed = observeStorm(s, withClosed(m, 1), at(100));
    assert.equal(observed?.storm?.send?.id, 'S/opened');
  });

  it('a finished storm that showed it needs no more attention', () => {
    const {storm, m} = posted(2);
    const done = observeStorm(storm, withClosed(m, 2), at(100));
    assert.ok(done?.storm?.send);
    const shown = markStormSent(done, 'S/progress', null, 2, at(101));
    assert.equal(shown?.storm?.send, null);
    assert.equal(shown?.storm?.parent?.ts, '100.1', 'the parent stays known');
  });
});

describe('the parent is sent once', () => {
  it('claimed by one pass; another live claim is left alone; an abandoned one is in doubt', () => {
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', members(2), NOW);
    const mine = claimStormSend(s, 'p1', NOW, at(105));
    assert.equal(stormSendClaimedBy(mine, 'p1')?.id, 'S/opened');
    assert.equal(claimStormSend(mine, 'p2', at(101), at(106)), null, 'live claim');
    const later = claimStormSend(mine, 'p2', at(106), at(111));
    assert.equal(stormSendClaimedBy(later, 'p2')?.lastOutcome, 'unknown');
    const held = claimStormSend(mine, 'p2', at(101), at(106), true);
    assert.equal(stormSendClaimedBy(held, 'p2')?.lastOutcome, 'unknown', 'held alone: taken over');
  });

  it('released with the error; a deferral is not an attempt; recorded with where it went', () => {
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', members(2), NOW);
    const mine = claimStormSend(s, 'p1', NOW, at(105));
    const failed = releaseStormSend(mine, 'S/opened', 'p1', NOW, 'boom', true);
    assert.deepEqual(
      [
        failed?.storm?.send?.claim,
        failed?.storm?.send?.attempts,
        failed?.storm?.send?.lastError,
        failed?.storm?.send?.lastOutcome,
      ],
      [null, 1, 'boom', 'unknown'],
    );
    const deferred = releaseStormSend(mine, 'S/opened', 'p1', NOW, null);
    assert.deepEqual(
      [deferred?.storm?.send?.attempts, deferred?.storm?.send?.lastOutcome],
      [0, undefined],
    );
    assert.equal(releaseStormSend(mine, 'S/opened', 'p2', NOW, null), null, 'not its claim');
    const sent = markStormSent(mine, 'S/opened', {channel: 'C1', ts: '1.1'}, 0, NOW);
    assert.deepEqual(
      [sent?.storm?.parent, sent?.storm?.shown, sent?.storm?.send],
      [{channel: 'C1', ts: '1.1'}, 0, null],
    );
  });

  it('a storm that moved on while its parent was sent owes an update', () => {
    const m = members(3);
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
    const claimed = claimStormSend(s, 'p1', NOW, at(105));
    const moved = observeStorm(claimed, withClosed(m, 1), at(101));
    const sent = markStormSent(moved, 'S/opened', {channel: 'C1', ts: '1.1'}, 0, at(102));
    assert.equal(sent?.storm?.send?.id, 'S/progress');
  });
});

describe('the parent message', () => {
  it('counts, where, kinds and reasons, the compact list, progress', () => {
    const ns = ['batch', 'data', 'batch', 'web', 'batch'];
    const m = members(5, {ns: i => ns[i] ?? 'batch'});
    const {storm} = (() => {
      const s = stormRecordOf(null, 'S', CLUSTER, 'prod-eu', m, NOW);
      return {storm: markStormSent(s, 'S/opened', {channel: 'C1', ts: '1.1'}, 0, NOW)};
    })();
    const observed = observeStorm(storm, withClosed(m, 2), at(100));
    assert.ok(observed?.storm);
    const text = renderConsole(buildStormMessage(observed.storm));
    for (const expected of [
      '5 CronJobs need attention at once',
      '2 of 5 recovered',
      'Cluster: prod-eu',
      'Namespaces: batch (3), data (1), web (1)',
      'Kinds: failing (5)',
      'Reasons: OOMKilled (exit 137) (5)',
      "Each CronJob's own message is in this thread.",
    ]) {
      assert.ok(text.includes(expected), `${expected}\n---\n${text}`);
    }
    // Open members first, then the recovered ones, marked.
    const list = text.slice(text.indexOf('CronJobs:'));
    assert.ok(list.indexOf('batch/job-02') < list.indexOf('✅ batch/job-00'), list);
  });

  it('all recovered: the time from the first opening to the last recovery', () => {
    const {storm, m} = posted(3);
    // Opened at minutes 0..2; recovered at 60 (owes its reply), now (100), 62.
    const done = observeStorm(storm, withClosed(m, 3), at(125));
    assert.ok(done?.storm);
    const message = buildStormMessage(done.storm);
    assert.equal(message.tone, 'resolved');
    const text = renderConsole(message);
    assert.ok(text.includes('All recovered after 2h 5m'), text);
    assert.ok(text.includes('3 CronJobs needed attention at once'), text);
  });

  it('in Japanese', () => {
    const m = members(3, {dest: () => destination({language: 'ja'})});
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
    assert.ok(s?.storm);
    const text = renderConsole(buildStormMessage(s.storm));
    assert.ok(text.includes('3 件の CronJob で同時に問題が発生しています'), text);
    assert.ok(text.includes('3 件中 0 件が復旧しました'), text);
  });

  it('1,000 members: cut to Slack\'s limits with "and N more"', () => {
    const m = members(1000, {ns: i => `team-${i % 40}`});
    const s = stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW);
    assert.ok(s?.storm);
    const slack = renderSlack(buildStormMessage(s.storm));
    assert.ok(slack.blocks.length <= 50);
    for (const block of slack.blocks) {
      const b = block as {text?: {text: string}; fields?: Array<{text: string}>};
      if (b.text !== undefined) assert.ok(b.text.text.length <= 3000, `${b.text.text.length}`);
      for (const f of b.fields ?? []) assert.ok(f.text.length <= 2000, `${f.text.length}`);
    }
    const all = JSON.stringify(slack.blocks);
    assert.match(all, /and 975 more/, 'the compact list shows 25 lines');
    assert.match(all, /team-0 \(25\)/);
    assert.match(all, /Namespaces[^"]*and \d+ more/);
  });
});

describe('stored shapes (schema 7)', () => {
  it('a storm record and a member with its storm read back as written', () => {
    const m = members(3);
    const storm = markStormSent(
      stormRecordOf(null, 'S', CLUSTER, 'prod', m, NOW),
      'S/opened',
      {channel: 'C1', ts: '1.1'},
      0,
      NOW,
    );
    const claimed = claimStormSend(observeStorm(storm, withClosed(m, 1), NOW), 'p', NOW, at(105));
    assert.ok(claimed?.storm?.send?.claim);
    const [, member] = m[0]!;
    const delivered = {
      ...member,
      outbox: [],
      threads: [{incidentId: 'i', channel: 'C1', ts: '2.2', threadTs: '1.1', storm: 'S'}],
    };
    for (const record of [claimed, member, delivered]) {
      const stored: unknown = JSON.parse(JSON.stringify(record));
      const read = upgradeRecord(stored);
      assert.ok(read.ok, read.ok ? '' : read.problem);
      assert.deepEqual(read.record, stored);
    }
  });

  it("a version-5 or 6 record reads as one without storms; a version after this release's is refused", () => {
    const [, r] = record('x');
    const v5 = upgradeRecord({...JSON.parse(JSON.stringify(r)), schemaVersion: 5});
    assert.ok(v5.ok);
    assert.equal(v5.record.schemaVersion, RECORD_SCHEMA_VERSION);
    assert.equal(v5.record.storm, undefined);
    const v6 = upgradeRecord({...JSON.parse(JSON.stringify(r)), schemaVersion: 6});
    assert.ok(v6.ok);
    assert.equal(v6.record.storm, undefined);
    const newer = {...JSON.parse(JSON.stringify(r)), schemaVersion: RECORD_SCHEMA_VERSION + 1};
    assert.equal(upgradeRecord(newer).ok, false);
  });
});
