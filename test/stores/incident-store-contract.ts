/**
 * The one contract every `IncidentStore` must meet, run against each adapter
 * (`firestore-incident-store.test.ts` on the emulator, `file-incident-store.test.ts` on a
 * temp directory). Costs differ by technology, so the adapter's test states its own
 * numbers in `StoreCosts` and the suite asserts them exactly.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  FailingIncident,
  PendingNotification,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {CLUSTER_RECORD_KEY, RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {RECENT_RUNS_LIMIT, type RecentRun} from '../../functions/core/run-history.js';
import {claimedDigest, markDigestSent} from '../../functions/core/digest/ledger.js';

type CronJobRecord = SubjectRecord;
import type {IncidentStore, StoreUsage} from '../../functions/ports.js';

/** A fresh, empty store and how to dispose of it. */
export interface StoreSubject {
  store: IncidentStore;
  close(): Promise<void>;
  /**
   * Does what the store's own expiry has done by the store's clock: Firestore's TTL policy
   * (which the emulator does not run) deletes the record documents whose `expireAt` has
   * passed; the file store drops them on its next write of the cluster.
   */
  expire(clusterId: string): Promise<void>;
}

/** How the contract makes a store: its clock, and `RETENTION_DAYS` when a test sets it. */
export interface StoreOptions {
  now: () => Date;
  retentionDays?: number;
}

/** The store clock of the contract's tests, unless a test moves it: after every record's times. */
export const CONTRACT_NOW = new Date('2026-03-02T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** What one technology's calls cost, in documents (Firestore) or files (file store). */
export interface StoreCosts {
  /** Reads of `loadCluster` when `attention` records need attention. */
  loadReads(attention: number): number;
  /** Reads of one `update` attempt that writes (a retried attempt reads again). */
  updateReads: number;
  /** Reads of an `update` whose change returns null (nothing to write). */
  lookReads: number;
  /** Writes of an `update` that creates a record (record + index). */
  createWrites: number;
}

const CLUSTER = 'projects/acme-prod/locations/europe-west1/clusters/prod-eu';
const OTHER_CLUSTER = 'kubeconfig/kind-dev';

const usage = (): StoreUsage => ({reads: 0, writes: 0});

/** A run reference of a failed Job. */
function failedRun(job: string, at: string) {
  return {
    job,
    jobUid: `uid-${job}`,
    manual: false,
    at,
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    detail: 'container backup: Error (exit 1)',
  };
}

/** A log excerpt as the pass stores it (already masked). */
function excerpt(text: string) {
  return {pod: 'db-backup-x7k2p', container: 'main', text, cut: false, unavailable: null};
}

function incident(cronJobUid: string, job: string, at: string): FailingIncident {
  return {
    kind: 'failing',
    id: `${cronJobUid}/uid-${job}`,
    openedAt: at,
    openedBy: failedRun(job, at),
    latestFailure: failedRun(job, at),
    failedRuns: 1,
    closedAt: null,
    ending: null,
  };
}

/** The UID of a record's CronJob. */
export function uidOf(record: SubjectRecord): string {
  return record.subject.type === 'cronjob' ? record.subject.uid : '';
}

/** A record with nothing open and nothing owed, unless `shape` says otherwise. */
export function makeRecord(
  clusterId: string,
  namespace: string,
  name: string,
  shape: {open?: boolean; owed?: boolean; atMs?: number} = {},
): CronJobRecord {
  const cronJobUid = `cj-${namespace}-${name}`;
  const at = '2026-03-02T01:06:30.000Z';
  const open = shape.open ? incident(cronJobUid, `${name}-29541000`, at) : undefined;
  const owed: PendingNotification[] = shape.owed
    ? [
        {
          id: `${cronJobUid}/uid-${name}-29540940/opened`,
          kind: 'opened',
          incident: incident(cronJobUid, `${name}-29540940`, at),
          createdAt: at,
          attempts: 0,
          lastError: null,
          claim: null,
        },
      ]
    : [];
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId,
    subject: {type: 'cronjob', namespace, name, uid: cronJobUid, schedule: '0 * * * *'},
    watermark: {atMs: shape.atMs ?? Date.parse(at), job: `${name}-29541000`},
    open: open === undefined ? {} : {failing: open},
    outbox: owed,
    threads: [],
    history: [],
    runs: [],
    readFailures: null,
    updatedAt: '2026-03-02T01:10:00.000Z',
  };
}

/** A full run history: every outcome, a manual run, unknown times and durations. */
function fullHistory(): RecentRun[] {
  return Array.from({length: RECENT_RUNS_LIMIT}, (_, i): RecentRun => {
    const due = new Date(Date.UTC(2026, 2, 1, i)).toISOString();
    if (i === 4)
      return {job: '', outcome: 'missed', scheduledAt: due, startedAt: null, durationMs: null};
    if (i === 7) {
      return {
        job: 'db-backup-manual-x7k2p',
        outcome: 'succeeded',
        scheduledAt: null,
        startedAt: due,
        durationMs: 734_250,
        manual: true,
      };
    }
    return {
      job: `db-backup-${29540000 + i * 60}`,
      outcome: i % 5 === 3 ? 'failed' : 'succeeded',
      scheduledAt: due,
      startedAt: i === 9 ? null : new Date(Date.parse(due) + 2_000).toISOString(),
      durationMs: i === 9 ? null : 600_000 + i * 1_000,
    };
  });
}

/** A record with every nested structure filled in, for the round trip. */
function fullRecord(clusterId: string): CronJobRecord {
  const base = makeRecord(clusterId, 'backups', 'db-backup', {open: true, owed: true});
  const closed: FailingIncident = {
    ...incident(uidOf(base), 'db-backup-29540000', '2026-03-01T08:00:00.000Z'),
    failedRuns: 3,
    latestFailure: {...failedRun('db-backup-29540120', '2026-03-01T10:00:05.123Z'), manual: true},
    closedAt: '2026-03-01T11:02:03.456Z',
    ending: {
      type: 'succeeded',
      at: '2026-03-01T11:02:03.456Z',
      run: {
        job: 'db-backup-manual-x7k2p',
        jobUid: 'uid-manual',
        manual: true,
        at: '2026-03-01T11:02:03.456Z',
        reason: null,
        message: null,
        detail: null,
      },
    },
  };
  return {
    ...base,
    subject: {...base.subject, schedule: '*/15 1-5 * * MON-FRI'} as SubjectRecord['subject'],
    outbox: [
      ...base.outbox,
      {
        id: `${closed.id}/closed`,
        kind: 'closed',
        incident: closed,
        createdAt: '2026-03-01T11:05:00.000Z',
        attempts: 2,
        lastError: 'Slack answered ratelimited (retry after 30 s)',
        claim: {by: 'pass-7f3a', until: '2026-03-01T11:06:00.000Z'},
      },
    ],
    threads: [{incidentId: closed.id, channel: 'C0ALERTS01', ts: '1772359200.000100'}],
    history: [closed, {...closed, id: `${uidOf(base)}/uid-older`, failedRuns: 1}],
    runs: fullHistory(),
  };
}

/** Runs the contract against stores made by `makeStore` (a fresh, empty one per test). */
export function describeIncidentStoreContract(
  name: string,
  makeStore: (options: StoreOptions) => Promise<StoreSubject>,
  costs: StoreCosts,
): void {
  async function withStore(body: (store: IncidentStore) => Promise<void>): Promise<void> {
    const subject = await makeStore({now: () => CONTRACT_NOW});
    try {
      await body(subject.store);
    } finally {
      await subject.close();
    }
  }

  /** A store keeping 30 days, on a clock the test moves. */
  async function withRetention(
    body: (subject: StoreSubject, clock: {now: Date}) => Promise<void>,
  ): Promise<void> {
    const clock = {now: CONTRACT_NOW};
    const subject = await makeStore({now: () => clock.now, retentionDays: 30});
    try {
      await body(subject, clock);
    } finally {
      await subject.close();
    }
  }

  describe(`IncidentStore contract: ${name}`, () => {
    it('loads an empty cluster as nothing known, nothing needing attention', () =>
      withStore(async store => {
        const u = usage();
        const state = await store.loadCluster(CLUSTER, u);
        assert.equal(state.known.size, 0);
        assert.deepEqual(state.attention, []);
        assert.deepEqual(u, {reads: costs.loadReads(0), writes: 0});
      }));

    it('creates a record when change returns one, and hands it back', () =>
      withStore(async store => {
        const record = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
        const u = usage();
        let seen: CronJobRecord | null | undefined;
        const result = await store.update(
          CLUSTER,
          'backups/db-backup',
          current => {
            seen = current;
            return record;
          },
          u,
        );
        assert.equal(seen, null, 'a new record starts from null');
        assert.deepEqual(result, record);
        assert.deepEqual(u, {reads: costs.updateReads, writes: costs.createWrites});
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual(state.known.get('backups/db-backup'), {
          cronJobUid: uidOf(record),
          watermark: record.watermark,
        });
        assert.deepEqual(state.attention, [record]);
      }));

    it('writes nothing when change returns null, and resolves to the current record', () =>
      withStore(async store => {
        const record = makeRecord(CLUSTER, 'backups', 'db-backup');
        await store.update(CLUSTER, 'backups/db-backup', () => record, usage());
        const u = usage();
        const result = await store.update(CLUSTER, 'backups/db-backup', () => null, u);
        assert.deepEqual(result, record);
        assert.equal(u.writes, 0);
        assert.equal(u.reads, costs.lookReads);
        const missing = usage();
        assert.equal(await store.update(CLUSTER, 'backups/none', () => null, missing), null);
        assert.equal(missing.writes, 0);
        assert.equal((await store.loadCluster(CLUSTER, usage())).known.has('backups/none'), false);
      }));

    it('loads full records only for attention, the index for all: 50 records, 3 need it', () =>
      withStore(async store => {
        const needing = new Set([7, 23, 41]);
        for (let i = 0; i < 50; i++) {
          const shape = needing.has(i) ? (i === 23 ? {owed: true} : {open: true}) : {};
          const record = makeRecord(CLUSTER, `team-${i % 5}`, `job-${i}`, {...shape, atMs: i});
          await store.update(CLUSTER, `team-${i % 5}/job-${i}`, () => record, usage());
        }
        const u = usage();
        const state = await store.loadCluster(CLUSTER, u);
        assert.deepEqual(u, {reads: costs.loadReads(3), writes: 0});
        assert.equal(state.known.size, 50);
        for (let i = 0; i < 50; i++) {
          assert.deepEqual(state.known.get(`team-${i % 5}/job-${i}`), {
            cronJobUid: `cj-team-${i % 5}-job-${i}`,
            watermark: {atMs: i, job: `job-${i}-29541000`},
          });
        }
        assert.deepEqual(
          state.attention.map(r => (r.subject.type === 'cronjob' ? r.subject.name : '')).sort(),
          ['job-23', 'job-41', 'job-7'],
        );
      }));

    it('stops loading a record once it needs attention no more', () =>
      withStore(async store => {
        const open = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
        await store.update(CLUSTER, 'backups/db-backup', () => open, usage());
        await store.update(CLUSTER, 'backups/db-backup', c => c && {...c, open: {}}, usage());
        const u = usage();
        const state = await store.loadCluster(CLUSTER, u);
        assert.deepEqual(state.attention, []);
        assert.equal(state.known.size, 1);
        assert.deepEqual(u, {reads: costs.loadReads(0), writes: 0});
      }));

    it('never mixes two clusters with the same namespace/name', () =>
      withStore(async store => {
        const a = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
        const other = makeRecord(OTHER_CLUSTER, 'backups', 'db-backup');
        const b: SubjectRecord = {
          ...other,
          subject: {
            ...(other.subject as {type: 'cronjob'} & SubjectRecord['subject']),
            uid: 'cj-other',
          },
        };
        await store.update(CLUSTER, 'backups/db-backup', () => a, usage());
        await store.update(OTHER_CLUSTER, 'backups/db-backup', () => b, usage());
        const first = await store.loadCluster(CLUSTER, usage());
        const second = await store.loadCluster(OTHER_CLUSTER, usage());
        assert.deepEqual(first.attention, [a]);
        assert.deepEqual(second.attention, []);
        assert.equal(first.known.get('backups/db-backup')?.cronJobUid, uidOf(a));
        assert.equal(second.known.get('backups/db-backup')?.cronJobUid, 'cj-other');
        let seen: CronJobRecord | null = null;
        await store.update(OTHER_CLUSTER, 'backups/db-backup', c => ((seen = c), null), usage());
        assert.deepEqual(seen, b);
      }));

    it('applies 10 concurrent updates of one record, losing none', () =>
      withStore(async store => {
        const key = 'backups/db-backup';
        await store.update(
          CLUSTER,
          key,
          () => makeRecord(CLUSTER, 'backups', 'db-backup'),
          usage(),
        );
        const u = usage();
        const results = await Promise.all(
          Array.from({length: 10}, (_, i) =>
            store.update(
              CLUSTER,
              key,
              current => {
                assert.ok(current !== null);
                const closed = incident(uidOf(current), `run-${i}`, '2026-03-02T01:00:00.000Z');
                return {...current, history: [...current.history, closed]};
              },
              u,
            ),
          ),
        );
        const lengths = results.map(r => r?.history.length).sort((x, y) => (x ?? 0) - (y ?? 0));
        assert.deepEqual(lengths, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'each saw the one before');
        let final: CronJobRecord | null = null;
        await store.update(CLUSTER, key, c => ((final = c), null), usage());
        assert.equal((final as CronJobRecord | null)?.history.length, 10);
        assert.ok(u.reads >= 10 * costs.updateReads, `reads counted: ${u.reads}`);
        assert.ok(u.writes >= 10, `writes counted: ${u.writes}`);
      }));

    it('leaves the record untouched when change throws, and rethrows that error', () =>
      withStore(async store => {
        const record = makeRecord(CLUSTER, 'backups', 'db-backup');
        await store.update(CLUSTER, 'backups/db-backup', () => record, usage());
        const boom = new Error('decide failed');
        const u = usage();
        await assert.rejects(
          store.update(
            CLUSTER,
            'backups/db-backup',
            () => {
              throw boom;
            },
            u,
          ),
          error => error === boom,
        );
        assert.equal(u.writes, 0);
        let seen: CronJobRecord | null = null;
        await store.update(CLUSTER, 'backups/db-backup', c => ((seen = c), null), usage());
        assert.deepEqual(seen, record);
      }));

    it('refuses a change that returns the record of another CronJob', () =>
      withStore(async store => {
        const other = makeRecord(CLUSTER, 'backups', 'other');
        await assert.rejects(
          store.update(CLUSTER, 'backups/db-backup', () => other, usage()),
          {name: 'StoreError', code: 'INVALID_RECORD'},
        );
        assert.equal((await store.loadCluster(CLUSTER, usage())).known.size, 0);
      }));

    it('round-trips a full record with nested incident, outbox and threads', () =>
      withStore(async store => {
        const record = fullRecord(CLUSTER);
        await store.update(CLUSTER, 'backups/db-backup', () => record, usage());
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual(state.attention, [record]);
        let seen: CronJobRecord | null = null;
        await store.update(CLUSTER, 'backups/db-backup', c => ((seen = c), null), usage());
        assert.deepEqual(seen, record);
      }));

    it('keeps the run history of a record that needs no attention, and loads it only on update', () =>
      withStore(async store => {
        const record = {...makeRecord(CLUSTER, 'reports', 'rollup', {}), runs: fullHistory()};
        await store.update(CLUSTER, 'reports/rollup', () => record, usage());
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual(state.attention, []);
        assert.deepEqual(state.known.get('reports/rollup')?.watermark, record.watermark);
        let seen: CronJobRecord | null = null;
        await store.update(CLUSTER, 'reports/rollup', c => ((seen = c), null), usage());
        assert.deepEqual((seen as CronJobRecord | null)?.runs, fullHistory());
      }));

    it('round-trips the cluster record (key "/") with readFailures and optional fields', () =>
      withStore(async store => {
        const key = CLUSTER_RECORD_KEY;
        const error = {at: '2026-03-02T01:00:00.000Z', code: 'TIMEOUT', message: 'no answer'};
        const open = {
          kind: 'cluster-unreadable' as const,
          id: `cluster:${CLUSTER}@${error.at}`,
          openedAt: error.at,
          firstError: error,
          latestError: {...error, at: '2026-03-02T01:20:00.000Z'},
          failedReads: 3,
          closedAt: null,
          ending: null,
        };
        const record: CronJobRecord = {
          ...makeRecord(CLUSTER, 'x', 'y'),
          subject: {type: 'cluster'},
          watermark: null,
          open: {'cluster-unreadable': open},
          history: [{...open, closedAt: error.at, ending: {type: 'readable-again', at: error.at}}],
          readFailures: {count: 3, since: '2026-03-02T01:00:00.000Z', lastError: 'TIMEOUT'},
        };
        await store.update(CLUSTER, key, () => record, usage());
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual(state.attention, [record]);
        assert.ok(state.known.has(key));
      }));

    it('baselines many CronJobs in one write, once, without touching existing records', () =>
      withStore(async store => {
        const existing = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
        await store.update(CLUSTER, 'backups/db-backup', () => existing, usage());
        const entries = Array.from({length: 40}, (_, i) => ({
          key: `fleet/job-${i}`,
          cronJobUid: `uid-${i}`,
          watermark: i % 2 === 0 ? {atMs: 1_772_416_800_000 + i, job: `job-${i}-1`} : null,
        }));
        const u = usage();
        await store.baseline(
          CLUSTER,
          [...entries, {key: 'backups/db-backup', cronJobUid: 'other', watermark: null}],
          u,
        );
        assert.equal(u.writes, 1, 'one write for all of them');
        const state = await store.loadCluster(CLUSTER, usage());
        assert.equal(state.known.size, 41);
        assert.deepEqual(state.known.get('fleet/job-2'), {
          cronJobUid: 'uid-2',
          watermark: {atMs: 1_772_416_800_002, job: 'job-2-1'},
        });
        assert.deepEqual(state.known.get('fleet/job-1'), {cronJobUid: 'uid-1', watermark: null});
        assert.deepEqual(
          state.known.get('backups/db-backup'),
          {cronJobUid: uidOf(existing), watermark: existing.watermark},
          'a key with a record keeps its own summary',
        );
        assert.deepEqual(state.attention, [existing]);
        const again = usage();
        await store.baseline(CLUSTER, entries, again);
        assert.equal(again.writes, 0, 'baselining known keys writes nothing');
        let seen: CronJobRecord | null | undefined;
        await store.update(CLUSTER, 'fleet/job-3', current => ((seen = current), null), usage());
        assert.equal(seen, null, 'a baseline is not a record');
      }));

    it('keeps keys apart that differ only in characters ids often mangle', () =>
      withStore(async store => {
        const names = ['a.b', 'a_b', 'a-b', 'a%2Eb', '__x__'];
        for (const n of names) {
          const record = makeRecord(CLUSTER, 'ns', n);
          await store.update(CLUSTER, `ns/${n}`, () => record, usage());
        }
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual([...state.known.keys()].sort(), names.map(n => `ns/${n}`).sort());
      }));

    it('updateMany applies each change as update does and answers one result per change, in order', () =>
      withStore(async store => {
        const kept = makeRecord(CLUSTER, 'backups', 'kept');
        await store.update(CLUSTER, 'backups/kept', () => kept, usage());
        const created = makeRecord(CLUSTER, 'backups', 'created', {open: true});
        const changed = {...kept, watermark: {atMs: Date.parse('2026-03-02T02:00:00Z'), job: 'k'}};
        const seen: Array<CronJobRecord | null> = [];
        const results = await store.updateMany(
          CLUSTER,
          [
            {key: 'backups/created', change: current => (seen.push(current), created)},
            {key: 'backups/none', change: current => (seen.push(current), null)},
            {key: 'backups/kept', change: current => (seen.push(current), changed)},
          ],
          usage(),
        );
        assert.deepEqual(results, [
          {ok: true, record: created},
          {ok: true, record: null},
          {ok: true, record: changed},
        ]);
        assert.deepEqual(seen.slice(-3), [null, null, kept], 'each change saw its own record');
        const state = await store.loadCluster(CLUSTER, usage());
        assert.deepEqual([...state.known.keys()].sort(), ['backups/created', 'backups/kept']);
        assert.deepEqual(state.known.get('backups/kept')?.watermark, changed.watermark);
        assert.deepEqual(state.attention, [created]);
      }));

    it('updateMany: a change that throws gets its own error back and writes nothing of it', () =>
      withStore(async store => {
        const boom = new Error('decide failed');
        const results = await store.updateMany(
          CLUSTER,
          [
            {key: 'a/first', change: () => makeRecord(CLUSTER, 'a', 'first')},
            {
              key: 'b/second',
              change: () => {
                throw boom;
              },
            },
          ],
          usage(),
        );
        assert.equal(results.length, 2);
        assert.deepEqual(results[1], {ok: false, error: boom});
        // What a result says is what the store holds: committed if ok, absent if not.
        const known = (await store.loadCluster(CLUSTER, usage())).known;
        assert.equal(known.has('a/first'), results[0]?.ok === true);
        assert.equal(known.has('b/second'), false);
      }));

    it('retention: a write drops the closed incidents (and their log excerpts) closed longer than the retention ago', () =>
      withRetention(async ({store}) => {
        const base = makeRecord(CLUSTER, 'backups', 'db-backup');
        const closedDaysAgo = (id: string, days: number): FailingIncident => {
          const at = new Date(CONTRACT_NOW.getTime() - days * DAY_MS).toISOString();
          return {
            ...incident(uidOf(base), id, at),
            log: excerpt(`${id}: password=[masked]`),
            closedAt: at,
          };
        };
        const record = {
          ...base,
          history: [closedDaysAgo('old', 31), closedDaysAgo('edge', 30), closedDaysAgo('new', 29)],
        };
        const written = await store.update(CLUSTER, 'backups/db-backup', () => record, usage());
        const kept = {...record, history: [closedDaysAgo('new', 29)]};
        assert.deepEqual(written, kept);
        let seen: CronJobRecord | null = null;
        await store.update(CLUSTER, 'backups/db-backup', c => ((seen = c), null), usage());
        assert.deepEqual(seen, kept);
        assert.ok(!JSON.stringify(seen).includes('old: password'));
      }));

    it('retention: a record left alone is deleted when its oldest closed incident passes the retention, however recently written', () =>
      withRetention(async (subject, clock) => {
        const {store} = subject;
        const key = 'backups/db-backup';
        const base = makeRecord(CLUSTER, 'backups', 'db-backup');
        // Closed 10 days before the write: deleted 20 days after it, not 30.
        const closedAt = new Date(CONTRACT_NOW.getTime() - 10 * DAY_MS).toISOString();
        const closed = {...incident(uidOf(base), 'x', closedAt), closedAt};
        await store.update(CLUSTER, key, () => ({...base, history: [closed]}), usage());
        // Open incidents and records without history, written at the same time, for contrast.
        const open = makeRecord(CLUSTER, 'etl', 'open', {open: true});
        const quiet = makeRecord(CLUSTER, 'etl', 'quiet');
        await store.update(CLUSTER, 'etl/open', () => open, usage());
        await store.update(CLUSTER, 'etl/quiet', () => quiet, usage());
        const present = async (k: string): Promise<boolean> => {
          let seen: CronJobRecord | null = null;
          await store.update(CLUSTER, k, c => ((seen = c), null), usage());
          return seen !== null;
        };

        clock.now = new Date(CONTRACT_NOW.getTime() + 20 * DAY_MS - 1);
        await subject.expire(CLUSTER);
        assert.ok(await present(key), 'kept until then');
        clock.now = new Date(CONTRACT_NOW.getTime() + 20 * DAY_MS);
        await subject.expire(CLUSTER);
        assert.equal(await present(key), false, 'gone with its oldest closed incident');
        assert.ok(await present('etl/quiet'), 'no history: kept 30 days from its write');
        clock.now = new Date(CONTRACT_NOW.getTime() + 30 * DAY_MS);
        await subject.expire(CLUSTER);
        assert.equal(await present('etl/quiet'), false);
        clock.now = new Date(CONTRACT_NOW.getTime() + 400 * DAY_MS);
        await subject.expire(CLUSTER);
        assert.ok(await present('etl/open'), 'an open incident never expires');
      }));

    it('retention: writing a record again does not postpone its expiry past its oldest closed incident', () =>
      withRetention(async (subject, clock) => {
        const {store} = subject;
        const key = 'backups/db-backup';
        const base = makeRecord(CLUSTER, 'backups', 'db-backup');
        const closed = {...incident(uidOf(base), 'x', CONTRACT_NOW.toISOString())};
        const record = {...base, history: [{...closed, closedAt: CONTRACT_NOW.toISOString()}]};
        await store.update(CLUSTER, key, () => record, usage());
        // The CronJob keeps running: its record is written every day for 40 days.
        for (let day = 1; day <= 40; day++) {
          clock.now = new Date(CONTRACT_NOW.getTime() + day * DAY_MS);
          const written = await store.update(
            CLUSTER,
            key,
            c => (c === null ? null : {...c, updatedAt: clock.now.toISOString()}),
            usage(),
          );
          await subject.expire(CLUSTER);
          if (day === 29) assert.equal(written?.history.length, 1, 'still within retention');
          if (day === 30) assert.deepEqual(written?.history, [], 'the 30th day drops it');
        }
        let seen: CronJobRecord | null = null;
        await store.update(CLUSTER, key, c => ((seen = c), null), usage());
        assert.deepEqual((seen as CronJobRecord | null)?.history, []);
      }));

    it('finishCluster ends a pass begun by loadCluster; what the pass changed stays', () =>
      withStore(async store => {
        const u = usage();
        await store.loadCluster(CLUSTER, u);
        const record = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
        await store.update(CLUSTER, 'backups/db-backup', () => record, u);
        await store.finishCluster(CLUSTER, u);
        assert.deepEqual((await store.loadCluster(CLUSTER, usage())).attention, [record]);
        await store.finishCluster(CLUSTER, usage());
      }));

    it('recentRecords: the records written at or after a time, with or without a pass holding the cluster', () =>
      withStore(async store => {
        const write = (name: string, updatedAt: string) =>
          store.update(
            CLUSTER,
            `backups/${name}`,
            () => ({...makeRecord(CLUSTER, 'backups', name, {open: true}), updatedAt}),
            usage(),
          );
        await write('old', '2026-02-20T00:00:00.000Z');
        await write('edge', '2026-02-23T12:00:00.000Z');
        await write('new', '2026-03-02T11:00:00.000Z');
        const since = new Date('2026-02-23T12:00:00.000Z');
        const names = (records: CronJobRecord[]) =>
          records.map(r => (r.subject.type === 'cronjob' ? r.subject.name : '')).sort();
        assert.deepEqual(names(await store.recentRecords(CLUSTER, since, usage())), [
          'edge',
          'new',
        ]);
        await store.loadCluster(CLUSTER, usage());
        assert.deepEqual(names(await store.recentRecords(CLUSTER, since, usage())), [
          'edge',
          'new',
        ]);
        await store.finishCluster(CLUSTER, usage());
        assert.deepEqual(await store.recentRecords('other-cluster', since, usage()), []);
      }));

    it('createDigest: of five concurrent creates of one entry exactly one creates it; the others get it as it stands', () =>
      withStore(async store => {
        const entry = (by: string) =>
          claimedDigest('2026-03-02/C1', 'C1', '2026-03-02', by, CONTRACT_NOW, CONTRACT_NOW);
        const results = await Promise.all(
          ['a', 'b', 'c', 'd', 'e'].map(by => store.createDigest(entry(by))),
        );
        const created = results.filter(r => r === null);
        assert.equal(created.length, 1);
        const holder = (await store.readDigest('2026-03-02/C1'))?.claim?.by;
        for (const r of results) if (r !== null) assert.equal(r.claim?.by, holder);
        assert.equal(await store.readDigest('2026-03-02/C2'), null);
        const sent = await store.updateDigest('2026-03-02/C1', current =>
          current === null ? null : markDigestSent(current, holder ?? '', '1.5', CONTRACT_NOW),
        );
        assert.equal(sent?.state, 'sent');
        assert.deepEqual(await store.readDigest('2026-03-02/C1'), sent);
        assert.deepEqual(
          await store.updateDigest('2026-03-02/C1', () => null),
          sent,
          'a change that returns nothing leaves it as it stands',
        );
      }));
  });
}
