/**
 * The daily digests kept as golden files (test/fixtures/messages-v2/digests, written by
 * test/tools/generate-message-fixtures.ts, checked by test/core/digest.test.ts) and shown in the
 * README: the morning of 2026-03-03 in Tokyo (09:00 JST = 00:00 UTC), in both languages, built
 * from stored records as a pass builds it.
 */
import {
  digestContents,
  type DigestContent,
  type DigestSource,
} from '../../functions/core/digest/content.js';
import {
  blankRecord,
  type FailingIncident,
  type Incident,
  type MissedIncident,
  type RunRef,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {Language} from '../../functions/core/messages/languages.js';
import type {RecentRun} from '../../functions/core/run-history.js';

/** When the digest is built: 09:00 in Tokyo. */
export const DIGEST_NOW = new Date('2026-03-03T00:00:00Z');
export const DIGEST_DATE = '2026-03-03';

function run(job: string, at: string, reason: string | null): RunRef {
  return {job, jobUid: `${job}-uid`, manual: false, at, reason, message: null, detail: null};
}

function failing(
  name: string,
  openedAt: string,
  closedAt: string | null,
  extra: Partial<FailingIncident> = {},
): FailingIncident {
  const r = run(`${name}-1`, openedAt, 'BackoffLimitExceeded');
  return {
    kind: 'failing',
    id: `${name}/${openedAt}`,
    openedAt,
    closedAt,
    ending:
      closedAt === null
        ? null
        : {type: 'succeeded', at: closedAt, run: run(`${name}-2`, closedAt, null)},
    openedBy: r,
    latestFailure: r,
    failedRuns: 1,
    ...extra,
  };
}

/**
 * Runs back from the digest's time, `hoursApart`: `outcomes` newest last (S succeeded, F failed,
 * M missed), the newest an hour and `daysBack` days before it.
 */
function runs(outcomes: string, hoursApart = 6, daysBack = 0): RecentRun[] {
  const newest = DIGEST_NOW.getTime() - daysBack * 24 * 3_600_000 - 3_600_000;
  return [...outcomes].map((o, i) => {
    const at = new Date(newest - (outcomes.length - 1 - i) * hoursApart * 3_600_000).toISOString();
    return {
      job: o === 'M' ? '' : `run-${i}`,
      outcome: o === 'S' ? 'succeeded' : o === 'F' ? 'failed' : 'missed',
      scheduledAt: at,
      startedAt: o === 'M' ? null : at,
      durationMs: o === 'M' ? null : 60_000,
    };
  });
}

function record(
  namespace: string,
  name: string,
  open: Incident[],
  history: Incident[],
  recent: RecentRun[] = [],
): SubjectRecord {
  const base = blankRecord(
    'projects/acme-prod/locations/asia-northeast1/clusters/prod-tokyo',
    {type: 'cronjob', namespace, name, uid: `${name}-uid`, schedule: '0 * * * *'},
    DIGEST_NOW,
  );
  return {
    ...base,
    open: Object.fromEntries(open.map(i => [i.kind, i])),
    history,
    runs: recent,
  };
}

/** The records of the story, in `language`'s channel. */
export function digestSources(language: Language): DigestSource[] {
  const destination = {channel: null, language, mention: null, runbook: null};
  const d = <I extends Incident>(i: I): I => ({...i, destination});
  const missed: MissedIncident = d({
    kind: 'missed',
    id: 'missed:warehouse-load-uid@2026-03-02T21:45:00Z',
    openedAt: '2026-03-02T21:45:00Z',
    closedAt: null,
    ending: null,
    schedule: '45 * * * *',
    timeZone: 'UTC',
    firstDueAt: '2026-03-02T21:45:00Z',
    latestDueAt: '2026-03-02T23:45:00Z',
    missedRuns: 3,
    lastStartedAt: '2026-03-02T20:45:00Z',
  });
  const sources: SubjectRecord[] = [
    // Open for two days, acknowledged by someone who is on it.
    record(
      'backups',
      'db-backup',
      [
        d(
          failing('db-backup', '2026-03-01T00:06:00Z', null, {
            acknowledged: {by: 'U0123ABCD', at: '2026-03-01T01:00:00Z'},
          }),
        ),
      ],
      [],
      // One success ten days ago (too old), then 3 of 5 in the week.
      [...runs('S', 6, 10), ...runs('SFSFS', 24)],
    ),
    // Opened last night, nobody on it: 4 runs succeeded, 3 due times missed (not runs).
    record('data', 'warehouse-load', [missed], [], runs('SSSSMMM', 1)),
    // Failing since yesterday evening; the on-call snoozed it until the export's owner wakes up.
    record(
      'reports',
      'sales-export',
      [
        d(
          failing('sales-export', '2026-03-02T18:10:00Z', null, {
            snoozed: {by: 'U0456EFGH', at: '2026-03-02T18:30:00Z', until: '2026-03-03T02:00:00Z'},
          }),
        ),
      ],
      [],
      runs('SSSSSSF', 24),
    ),
    // Failed and fixed within the last day: the third incident this week.
    record(
      'ops',
      'cache-warmup',
      [],
      [
        d(failing('cache-warmup', '2026-02-26T03:00:00Z', '2026-02-26T04:00:00Z')),
        d(failing('cache-warmup', '2026-02-28T03:00:00Z', '2026-02-28T03:30:00Z')),
        d(failing('cache-warmup', '2026-03-02T15:00:00Z', '2026-03-02T17:05:00Z')),
      ],
      runs('SSFSSSFSSS', 12),
    ),
    // Closed a week ago: not in this digest.
    record(
      'mail',
      'send-digest',
      [],
      [d(failing('send-digest', '2026-02-20T01:00:00Z', '2026-02-20T02:00:00Z'))],
    ),
  ].map(r => r);
  return sources.map(r => ({cluster: 'prod-tokyo', record: r}));
}

/** One digest per language. */
export function digestCases(): Array<{name: string; content: DigestContent}> {
  return (['en', 'ja'] as const).map(language => {
    const [content] = digestContents(digestSources(language), DIGEST_DATE, DIGEST_NOW, language);
    if (content === undefined) throw new Error('the story has a digest');
    return {name: `digest.${language}`, content};
  });
}
