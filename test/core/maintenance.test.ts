/**
 * Maintenance windows (issue 22 §4): the setting's syntax, the window that contains a time in
 * the CronJob's zone, MAINTENANCE in the ROUTES syntax, and what decideSubject and the outbox
 * do with an incident that opens inside a window. Expected instants are written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {blankRecord, type SubjectRecord} from '../../functions/core/incident.js';
import {
  maintenanceRouteFor,
  maintenanceWindowAt,
  parseMaintenance,
  parseMaintenanceRoutes,
  type MaintenancePolicy,
} from '../../functions/core/maintenance.js';
import type {JobInfo} from '../../functions/core/model.js';
import {claimNext, claimedBy, nextDeliverable} from '../../functions/core/outbox.js';
import {parseAnnotations, policiesOf, type Policy} from '../../functions/core/policy.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, succeededJob} from './builders.js';

const H = 3_600_000;

describe('maintenance: the setting', () => {
  const good: Array<[string, string, number]> = [
    ['0 2 * * 6 3h', '0 2 * * 6', 3 * H],
    ['  30 1 * * 1-5   45m ', '30 1 * * 1-5', 45 * 60_000],
    ['@daily 1h30m', '@daily', 1.5 * H],
    ['0 2 * * 1,3 2h', '0 2 * * 1,3', 2 * H],
    ['0 0 * * 0 7d', '0 0 * * 0', 7 * 24 * H],
  ];
  for (const [raw, cron, durationMs] of good) {
    it(`reads "${raw}"`, () => {
      assert.deepEqual(parseMaintenance(raw), {ok: true, value: {cron, durationMs}});
    });
  }
  const bad: Array<[string, RegExp]> = [
    ['', /cron expression and a duration/],
    ['3h', /cron expression and a duration/],
    ['0 2 * * 6', /five fields|cannot be read/],
    ['0 2 * * 6 soon', /the duration must be a duration/],
    ['61 2 * * * 1h', /cannot be read/],
    ['@every 1h 30m', /@every/],
    ['TZ=Asia/Tokyo 0 2 * * * 1h', /TZ=/],
    ['0 2 * * * 8d', /at most 7d/],
  ];
  for (const [raw, problem] of bad) {
    it(`refuses "${raw}"`, () => {
      const parsed = parseMaintenance(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    });
  }
});

describe('maintenance: the window that contains now', () => {
  // Saturdays 02:00 to 05:00 in Tokyo (UTC+9, no DST): 2026-03-07 02:00 JST is 03-06 17:00 UTC.
  const tokyo: MaintenancePolicy = {
    spec: {cron: '0 2 * * 6', durationMs: 3 * H},
    timeZone: 'Asia/Tokyo',
  };
  const start = '2026-03-06T17:00:00.000Z';
  const end = '2026-03-06T20:00:00.000Z';
  const cases: Array<[string, string, [string, string] | null]> = [
    ['a second before it starts', '2026-03-06T16:59:59Z', null],
    ['as it starts', '2026-03-06T17:00:00Z', [start, end]],
    ['inside', '2026-03-06T19:30:00Z', [start, end]],
    ['a second before it ends', '2026-03-06T19:59:59Z', [start, end]],
    ['as it ends (the end is outside)', '2026-03-06T20:00:00Z', null],
    ['the same wall time on a Friday', '2026-03-05T18:00:00Z', null],
  ];
  for (const [what, now, expected] of cases) {
    it(`Asia/Tokyo, ${what}`, () => {
      const window = maintenanceWindowAt(tokyo, new Date(now));
      assert.deepEqual(
        window === null ? null : [window.start.toISOString(), window.end.toISOString()],
        expected,
      );
    });
  }

  it('reads the cron expression in the zone given (the same policy in UTC is 9 hours later)', () => {
    const utc = {...tokyo, timeZone: 'UTC'};
    assert.equal(maintenanceWindowAt(utc, new Date('2026-03-06T18:00:00Z')), null);
    assert.deepEqual(maintenanceWindowAt(utc, new Date('2026-03-07T03:00:00Z')), {
      start: new Date('2026-03-07T02:00:00Z'),
      end: new Date('2026-03-07T05:00:00Z'),
    });
  });

  it('New York across the spring change: 01:00 EST to 04:00 wall is 3 hours of real time', () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT. 01:00 EST = 06:00 UTC.
    const ny: MaintenancePolicy = {
      spec: {cron: '0 1 8 3 *', durationMs: 3 * H},
      timeZone: 'America/New_York',
    };
    assert.deepEqual(maintenanceWindowAt(ny, new Date('2026-03-08T08:59:00Z')), {
      start: new Date('2026-03-08T06:00:00Z'),
      end: new Date('2026-03-08T09:00:00Z'),
    });
    assert.equal(maintenanceWindowAt(ny, new Date('2026-03-08T09:00:00Z')), null);
  });

  it('none without a policy, and none for a zone the cluster does not know', () => {
    assert.equal(maintenanceWindowAt(undefined, new Date('2026-03-06T18:00:00Z')), null);
    assert.equal(
      maintenanceWindowAt({...tokyo, timeZone: 'Mars/Olympus'}, new Date('2026-03-06T18:00:00Z')),
      null,
    );
  });
});

describe('maintenance: MAINTENANCE in the ROUTES syntax', () => {
  it('keeps commas inside a cron expression and splits entries at <cluster>/<namespace>=', () => {
    const parsed = parseMaintenanceRoutes('prod/batch=0 2 * * 1,3 2h, */reports=30 1 * * * 1h');
    assert.deepEqual(parsed, {
      ok: true,
      routes: [
        {cluster: 'prod', namespace: 'batch', spec: {cron: '0 2 * * 1,3', durationMs: 2 * H}},
        {cluster: null, namespace: 'reports', spec: {cron: '30 1 * * *', durationMs: H}},
      ],
    });
  });

  const bad: Array<[string, RegExp]> = [
    ['prod=0 2 * * * 1h', /not <cluster>\/<namespace>=/],
    ['prod/Batch=0 2 * * * 1h', /not a namespace name/],
    ['prod/batch=0 2 * * * forever', /the window/],
    ['prod/batch=0 2 * * * 1h,prod/batch=0 3 * * * 1h', /two windows/],
  ];
  for (const [raw, problem] of bad) {
    it(`refuses "${raw}"`, () => {
      const parsed = parseMaintenanceRoutes(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    });
  }

  it('the most specific entry wins, as for ROUTES; the cluster itself takes only */any entries', () => {
    const parsed = parseMaintenanceRoutes(
      '*/*=0 1 * * * 1h,prod/*=0 2 * * * 1h,*/batch=0 3 * * * 1h,prod/batch=0 4 * * * 1h',
    );
    assert.ok(parsed.ok);
    const cron = (cluster: string, ns: string | null) =>
      maintenanceRouteFor(parsed.routes, cluster, ns)?.cron;
    assert.equal(cron('prod', 'batch'), '0 4 * * *');
    assert.equal(cron('dev', 'batch'), '0 3 * * *');
    assert.equal(cron('prod', 'web'), '0 2 * * *');
    assert.equal(cron('dev', 'web'), '0 1 * * *');
    assert.equal(cron('prod', null), '0 2 * * *');
    assert.equal(maintenanceRouteFor([], 'prod', 'batch'), null);
  });

  it("the annotation wins over MAINTENANCE, and the window is read in the CronJob's zone", () => {
    const routes = parseMaintenanceRoutes('*/batch=0 2 * * * 1h');
    assert.ok(routes.ok);
    const defaults = {
      clusterDownAfter: 3,
      language: 'en' as const,
      routes: [],
      maintenance: routes.routes,
    };
    const plain = cronJob({name: 'plain', timeZone: 'Asia/Tokyo'});
    const own = cronJob({
      name: 'own',
      annotations: {'cronjob-watcher/maintenance': '0 3 * * * 30m'},
    });
    const policies = policiesOf('prod', [plain, own], defaults);
    assert.deepEqual(policies.problems, []);
    assert.deepEqual(policies.policyOf('batch/plain').maintenance, {
      spec: {cron: '0 2 * * *', durationMs: H},
      timeZone: 'Asia/Tokyo',
    });
    assert.deepEqual(policies.policyOf('batch/own').maintenance, {
      spec: {cron: '0 3 * * *', durationMs: 30 * 60_000},
      timeZone: 'UTC',
    });
    const bad = parseAnnotations({'cronjob-watcher/maintenance': 'weekends'});
    assert.equal(bad.settings.maintenance, null);
    assert.match(bad.problems[0]?.problem ?? '', /cron expression and a duration/);
  });
});

describe('maintenance: what an incident opened inside a window does', () => {
  // T0 is 2026-03-01 10:00 UTC: a daily window from 10:00 to 12:00 UTC spans minutes 0-120.
  const POLICY: Policy = {
    clusterDownAfter: 3,
    missedGraceMs: null,
    maxDurationMs: null,
    maintenance: {spec: {cron: '0 10 * * *', durationMs: 2 * H}, timeZone: 'UTC'},
  };
  const view = (jobs: JobInfo[]): CronJobView => ({
    type: 'cronjob',
    clusterId: 'kubeconfig/test',
    cronJob: cronJob({schedule: QUIET_SCHEDULE, lastScheduleTime: at(0)}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: at(0),
  });
  const f0 = failedJob({name: 'backup-0', scheduled: 0});
  const ok30 = succeededJob({name: 'backup-30', scheduled: 30});
  const ok200 = succeededJob({name: 'backup-200', scheduled: 200});
  const decide = (stored: SubjectRecord | null, jobs: JobInfo[], minute: number) => {
    const d = decideSubject(stored, view(jobs), POLICY, at(minute), null);
    assert.ok(d);
    return d.record;
  };

  it('opens it, marks it with the window, and holds its opening until the window ends', () => {
    const record = decide(null, [f0], 10);
    const incident = record.open.failing;
    assert.deepEqual(incident?.maintenance, {
      start: '2026-03-01T10:00:00.000Z',
      end: '2026-03-01T12:00:00.000Z',
    });
    assert.equal(record.outbox.length, 1);
    assert.equal(record.outbox[0]?.heldUntil, '2026-03-01T12:00:00.000Z');
    assert.equal(nextDeliverable(record.outbox, at(119)), -1, 'nothing to send inside the window');
    assert.equal(claimNext(record, 'p', at(119), at(130)), null);
    const claimed = claimNext(record, 'p', at(120), at(130));
    assert.equal(claimedBy(claimed, 'p')?.kind, 'opened', 'sent once the window has ended');
  });

  it('one that closes inside the window is never announced', () => {
    const opened = decide(null, [f0], 10);
    const closed = decide(opened, [f0, ok30], 40);
    assert.deepEqual(closed.open, {});
    assert.deepEqual(closed.outbox, []);
    assert.equal(closed.history.length, 1);
  });

  it('one still open when the window ended and closing after its opening was sent gets its closing as usual', () => {
    const opened = decide(null, [f0], 10);
    const closed = decide(
      {
        ...opened,
        outbox: [],
        threads: [{incidentId: opened.open.failing!.id, channel: 'C1', ts: '1.1'}],
      },
      [f0, ok200],
      210,
    );
    assert.deepEqual(
      closed.outbox.map(n => n.kind),
      ['closed'],
    );
  });

  it('one that closes after the window ended, before its opening went out, is one recovered message', () => {
    const opened = decide(null, [f0], 10);
    const closed = decide(opened, [f0, ok200], 210);
    assert.deepEqual(
      closed.outbox.map(n => [n.kind, n.incident.maintenance?.end]),
      [['recovered', '2026-03-01T12:00:00.000Z']],
    );
  });

  it('outside any window nothing is held', () => {
    const record = decideSubject(
      null,
      view([f0]),
      {...POLICY, maintenance: undefined},
      at(10),
      null,
    );
    assert.equal(record?.record.outbox[0]?.heldUntil, undefined);
    assert.equal(record?.record.open.failing?.maintenance, undefined);
  });

  it("another incident's notifications are not held behind a held opening", () => {
    const held = decide(null, [f0], 10);
    const other = {
      ...held.outbox[0]!,
      id: 'other/closed',
      kind: 'closed' as const,
      incident: {...held.outbox[0]!.incident, id: 'other'},
      heldUntil: undefined,
    };
    const sameIncident = {
      ...held.outbox[0]!,
      id: `${held.open.failing!.id}/closed`,
      kind: 'closed' as const,
      heldUntil: undefined,
    };
    const record = {
      ...blankRecord('c', held.subject, at(10)),
      outbox: [held.outbox[0]!, sameIncident, other],
    };
    assert.equal(nextDeliverable(record.outbox, at(60)), 2);
    assert.equal(nextDeliverable(record.outbox, at(120)), 0);
  });
});
