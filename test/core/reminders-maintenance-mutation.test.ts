/**
 * The settings of reminders and maintenance windows at their edges (issue 22 §2 and §4), aimed
 * at mutants of reminders.ts and maintenance.ts that reminders.test.ts and maintenance.test.ts
 * let live (issue 27): the limits of each setting, `MAINTENANCE` written with spaces as `ROUTES`
 * may be, a window whose schedule never fires, and empty values. Expected values are written
 * out from the issue and the settings' own documentation.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  maintenanceWindowAt,
  parseMaintenance,
  parseMaintenanceRoutes,
} from '../../functions/core/maintenance.js';
import {parseReminders, remindersOwed} from '../../functions/core/reminders.js';

const H = 3_600_000;

describe('REMINDERS at its limits', () => {
  const good: Array<[string, number[]]> = [
    [' off ', []],
    // "at least an hour each": an hour is enough.
    ['1h', [H]],
    // Ten values is the longest list (eleven is refused in reminders.test.ts).
    ['1h,2h,3h,4h,5h,6h,7h,8h,9h,10h', Array.from({length: 10}, (_, i) => (i + 1) * H)],
  ];
  for (const [raw, value] of good) {
    it(`reads "${raw}"`, () => assert.deepEqual(parseReminders(raw), {ok: true, value}));
  }
  for (const raw of ['', '   ']) {
    it(`refuses ${JSON.stringify(raw)} without quoting an empty part`, () => {
      const parsed = parseReminders(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.match(parsed.problem, /^must be "off" or increasing durations/);
        assert.doesNotMatch(parsed.problem, /""/);
      }
    });
  }
  it('a bad part is quoted as written, without the spaces around it', () => {
    const parsed = parseReminders('1d, soon');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.problem, /: "soon" must be a duration/);
  });
  it('an open incident not announced yet gets no reminder, though an older one has a thread', () => {
    const failing = {
      kind: 'failing' as const,
      id: 'failing:new',
      openedAt: '2026-03-01T00:00:00Z',
      closedAt: null,
      ending: null,
      openedBy: {
        job: 'j',
        jobUid: 'u',
        manual: false,
        at: null,
        reason: null,
        message: null,
        detail: null,
      },
      latestFailure: {
        job: 'j',
        jobUid: 'u',
        manual: false,
        at: null,
        reason: null,
        message: null,
        detail: null,
      },
      failedRuns: 1,
    };
    const record = {
      open: {failing},
      // The thread of an incident that closed (its closing reply not delivered yet).
      threads: [{incidentId: 'failing:old', channel: 'C1', ts: '1.1'}],
    };
    assert.deepEqual(remindersOwed(record, [H], new Date('2026-03-02T00:00:00Z')), []);
    assert.equal(
      remindersOwed(
        {
          ...record,
          threads: [...record.threads, {incidentId: 'failing:new', channel: 'C1', ts: '1.2'}],
        },
        [H],
        new Date('2026-03-02T00:00:00Z'),
      ).length,
      1,
    );
  });
  it('a kind whose slot holds nothing is no incident to remind of', () => {
    assert.deepEqual(
      remindersOwed(
        {open: {failing: undefined}, threads: []},
        [H],
        new Date('2026-03-02T00:00:00Z'),
      ),
      [],
    );
  });
});

describe('maintenance windows at their edges', () => {
  it('a window in no policy: none (null as well as absent)', () => {
    assert.equal(maintenanceWindowAt(null, new Date('2026-03-06T18:00:00Z')), null);
  });

  it('a schedule that never fires (30 February): never in a window', () => {
    const never = {spec: {cron: '0 0 30 2 *', durationMs: 7 * 24 * H}, timeZone: 'UTC'};
    assert.equal(maintenanceWindowAt(never, new Date('2026-03-01T01:00:00Z')), null);
  });

  it('a duration alone: told that the cron expression is missing, nothing more', () => {
    assert.deepEqual(parseMaintenance('3h'), {
      ok: false,
      problem: 'must be a cron expression and a duration, e.g. "0 2 * * 6 3h"',
    });
  });
});

describe('MAINTENANCE at its edges', () => {
  it('empty: no windows', () => {
    assert.deepEqual(parseMaintenanceRoutes(''), {ok: true, routes: []});
    assert.deepEqual(parseMaintenanceRoutes('  '), {ok: true, routes: []});
  });

  it('spaces around / and = are allowed, as in ROUTES', () => {
    assert.deepEqual(parseMaintenanceRoutes('prod / batch = 0 2 * * 6 3h'), {
      ok: true,
      routes: [{cluster: 'prod', namespace: 'batch', spec: {cron: '0 2 * * 6', durationMs: 3 * H}}],
    });
  });

  it('an entry after a comma may have spaces before its =', () => {
    const parsed = parseMaintenanceRoutes('a/b=0 2 * * * 1h, c/d = 0 3 * * * 1h');
    assert.deepEqual(parsed.ok && parsed.routes.map(r => [r.cluster, r.namespace, r.spec.cron]), [
      ['a', 'b', '0 2 * * *'],
      ['c', 'd', '0 3 * * *'],
    ]);
  });

  it('a one-letter namespace is a namespace', () => {
    const parsed = parseMaintenanceRoutes('prod/a=0 2 * * * 1h');
    assert.deepEqual(parsed.ok && parsed.routes.map(r => r.namespace), ['a']);
  });

  const bad: Array<[string, RegExp]> = [
    ['-prod/batch=0 2 * * * 1h', /"-prod" is not a cluster name or \*/],
    ['prod/batch/x=0 2 * * * 1h', /is not <cluster>\/<namespace>=<cron> <duration>/],
    ['pr!od/batch=0 2 * * * 1h', /"pr!od" is not a cluster name or \*/],
    ['prod/batch-=0 2 * * * 1h', /"batch-" is not a namespace name or \*/],
  ];
  for (const [raw, problem] of bad) {
    it(`refuses "${raw}"`, () => {
      const parsed = parseMaintenanceRoutes(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem, problem);
    });
  }
});
