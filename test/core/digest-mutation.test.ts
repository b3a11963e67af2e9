/**
 * The daily digest at its edges (issue 22 §3), aimed at mutants of digest/content.ts,
 * digest/ledger.ts and digest/schedule.ts that digest.test.ts let live (issue 27): the order of
 * each list, ties, the cluster's own incident, incidents from before destinations, the exact
 * ends of the windows, where a flapping CronJob is told, the ledger's claims at their edges, and
 * DIGEST_AT at its limits. Expected values are written out by hand from the rules.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {digestContents, type DigestSource} from '../../functions/core/digest/content.js';
import {
  claimedDigest,
  digestDoneIdOf,
  digestIdOf,
  doneDigest,
  markDigestFailed,
  markDigestSent,
  takeOverDigest,
  type DigestRecord,
} from '../../functions/core/digest/ledger.js';
import {digestDateDue, parseDigestAt} from '../../functions/core/digest/schedule.js';
import {
  blankRecord,
  type ClusterUnreadableIncident,
  type FailingIncident,
  type Incident,
} from '../../functions/core/incident.js';
import type {RecentRun} from '../../functions/core/run-history.js';

const NOW = new Date('2026-03-03T00:00:00Z');
const H = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * H).toISOString();

function failing(
  id: string,
  openedHoursAgo: number,
  closedHoursAgo: number | null,
  channel?: string | null,
): FailingIncident {
  const r = {
    job: id,
    jobUid: id,
    manual: false,
    at: ago(openedHoursAgo),
    reason: 'Error',
    message: null,
    detail: null,
  };
  return {
    kind: 'failing',
    id,
    openedAt: ago(openedHoursAgo),
    closedAt: closedHoursAgo === null ? null : ago(closedHoursAgo),
    ending: closedHoursAgo === null ? null : {type: 'succeeded-job-gone', at: ago(closedHoursAgo)},
    openedBy: r,
    latestFailure: r,
    failedRuns: 1,
    // Undefined: a record written before destinations (the configured channel).
    ...(channel === undefined
      ? {}
      : {destination: {channel, language: null, mention: null, runbook: null}}),
  };
}

function cronJobSource(
  name: string,
  open: Incident[],
  history: Incident[],
  opts: {cluster?: string; namespace?: string; runs?: RecentRun[]} = {},
): DigestSource {
  const namespace = opts.namespace ?? 'ns';
  return {
    cluster: opts.cluster ?? 'prod',
    record: {
      ...blankRecord(
        'c',
        {type: 'cronjob', namespace, name, uid: name, schedule: '0 * * * *'},
        NOW,
      ),
      open: Object.fromEntries(open.map(i => [i.kind, i])),
      history,
      runs: opts.runs ?? [],
    },
  };
}

const contents = (sources: DigestSource[]) => digestContents(sources, '2026-03-03', NOW, 'en');
const names = (items: Array<{name: string | null}>) => items.map(i => i.name);

describe('digest content: order, ties, edges', () => {
  it('each list is in opening order, whatever order the records come in', () => {
    const [c] = contents([
      cronJobSource('newest', [failing('n', 2, null)], []),
      cronJobSource('oldest', [failing('o', 20, null)], []),
      cronJobSource('closed-late', [], [failing('cl', 3, 1)]),
      cronJobSource('closed-early', [], [failing('ce', 10, 5)]),
    ]);
    assert.deepEqual(names(c!.open), ['oldest', 'newest']);
    assert.deepEqual(names(c!.opened), ['oldest', 'closed-early', 'closed-late', 'newest']);
    assert.deepEqual(names(c!.closed), ['closed-early', 'closed-late']);
  });

  it('opened at the same time: by cluster, then namespace, then name', () => {
    const [c] = contents([
      cronJobSource('b', [failing('1', 2, null)], [], {cluster: 'prod'}),
      cronJobSource('a', [failing('2', 2, null)], [], {cluster: 'prod'}),
      cronJobSource('z', [failing('3', 2, null)], [], {cluster: 'dev'}),
      cronJobSource('y', [failing('4', 2, null)], [], {cluster: 'prod', namespace: 'aa'}),
    ]);
    assert.deepEqual(
      c!.open.map(i => `${i.cluster}/${i.namespace}/${i.name}`),
      ['dev/ns/z', 'prod/aa/y', 'prod/ns/a', 'prod/ns/b'],
    );
  });

  it("the cluster's own incident: listed without a namespace or name", () => {
    const unreadable: ClusterUnreadableIncident = {
      kind: 'cluster-unreadable',
      id: 'cluster:prod@x',
      openedAt: ago(3),
      closedAt: null,
      ending: null,
      firstError: {at: ago(3), code: 'UNAVAILABLE', message: 'down'},
      latestError: {at: ago(1), code: 'UNAVAILABLE', message: 'down'},
      failedReads: 5,
    };
    const source: DigestSource = {
      cluster: 'prod',
      record: {
        ...blankRecord('c', {type: 'cluster'}, NOW),
        open: {'cluster-unreadable': unreadable},
      },
    };
    assert.deepEqual(contents([source])[0]?.open, [
      {
        cluster: 'prod',
        namespace: null,
        name: null,
        kind: 'cluster-unreadable',
        openedAt: ago(3),
        closedAt: null,
        acknowledged: false,
        snoozedUntil: null,
      },
    ]);
  });

  it('an incident from before destinations goes to the configured channel', () => {
    const all = contents([cronJobSource('old', [failing('o', 2, null, undefined)], [])]);
    assert.deepEqual(
      all.map(c => [c.channel, names(c.open)]),
      [[null, ['old']]],
    );
  });

  it('opened exactly now is in the last 24 hours; a time in the future (skewed clock) is not', () => {
    const [c] = contents([
      cronJobSource('now', [failing('n', 0, null)], []),
      cronJobSource('future', [failing('f', -1, null)], []),
    ]);
    assert.deepEqual(names(c!.open), ['now', 'future']);
    assert.deepEqual(names(c!.opened), ['now']);
  });

  it('closed exactly as its maintenance window ended: it was announced, so it is listed', () => {
    const atEnd = {...failing('m', 5, 2), maintenance: {start: ago(6), end: ago(2)}};
    const justBefore = {
      ...failing('q', 5, 2),
      closedAt: new Date(NOW.getTime() - 2 * H - 1).toISOString(),
      maintenance: {start: ago(6), end: ago(2)},
    };
    const all = contents([
      cronJobSource('at-end', [], [atEnd]),
      cronJobSource('inside', [], [justBefore]),
    ]);
    assert.deepEqual(names(all[0]?.closed ?? []), ['at-end']);
  });

  it('flapping: the most incidents first, then by name', () => {
    const thrice = (name: string, extra: Incident[] = []) =>
      cronJobSource(
        name,
        [failing(`${name}3`, 1, null)],
        [...extra, failing(`${name}1`, 100, 99), failing(`${name}2`, 50, 49)],
      );
    const [c] = contents([thrice('b'), thrice('a'), thrice('c', [failing('c0', 120, 119)])]);
    assert.deepEqual(
      c!.flapping.map(f => [f.name, f.incidents]),
      [
        ['c', 4],
        ['a', 3],
        ['b', 3],
      ],
    );
  });

  it("flapping is told in the channel of the CronJob's newest incident", () => {
    // Two incidents went to CA; the CronJob now reports to CB, where its open one is.
    const moved = cronJobSource(
      'moved',
      [failing('new', 1, null, 'CB')],
      [failing('x1', 100, 99, 'CA'), failing('x2', 50, 49, 'CA')],
    );
    const all = contents([moved]);
    assert.deepEqual(
      all.map(c => [c.channel, c.flapping.map(f => f.name)]),
      [['CB', ['moved']]],
    );
  });

  it('an incident opened and closed within the last 24 hours makes a digest of its own', () => {
    const all = contents([cronJobSource('brief', [], [failing('b', 3, 1)])]);
    assert.deepEqual(
      all.map(c => [names(c.open), names(c.opened), names(c.closed)]),
      [[[], ['brief'], ['brief']]],
    );
  });

  it('flapping alone, all of it more than a day ago, makes no digest', () => {
    const quietNow = cronJobSource(
      'quiet',
      [],
      [failing('q1', 100, 99), failing('q2', 70, 69), failing('q3', 40, 39)],
    );
    assert.deepEqual(contents([quietNow]), []);
  });

  it('the cluster itself does not flap; CronJobs do', () => {
    const unreadable = (id: string, openedHoursAgo: number, closedHoursAgo: number | null) => ({
      kind: 'cluster-unreadable' as const,
      id,
      openedAt: ago(openedHoursAgo),
      closedAt: closedHoursAgo === null ? null : ago(closedHoursAgo),
      ending:
        closedHoursAgo === null ? null : {type: 'readable-again' as const, at: ago(closedHoursAgo)},
      firstError: {at: ago(openedHoursAgo), code: 'UNAVAILABLE', message: 'down'},
      latestError: {at: ago(openedHoursAgo), code: 'UNAVAILABLE', message: 'down'},
      failedReads: 3,
    });
    const cluster: DigestSource = {
      cluster: 'prod',
      record: {
        ...blankRecord('c', {type: 'cluster'}, NOW),
        open: {'cluster-unreadable': unreadable('u3', 1, null)},
        history: [unreadable('u1', 100, 99), unreadable('u2', 50, 49)],
      },
    };
    const [c] = contents([cluster]);
    assert.deepEqual(names(c!.open), [null]);
    assert.deepEqual(c!.flapping, []);
  });

  it('the configured channel comes first, whichever record names it first', () => {
    const all = contents([
      cronJobSource('routed', [failing('r', 2, null, 'CX')], []),
      cronJobSource('plain', [failing('p', 2, null, null)], []),
      cronJobSource('routed-too', [failing('t', 2, null, 'CA')], []),
    ]);
    assert.deepEqual(
      all.map(c => c.channel),
      [null, 'CA', 'CX'],
    );
  });

  describe('the share of successful runs', () => {
    const run = (outcome: 'succeeded' | 'failed', hoursAgo: number): RecentRun => ({
      job: `r${hoursAgo}`,
      outcome,
      scheduledAt: ago(hoursAgo),
      startedAt: ago(hoursAgo),
      durationMs: null,
    });
    it('a named namespace with no run in the week is not listed', () => {
      const [c] = contents([
        cronJobSource('idle', [failing('i', 1, null)], [], {runs: [run('succeeded', 200)]}),
      ]);
      assert.deepEqual(c!.successShare, []);
    });
    it('a run counts by when it started, though it was due more than 7 days ago', () => {
      const late: RecentRun = {
        job: 'late',
        outcome: 'succeeded',
        scheduledAt: ago(7 * 24 + 1),
        startedAt: ago(7 * 24 - 1),
        durationMs: null,
      };
      const [c] = contents([cronJobSource('l', [failing('l', 1, null)], [], {runs: [late]})]);
      assert.deepEqual(
        c!.successShare.map(s => [s.succeeded, s.runs]),
        [[1, 1]],
      );
    });
    it('by namespace, then cluster', () => {
      const [c] = contents([
        cronJobSource('a', [failing('a', 1, null)], [], {
          cluster: 'prod',
          namespace: 'zeta',
          runs: [run('succeeded', 2)],
        }),
        cronJobSource('b', [failing('b', 1, null)], [], {
          cluster: 'prod',
          namespace: 'alpha',
          runs: [run('failed', 2)],
        }),
        cronJobSource('c', [failing('c', 1, null)], [], {
          cluster: 'dev',
          namespace: 'alpha',
          runs: [run('succeeded', 3), run('failed', 2)],
        }),
      ]);
      assert.deepEqual(
        c!.successShare.map(s => [s.namespace, s.cluster, s.succeeded, s.runs]),
        [
          ['alpha', 'dev', 1, 2],
          ['alpha', 'prod', 0, 1],
          ['zeta', 'prod', 1, 1],
        ],
      );
    });
  });
});

describe('digest ledger: edges', () => {
  const T = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
  const fresh = claimedDigest('2026-03-03/C1', 'C1', '2026-03-03', 'p1', T(0), T(5));

  it('a new entry: this pass claims it, no attempt yet', () => {
    assert.deepEqual(fresh, {
      id: '2026-03-03/C1',
      channel: 'C1',
      date: '2026-03-03',
      state: 'sending',
      claim: {by: 'p1', until: T(5).toISOString()},
      firstAttemptAt: T(0).toISOString(),
      attempts: 0,
      lastError: null,
    });
  });

  it('the entry that marks the day done: sent, claimed by nobody', () => {
    assert.deepEqual(doneDigest('2026-03-03', T(1)), {
      id: '2026-03-03/!done',
      channel: null,
      date: '2026-03-03',
      state: 'sent',
      claim: null,
      firstAttemptAt: T(1).toISOString(),
      attempts: 0,
      lastError: null,
      sentAt: T(1).toISOString(),
    });
  });

  // A channel may be named "done" (Slack allows it): its digest must not be taken for the
  // mark that the whole day is done, or a failed digest would never be sent again.
  for (const channel of ['done', '#done', 'C0123456789', null]) {
    it(`the day's done mark is not the entry of channel ${JSON.stringify(channel)}`, () => {
      assert.notEqual(digestDoneIdOf('2026-03-03'), digestIdOf('2026-03-03', channel));
    });
  }

  it('nothing stored: nothing to take over, mark sent or mark failed', () => {
    assert.equal(takeOverDigest(null, 'p1', T(0), T(5)), null);
    assert.equal(markDigestSent(null, 'p1', '1.1', T(0)), null);
    assert.equal(markDigestFailed(null, 'p1', 'x', false), null);
  });

  it('a pass takes back its own live claim (a retry within the pass)', () => {
    const again = takeOverDigest(fresh, 'p1', T(1), T(6));
    assert.deepEqual(again?.claim, {by: 'p1', until: T(6).toISOString()});
  });

  it('a claim is over at its until time exactly', () => {
    assert.equal(takeOverDigest(fresh, 'p2', new Date(T(5).getTime() - 1), T(10)), null);
    assert.equal(takeOverDigest(fresh, 'p2', T(5), T(10))?.claim?.by, 'p2');
  });

  it('a released entry cannot be marked by anyone until claimed again', () => {
    const released = markDigestFailed(fresh, 'p1', 'not_in_channel', false);
    assert.deepEqual(released, {...fresh, claim: null, attempts: 1, lastError: 'not_in_channel'});
    assert.equal(markDigestSent(released, 'p1', '1.1', T(1)), null);
    assert.equal(markDigestFailed(released, 'p1', 'again', false), null);
  });

  it('in doubt stays in doubt through a plain failure, and is cleared once sent', () => {
    const doubtful: DigestRecord = {...fresh, lastOutcome: 'unknown'};
    assert.equal(markDigestFailed(doubtful, 'p1', 'rate_limited', false)?.lastOutcome, 'unknown');
    const sent = markDigestSent(doubtful, 'p1', '1.7', T(2));
    assert.deepEqual(sent, {
      ...fresh,
      state: 'sent',
      claim: null,
      ts: '1.7',
      sentAt: T(2).toISOString(),
    });
  });
});

describe('DIGEST_AT at its limits', () => {
  it('23:59 is a time of day; two spaces before the zone are still a space', () => {
    assert.deepEqual(parseDigestAt('23:59'), {
      ok: true,
      value: {hour: 23, minute: 59, timeZone: 'UTC'},
    });
    assert.deepEqual(parseDigestAt('09:00  Asia/Tokyo'), {
      ok: true,
      value: {hour: 9, minute: 0, timeZone: 'Asia/Tokyo'},
    });
  });
  it('24:00 is no time of day, and says so', () => {
    const parsed = parseDigestAt('24:00');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.problem, /: no such time$/);
  });
  for (const bad of ['109:00', '09:000', '9:5']) {
    it(`refuses "${bad}"`, () => assert.equal(parseDigestAt(bad).ok, false));
  }
  it('a date with two-digit month and day is written as it is', () => {
    assert.equal(
      digestDateDue({hour: 0, minute: 0, timeZone: 'UTC'}, new Date('2026-12-25T08:00:00Z')),
      '2026-12-25',
    );
  });
});
