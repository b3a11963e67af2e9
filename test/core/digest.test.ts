/**
 * The daily digest (issue 22 §3): when it is due, what it lists, the ledger that makes it go
 * out once per channel and day, and its reviewed messages (test/fixtures/messages-v2/digests).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {digestContents, type DigestContent} from '../../functions/core/digest/content.js';
import {
  claimedDigest,
  digestIdOf,
  markDigestFailed,
  markDigestSent,
  takeOverDigest,
} from '../../functions/core/digest/ledger.js';
import {digestMessage} from '../../functions/core/digest/messages.js';
import {digestDateDue, parseDigestAt} from '../../functions/core/digest/schedule.js';
import {blankRecord, type FailingIncident} from '../../functions/core/incident.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {GOLDEN_MESSAGES_DIR} from '../support/golden-messages.js';
import {digestCases} from '../support/digest-cases.js';

describe('digest: DIGEST_AT and when a day is due', () => {
  it('reads a time and a zone; the zone defaults to UTC', () => {
    assert.deepEqual(parseDigestAt('09:00 Asia/Tokyo'), {
      ok: true,
      value: {hour: 9, minute: 0, timeZone: 'Asia/Tokyo'},
    });
    assert.deepEqual(parseDigestAt(' 7:30 '), {
      ok: true,
      value: {hour: 7, minute: 30, timeZone: 'UTC'},
    });
  });
  for (const bad of ['9', '24:00 UTC', '09:60', '09:00 Mars/Base', '09:00 UTC extra', 'nine']) {
    it(`refuses "${bad}"`, () => assert.equal(parseDigestAt(bad).ok, false));
  }
  const tokyo = {hour: 9, minute: 0, timeZone: 'Asia/Tokyo'};
  // 09:00 JST is 00:00 UTC of the same date.
  const cases: Array<[string, string | null]> = [
    ['2026-03-02T23:59:59Z', null],
    ['2026-03-03T00:00:00Z', '2026-03-03'],
    ['2026-03-03T14:59:59Z', '2026-03-03'],
    ['2026-03-03T15:00:00Z', null],
    ['2026-03-04T00:05:00Z', '2026-03-04'],
  ];
  for (const [now, expected] of cases) {
    it(`09:00 Asia/Tokyo at ${now}: ${expected ?? 'not due'}`, () => {
      assert.equal(digestDateDue(tokyo, new Date(now)), expected);
    });
  }
  it('New York on its spring-forward day: 09:00 EDT is 13:00 UTC', () => {
    const ny = {hour: 9, minute: 0, timeZone: 'America/New_York'};
    assert.equal(digestDateDue(ny, new Date('2026-03-08T12:59:00Z')), null);
    assert.equal(digestDateDue(ny, new Date('2026-03-08T13:00:00Z')), '2026-03-08');
  });
});

describe('digest: what a channel is told', () => {
  const NOW = new Date('2026-03-03T00:00:00Z');
  const H = 3_600_000;
  const ago = (hours: number) => new Date(NOW.getTime() - hours * H).toISOString();
  const incident = (
    id: string,
    openedHoursAgo: number,
    closedHoursAgo: number | null,
    channel: string | null = null,
  ): FailingIncident => {
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
      ending:
        closedHoursAgo === null ? null : {type: 'succeeded-job-gone', at: ago(closedHoursAgo)},
      openedBy: r,
      latestFailure: r,
      failedRuns: 1,
      destination: {
        channel,
        language: channel === 'CJA' ? 'ja' : null,
        mention: null,
        runbook: null,
      },
    };
  };
  const source = (name: string, open: FailingIncident | null, history: FailingIncident[]) => ({
    cluster: 'prod',
    record: {
      ...blankRecord(
        'c',
        {type: 'cronjob' as const, namespace: 'ns', name, uid: name, schedule: '0 * * * *'},
        NOW,
      ),
      open: open === null ? {} : {failing: open},
      history,
    },
  });
  const names = (items: Array<{name: string | null}>) => items.map(i => i.name);
  const one = (sources: ReturnType<typeof source>[]): DigestContent | undefined =>
    digestContents(sources, '2026-03-03', NOW, 'en')[0];

  it('open now, opened and closed within 24 hours (the boundary excluded), a week-old close not at all', () => {
    const c = one([
      source('open-old', incident('a', 48, null), []),
      source('open-new', incident('b', 23, null), []),
      source('closed-new', null, [incident('c', 30, 2)]),
      source('closed-at-24h', null, [incident('d', 30, 24)]),
      source('closed-old', null, [incident('e', 200, 190)]),
    ]);
    assert.ok(c);
    assert.deepEqual(names(c.open), ['open-old', 'open-new']);
    assert.deepEqual(names(c.opened), ['open-new']);
    assert.deepEqual(names(c.closed), ['closed-new']);
  });

  it('no digest for a channel with nothing open and nothing in the last 24 hours', () => {
    assert.deepEqual(
      digestContents([source('old', null, [incident('e', 200, 190)])], 'd', NOW, 'en'),
      [],
    );
  });

  it('flapping: 3 incidents opened within 7 days, counting the open one; 2 are not', () => {
    const c = one([
      source('thrice', incident('x3', 1, null), [incident('x1', 100, 99), incident('x2', 50, 49)]),
      source('twice', incident('y2', 1, null), [incident('y1', 100, 99)]),
      source('long-ago', incident('z3', 1, null), [
        incident('z1', 200, 199),
        incident('z2', 170, 169),
      ]),
    ]);
    assert.deepEqual(
      c?.flapping.map(f => [f.name, f.incidents]),
      [['thrice', 3]],
    );
  });

  it("one digest per channel, in its incidents' language", () => {
    const all = digestContents(
      [source('a', incident('a', 1, null, 'CJA'), []), source('b', incident('b', 1, null), [])],
      '2026-03-03',
      NOW,
      'en',
    );
    assert.deepEqual(
      all.map(c => [c.channel, c.language, names(c.open)]),
      [
        [null, 'en', ['b']],
        ['CJA', 'ja', ['a']],
      ],
    );
  });

  it('an incident opened and over inside a maintenance window is not listed (nobody was told)', () => {
    const quiet = {...incident('m', 5, 4), maintenance: {start: ago(6), end: ago(3)}};
    assert.deepEqual(digestContents([source('m', null, [quiet])], 'd', NOW, 'en'), []);
  });

  it('acknowledged or not', () => {
    const acked = {...incident('k', 5, null), acknowledged: {by: 'U1', at: ago(4)}};
    const c = one([source('k', acked, []), source('l', incident('l', 5, null), [])]);
    assert.deepEqual(
      c?.open.map(i => [i.name, i.acknowledged]),
      [
        ['k', true],
        ['l', false],
      ],
    );
  });

  it('a snooze that lasts at the digest time: until when; one over, or of a closed incident: none', () => {
    const snooze = (until: string) => ({by: 'U1', at: ago(4), until});
    const later = new Date(NOW.getTime() + 3_600_000).toISOString();
    const c = one([
      source('a', {...incident('a', 5, null), snoozed: snooze(later)}, []),
      source('b', {...incident('b', 5, null), snoozed: snooze('recovery')}, []),
      source('c', {...incident('c', 5, null), snoozed: snooze(ago(1))}, []),
      // Snoozed until exactly now: over.
      source('d', {...incident('d', 5, null), snoozed: snooze(NOW.toISOString())}, []),
      source('e', null, [{...incident('e', 5, 2), snoozed: snooze('recovery')}]),
    ]);
    assert.deepEqual(
      c?.open.map(i => [i.name, i.snoozedUntil]),
      [
        ['a', later],
        ['b', 'recovery'],
        ['c', null],
        ['d', null],
      ],
    );
    assert.deepEqual(
      c?.closed.map(i => [i.name, i.snoozedUntil]),
      [['e', null]],
    );
  });

  it('the share of successful runs over 7 days, for the namespaces it names only', () => {
    const run = (outcome: 'succeeded' | 'failed' | 'missed', hoursAgo: number) => ({
      job: outcome === 'missed' ? '' : `r${hoursAgo}`,
      outcome,
      scheduledAt: ago(hoursAgo),
      startedAt: outcome === 'missed' ? null : ago(hoursAgo),
      durationMs: null,
    });
    const withRuns = (
      s: ReturnType<typeof source>,
      namespace: string,
      runs: ReturnType<typeof run>[],
    ) => ({
      ...s,
      record: {
        ...s.record,
        subject: {...s.record.subject, namespace} as typeof s.record.subject,
        runs,
      },
    });
    const c = one([
      // ns: 2 of 3 in the week (the 8-day-old failure and the missed time do not count).
      withRuns(source('a', incident('a', 1, null), []), 'ns', [
        run('failed', 192),
        run('succeeded', 100),
        run('failed', 50),
        run('missed', 40),
        run('succeeded', 2),
      ]),
      withRuns(source('b', null, []), 'ns', []),
      // other: named by nothing in the digest.
      withRuns(source('c', null, []), 'other', [run('succeeded', 3)]),
    ]);
    assert.deepEqual(c?.successShare, [{cluster: 'prod', namespace: 'ns', succeeded: 2, runs: 3}]);
    const lines = digestMessage(c!)
      .sections?.at(-1)
      ?.lines.map(l => l.map(s => ('text' in s ? s.text : '')).join(''));
    assert.deepEqual(lines, ['ns · prod: 66% (2 of 3 runs)']);
  });

  it('a long list is cut, saying how many more', () => {
    const many = Array.from({length: 20}, (_, i) =>
      source(`job-${String(i).padStart(2, '0')}`, incident(`i${i}`, 30, null), []),
    );
    const message = digestMessage(one(many)!);
    const open = message.sections?.[0];
    assert.equal(open?.lines.length, 15);
    assert.equal(open?.more, 'and 5 more');
    for (const block of renderSlack(message).blocks) {
      assert.ok(JSON.stringify(block).length < 3500, "each section within Slack's limits");
    }
  });
});

describe('digest: the ledger (once per channel and day)', () => {
  const NOW = new Date('2026-03-03T00:00:00Z');
  const LATER = new Date('2026-03-03T00:10:00Z');
  const UNTIL = new Date('2026-03-03T00:05:00Z');
  const fresh = claimedDigest(digestIdOf('2026-03-03', 'C1'), 'C1', '2026-03-03', 'p1', NOW, UNTIL);

  it('ids name the day and the channel; the configured channel is *', () => {
    assert.equal(digestIdOf('2026-03-03', 'C1'), '2026-03-03/C1');
    assert.equal(digestIdOf('2026-03-03', null), '2026-03-03/*');
  });
  it('a live claim of another pass is left alone; an expired one is taken over, in doubt', () => {
    assert.equal(takeOverDigest(fresh, 'p2', NOW, LATER), null);
    const taken = takeOverDigest(fresh, 'p2', LATER, new Date('2026-03-03T00:20:00Z'));
    assert.equal(taken?.claim?.by, 'p2');
    assert.equal(taken?.lastOutcome, 'unknown', 'p1 may have posted it before dying');
  });
  it('a sent one is never taken over', () => {
    const sent = markDigestSent(fresh, 'p1', '1.5', NOW);
    assert.equal(sent?.state, 'sent');
    assert.equal(sent?.claim, null);
    assert.equal(takeOverDigest(sent, 'p2', LATER, LATER), null);
  });
  it('a failed attempt is released for a later pass, not in doubt unless it may have posted', () => {
    const failed = markDigestFailed(fresh, 'p1', 'not_in_channel', false);
    assert.deepEqual([failed?.claim, failed?.attempts, failed?.lastOutcome], [null, 1, undefined]);
    assert.equal(takeOverDigest(failed, 'p2', NOW, UNTIL)?.lastOutcome, undefined);
    const timedOut = markDigestFailed(fresh, 'p1', 'timeout', true);
    assert.equal(takeOverDigest(timedOut, 'p2', NOW, UNTIL)?.lastOutcome, 'unknown');
  });
  it('only the claim holder records the outcome', () => {
    assert.equal(markDigestSent(fresh, 'p2', '1.5', NOW), null);
    assert.equal(markDigestFailed(fresh, 'p2', 'x', false), null);
  });
});

describe('digest: the reviewed messages (test/fixtures/messages-v2/digests)', () => {
  for (const {name, content} of digestCases()) {
    it(name, () => {
      const golden = JSON.parse(
        readFileSync(path.join(GOLDEN_MESSAGES_DIR, 'digests', `${name}.json`), 'utf8'),
      ) as {content: unknown; expected: unknown};
      assert.deepEqual(content, golden.content, 'the table still builds the same content');
      const message = digestMessage(content);
      assert.deepEqual(
        {slack: renderSlack(message), console: renderConsole(message)},
        golden.expected,
      );
    });
  }
});
