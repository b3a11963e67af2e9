/**
 * Reminders (issue 22 §2): the setting, when reminder times come, who is quieted, and what
 * decideSubject does about an incident still open — including that passes between reminder
 * times decide nothing (so write nothing) and that each reminder is queued once.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, subjectMayChange} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {isAcknowledgedOrSnoozed} from '../../functions/core/actions/quiet.js';
import {markDelivered} from '../../functions/core/outbox.js';
import {parseAnnotations, policiesOf, type Policy} from '../../functions/core/policy.js';
import {parseReminders, remindersDueBy} from '../../functions/core/reminders.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE} from './builders.js';

const H = 3_600_000;
const D = 24 * H;
const MIN = 60_000;

describe('reminders: the setting', () => {
  const good: Array<[string, number[]]> = [
    ['1d,3d,7d', [D, 3 * D, 7 * D]],
    [' 4h , 1d ', [4 * H, D]],
    ['OFF', []],
    ['off', []],
  ];
  for (const [raw, expected] of good) {
    it(`reads "${raw}"`, () => assert.deepEqual(parseReminders(raw), {ok: true, value: expected}));
  }
  const bad: Array<[string, RegExp]> = [
    ['', /increasing durations/],
    ['1d,1d', /does not come after/],
    ['3d,1d', /does not come after/],
    ['30m', /shorter than an hour/],
    ['1d,soon', /"soon" must be a duration/],
    ['1h,2h,3h,4h,5h,6h,7h,8h,9h,10h,11h', /increasing durations/],
  ];
  for (const [raw, problem] of bad) {
    it(`refuses "${raw}"`, () => {
      const parsed = parseReminders(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    });
  }
  it('the annotation wins over REMINDERS; without either, 1d,3d,7d', () => {
    const withOwn = cronJob({name: 'own', annotations: {'cronjob-watcher/reminders': 'off'}});
    const plain = cronJob({name: 'plain'});
    const byConfig = policiesOf('prod', [withOwn, plain], {
      clusterDownAfter: 3,
      language: 'en',
      routes: [],
      reminders: [4 * H],
    });
    assert.deepEqual(byConfig.policyOf('batch/own').reminders, []);
    assert.deepEqual(byConfig.policyOf('batch/plain').reminders, [4 * H]);
    const byDefault = policiesOf('prod', [plain], {
      clusterDownAfter: 3,
      language: 'en',
      routes: [],
    });
    assert.deepEqual(byDefault.policyOf('batch/plain').reminders, [D, 3 * D, 7 * D]);
    assert.match(
      parseAnnotations({'cronjob-watcher/reminders': 'often'}).problems[0]?.problem ?? '',
      /increasing durations/,
    );
  });
});

describe('reminders: how many reminder times have come', () => {
  const DEFAULT = [D, 3 * D, 7 * D];
  const cases: Array<[number[], number, number]> = [
    [DEFAULT, 0, 0],
    [DEFAULT, D - 1, 0],
    [DEFAULT, D, 1],
    [DEFAULT, 3 * D - 1, 1],
    [DEFAULT, 3 * D, 2],
    [DEFAULT, 7 * D, 3],
    [DEFAULT, 14 * D - 1, 3],
    [DEFAULT, 14 * D, 4],
    [DEFAULT, 21 * D, 5],
    [DEFAULT, 70 * D, 12],
    [[4 * H], 4 * H, 1],
    [[4 * H], 12 * H, 3],
    [[], 100 * D, 0],
    [DEFAULT, -D, 0],
  ];
  for (const [offsets, elapsed, expected] of cases) {
    it(`${offsets.map(o => o / H).join(',') || 'off'} (hours), ${elapsed / H}h after opening: ${expected}`, () => {
      assert.equal(remindersDueBy(offsets, 1_000_000, 1_000_000 + elapsed), expected);
    });
  }
  it('an unreadable opening time brings none', () => {
    assert.equal(remindersDueBy(DEFAULT, Number.NaN, 1_000_000), 0);
  });
});

describe("reminders: who is quieted (the Slack actions' predicate)", () => {
  const now = new Date('2026-03-02T10:00:00Z');
  type Quietable = Omit<Parameters<typeof isAcknowledgedOrSnoozed>[0], 'closedAt'>;
  const cases: Array<[string, Quietable, boolean]> = [
    ['nobody did anything', {}, false],
    ['acknowledged', {acknowledged: {by: 'U1', at: '2026-03-02T09:00:00Z'}}, true],
    [
      'snoozed until recovery',
      {snoozed: {by: 'U1', until: 'recovery', at: '2026-03-02T09:00:00Z'}},
      true,
    ],
    [
      'snoozed until later',
      {snoozed: {by: 'U1', until: '2026-03-02T10:00:01Z', at: '2026-03-02T09:00:00Z'}},
      true,
    ],
    [
      'snoozed until now (over)',
      {snoozed: {by: 'U1', until: '2026-03-02T10:00:00Z', at: '2026-03-02T09:00:00Z'}},
      false,
    ],
    [
      'snoozed until an unreadable time',
      {snoozed: {by: 'U1', until: 'soon', at: '2026-03-02T09:00:00Z'}},
      false,
    ],
  ];
  for (const [what, incident, expected] of cases) {
    it(what, () =>
      assert.equal(isAcknowledgedOrSnoozed({...incident, closedAt: null}, now), expected),
    );
  }
  it('a closed incident is never quieted', () => {
    const acknowledged = {acknowledged: {by: 'U1', at: '2026-03-02T09:00:00Z'}};
    assert.equal(
      isAcknowledgedOrSnoozed({...acknowledged, closedAt: now.toISOString()}, now),
      false,
    );
  });
});

describe('reminders: what decideSubject does about an incident still open', () => {
  const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
  const view = (jobs: JobInfo[]): CronJobView => ({
    type: 'cronjob',
    clusterId: 'kubeconfig/test',
    cronJob: cronJob({schedule: QUIET_SCHEDULE, lastScheduleTime: at(0)}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: at(0),
  });
  const f0 = failedJob({name: 'backup-0', scheduled: 0});
  // Failed at minute 5: the incident opened then.
  const openedMs = at(5).getTime();
  const after = (ms: number) => new Date(openedMs + ms);

  /** The record once its opening was delivered (its thread known, its outbox empty). */
  function announced(policy: Policy = POLICY): SubjectRecord {
    const d = decideSubject(null, view([f0]), policy, at(10), null);
    assert.ok(d);
    const opening = d.record.outbox[0];
    assert.ok(opening);
    const delivered = markDelivered(
      d.record,
      opening.id,
      {incidentId: opening.incident.id, channel: 'C1', ts: '1.1'},
      at(11),
    );
    assert.ok(delivered);
    return delivered;
  }
  const decideAt = (record: SubjectRecord, when: Date, policy: Policy = POLICY) =>
    decideSubject(record, view([f0]), policy, when, null);
  const mayChange = (record: SubjectRecord, when: Date, policy: Policy = POLICY) =>
    subjectMayChange(view([f0]), {watermark: record.watermark, record}, policy, when);

  it('nothing to do before the first reminder time: not evaluated, nothing decided', () => {
    const record = announced();
    assert.equal(mayChange(record, after(D - MIN)), false);
    assert.equal(decideAt(record, after(D - MIN)), null);
  });

  it('a day after it opened: one reminder, queued with the reminder time it uses up; then nothing until 3 days', () => {
    const record = announced();
    assert.equal(mayChange(record, after(D)), true);
    const first = decideAt(record, after(D));
    assert.ok(first);
    assert.deepEqual(
      first.changes.map(c => c.kind),
      ['reminded'],
    );
    const id = record.open.failing!.id;
    assert.deepEqual(
      first.record.outbox.map(n => [n.id, n.kind]),
      [[`${id}/reminder-1`, 'reminder']],
    );
    assert.deepEqual(first.record.open.failing?.reminders, {
      sent: 1,
      lastAt: after(D).toISOString(),
    });
    // Decided again (a concurrent pass, a store retry): nothing more.
    assert.equal(decideAt(first.record, after(D + 5 * MIN)), null);
    assert.equal(mayChange(first.record, after(3 * D - MIN)), false);
    const second = decideAt(first.record, after(3 * D));
    assert.deepEqual(
      second?.record.outbox.map(n => n.id),
      [`${id}/reminder-1`, `${id}/reminder-2`],
    );
  });

  it('several reminder times passed at once (the watcher was down): one reminder', () => {
    const d = decideAt(announced(), after(8 * D));
    assert.deepEqual(
      d?.record.outbox.map(n => n.id.split('/').at(-1)),
      ['reminder-3'],
    );
  });

  it('a reminder delivered keeps the thread, for the closing reply', () => {
    const d = decideAt(announced(), after(D));
    assert.ok(d);
    const delivered = markDelivered(d.record, d.record.outbox[0]!.id, null, after(D));
    assert.deepEqual(
      delivered?.threads.map(t => t.ts),
      ['1.1'],
    );
    assert.deepEqual(delivered?.outbox, []);
  });

  const quiet: Array<[string, (r: SubjectRecord) => SubjectRecord, Policy]> = [
    [
      'acknowledged',
      r => withFailing(r, {acknowledged: {by: 'U1', at: after(H).toISOString()}}),
      POLICY,
    ],
    [
      'snoozed until recovery',
      r => withFailing(r, {snoozed: {by: 'U1', until: 'recovery', at: after(H).toISOString()}}),
      POLICY,
    ],
    [
      'snoozed for two days',
      r =>
        withFailing(r, {
          snoozed: {by: 'U1', until: after(2 * D).toISOString(), at: after(H).toISOString()},
        }),
      POLICY,
    ],
    ['never announced (no thread)', r => ({...r, threads: []}), POLICY],
    ['reminders off', r => r, {...POLICY, reminders: []}],
  ];
  for (const [what, change, policy] of quiet) {
    it(`none when ${what}`, () => {
      const record = change(announced());
      assert.equal(mayChange(record, after(D), policy), false);
      assert.equal(decideAt(record, after(D), policy), null);
    });
  }

  // A snooze that runs out gets its own reply (core/actions): a reminder due at that same pass
  // is used up instead of sent, so the thread gets one reply, not two in a row.
  const snoozeEnds: Array<{
    what: string;
    until: number;
    passes: number[];
    outbox: string[][];
    sent: Array<number | undefined>;
  }> = [
    {
      what: 'ends after the first reminder time, seen when it ends: the snooze-ended reply alone',
      until: D + H,
      passes: [D, D + H],
      outbox: [[], ['acted:snooze-ended']],
      sent: [undefined, 1],
    },
    {
      what: 'ends after two reminder times (the watcher was down): the reply alone, both used up',
      until: D + H,
      passes: [3 * D],
      outbox: [['acted:snooze-ended']],
      sent: [2],
    },
    {
      what: 'ends before the first reminder time: the reply, then the reminder at its time',
      until: 12 * H,
      passes: [12 * H, D],
      outbox: [['acted:snooze-ended'], ['acted:snooze-ended', 'reminder:reminder-1']],
      sent: [undefined, 1],
    },
    {
      what: 'ends with a reminder due: the next reminder comes at its own time',
      until: D + H,
      passes: [D + H, 3 * D - MIN, 3 * D],
      outbox: [
        ['acted:snooze-ended'],
        ['acted:snooze-ended'],
        ['acted:snooze-ended', 'reminder:reminder-2'],
      ],
      sent: [1, 1, 2],
    },
  ];
  for (const row of snoozeEnds) {
    it(`a snooze that ${row.what}`, () => {
      let record = withFailing(announced(), {
        snoozed: {by: 'U1', until: after(row.until).toISOString(), at: after(H).toISOString()},
      });
      const id = record.open.failing!.id;
      row.passes.forEach((ms, i) => {
        const decided = decideAt(record, after(ms));
        if (decided !== null) record = decided.record;
        assert.deepEqual(
          record.outbox.map(n =>
            n.kind === 'acted'
              ? `acted:${n.action?.type}`
              : `${n.kind}:${n.id.slice(id.length + 1)}`,
          ),
          row.outbox[i],
          `pass ${i}`,
        );
        assert.equal(record.open.failing?.reminders?.sent, row.sent[i], `pass ${i}`);
        if (ms >= row.until) assert.equal(record.open.failing?.snoozed, undefined, `pass ${i}`);
      });
    });
  }

  it('muted (ignore): closed quietly, no reminder', () => {
    const d = decideAt(announced(), after(D), {...POLICY, ignore: true});
    assert.deepEqual(
      d?.changes.map(c => c.kind),
      ['muted'],
    );
    assert.ok(!d?.record.outbox.some(n => n.kind === 'reminder'));
  });

  it('an old failure seen late starts counting: the reminder times it already passed are not sent', () => {
    const late = decideSubject(null, view([f0]), POLICY, after(2 * D), null);
    assert.deepEqual(late?.record.open.failing?.reminders, {
      sent: 1,
      lastAt: after(2 * D).toISOString(),
    });
    assert.deepEqual(
      late?.record.outbox.map(n => n.kind),
      ['opened'],
    );
  });

  function withFailing(record: SubjectRecord, extra: object): SubjectRecord {
    const failing = record.open.failing;
    assert.ok(failing);
    return {...record, open: {...record.open, failing: {...failing, ...extra}}};
  }
});
