/**
 * `IncidentStore` in local files: the embedded default of the CLI (`--state file`), so
 * `cronjob-watcher check` keeps incidents between runs with no cloud account.
 *
 * Layout: `<dir>/clusters/<slug>-<hash>.json`, one JSON file per cluster holding every record
 * of that cluster (`{version, clusterId, records: {<namespace/name>: SubjectRecord}}`). One
 * file per cluster because a CLI watches a handful of clusters with tens to hundreds of
 * CronJobs: one read gives the whole state, and one lock covers one cluster. The name is a
 * readable slug of the cluster id plus 12 hex digits of its SHA-256, because cluster ids
 * contain `/` and may differ only in case, which case-insensitive file systems (macOS,
 * Windows) would merge. The cluster id is stored inside and checked on every read.
 *
 * Writes are atomic: the new content goes to a temporary file in the same directory, is
 * flushed to disk, then renamed over the old file; a reader sees the old or the new file,
 * never half of one, and a crash leaves at most a stray `*.tmp` file.
 *
 * Two processes at once (two terminals, cron + a person) never double-apply: `update` holds
 * `<file>.lock`, created with `open(…, 'wx')` (fails if it exists, atomically). The lock file
 * records the holder's host, pid and time. A lock is broken when its holder is a process on
 * this host that no longer exists, or when it is older than `staleLockMs` (the holder holds
 * it for milliseconds, so an old lock means a process that died or hung). Within one process,
 * updates of one cluster are also queued in memory so they do not poll each other's lock.
 * Known weakness: two processes breaking the same stale lock at the same instant could both
 * proceed; it needs a crashed holder plus a race within microseconds, and is not worth an OS
 * lock dependency for a CLI.
 *
 * Cost accounting matches the Firestore store's meaning: every file read counts one read,
 * every file written one write (`loadCluster`: 1 read; `update`: 1 read, plus 1 write when
 * `change` returns a record).
 *
 * `updateMany` applies its changes one by one, each as `update` would: one file holds a
 * cluster, so there is no transaction over several records to gain (in `batchPerPass` mode
 * the pass is already one).
 *
 * One write per cluster per pass (`batchPerPass`, what the CLI uses): rewriting the whole file
 * for every change (open, claim, delivered: three per incident) would make a first pass over
 * thousands of CronJobs grow faster than linearly. In this mode `loadCluster` takes the
 * cluster's lock and keeps its state in memory, `update` and `baseline` change that state only,
 * and `finishCluster` writes it once (when anything changed) and releases the lock: a pass is
 * one transaction over the cluster. Another process waits for the lock as before (and gives up
 * with LOCKED after `lockTimeoutMs`); the holder refreshes the lock's time while it works, so a
 * long pass is not taken for a dead one. Before a message is sent, the pass calls `flush`,
 * which writes the state so far (the claim on that message included) and keeps the lock: a
 * process killed mid-pass loses only changes made since its last message was claimed. As the
 * pass holds the cluster alone, a claim the next pass finds was left by a pass that ended
 * (`ClusterState.heldAlone`): its message is looked for in the channel before it is sent again.
 */
import type {DigestRecord} from '../core/digest/ledger.js';
import {FileDigests} from './file-digests.js';
import {createHash, randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, open, readFile, rename, unlink, writeFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {DEFAULT_RETENTION_DAYS} from '../config.js';
import {ConfigError, StoreError, describeError} from '../core/errors.js';
import {isObject} from '../core/json.js';
import {keyOfSubject, needsAttention, type RunMark, type SubjectRecord} from '../core/incident.js';
import {DAY_MS, expiresAt, withinRetention} from '../core/retention.js';
import {upgradeRecord} from '../core/record-upgrade.js';
import {withinDeadline} from './deadline.js';
import type {
  BaselineEntry,
  ClusterState,
  IncidentStore,
  RecordChange,
  RecordChangeResult,
  RecordSummary,
  StoreUsage,
} from '../ports.js';

/** Options of {@link FileIncidentStore}. */
export interface FileIncidentStoreOptions {
  /** State directory, e.g. `.cronjob-watcher` in the working directory (the CLI decides). */
  dir: string;
  /** A lock older than this is abandoned and broken. Default 30 s. */
  staleLockMs?: number;
  /** How long `update` waits for another process's lock before failing. Default 10 s. */
  lockTimeoutMs?: number;
  /** Clock written into lock files and compared with them; tests pass their own. */
  now?: () => Date;
  /**
   * Hold each cluster from `loadCluster` to `finishCluster` and write it once (see the file
   * comment). Default false: every call reads and writes the file itself.
   */
  batchPerPass?: boolean;
  /**
   * `RETENTION_DAYS` (default 90): closed incidents, records past their expiry and starting
   * points quiet for longer are dropped on write (core/retention.ts).
   */
  retentionDays?: number;
}

/** A cluster held by a pass in `batchPerPass` mode. */
interface Session {
  lock: LockInfo & {path: string};
  state: StateFile;
  dirty: boolean;
  /** Keys written during the pass (their retention clock restarts). */
  touched: Set<string>;
  /** When the lock file's time was last refreshed (ms, by `now`). */
  refreshedMs: number;
}

interface StateFile {
  version: 1;
  clusterId: string;
  records: Record<string, SubjectRecord>;
  /** Starting points of CronJobs that have no record yet (see `IncidentStore.baseline`). */
  baselines?: Record<string, {cronJobUid: string; watermark: RunMark | null}>;
  /** When each record or starting point was last written, by the store's clock (retention). */
  touchedAt?: Record<string, string>;
}

interface LockInfo {
  host: string;
  pid: number;
  acquiredAt: string;
  token: string;
}

// A holder keeps the lock for one read-decide-write (milliseconds); 30 s without release
// means it crashed or hung, even on a slow disk.
const DEFAULT_STALE_LOCK_MS = 30_000;
// A CLI pass makes at most a few hundred updates of a few ms each: another process's pass
// releases the lock between updates, so 10 s of waiting only runs out if something is stuck.
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
// Short enough to add little latency when two processes interleave, long enough not to spin.
const LOCK_RETRY_MS = 15;
const STATE_VERSION = 1;

/** Incident records in JSON files under one directory. */
export class FileIncidentStore implements IncidentStore {
  private readonly dir: string;
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  private readonly now: () => Date;
  /** Tail of the in-process queue of updates, per state file. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly batchPerPass: boolean;
  private readonly retentionMs: number;
  /** Clusters held by a pass (`batchPerPass`), by state file. */
  private readonly sessions = new Map<string, Session>();
  private readonly digests: FileDigests;

  /** What a pass holds of the cluster, else the file as it stands. */
  async recentRecords(clusterId: string, since: Date, usage: StoreUsage): Promise<SubjectRecord[]> {
    const session = this.sessions.get(this.fileOf(clusterId));
    const state = session?.state ?? (await this.read(clusterId, usage));
    const sinceIso = since.toISOString();
    return Object.values(state.records).filter(r => r.updatedAt >= sinceIso);
  }

  createDigest(entry: DigestRecord): Promise<DigestRecord | null> {
    return this.digests.create(entry);
  }

  updateDigest(
    id: string,
    change: (current: DigestRecord | null) => DigestRecord | null,
  ): Promise<DigestRecord | null> {
    return this.digests.update(id, change);
  }

  readDigest(id: string): Promise<DigestRecord | null> {
    return this.digests.read(id);
  }

  constructor(options: FileIncidentStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
    this.batchPerPass = options.batchPerPass ?? false;
    const days = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isFinite(days) || days <= 0) {
      throw new ConfigError(
        `Record retention must be a positive number of days, got ${String(days)} (e.g. 90).`,
      );
    }
    this.retentionMs = days * DAY_MS;
    this.digests = new FileDigests(this.dir);
  }

  /**
   * The state with `touched` keys stamped now, and every record past its expiry
   * (core/retention.ts, from its last write) and starting point quiet past the retention
   * dropped, as Firestore's TTL would: what every write writes.
   */
  private retained(state: StateFile, touched: string[]): StateFile {
    const now = this.now();
    const stamp = now.toISOString();
    const cutoff = now.getTime() - this.retentionMs;
    const touchedAt = {...(state.touchedAt ?? {})};
    for (const key of touched) touchedAt[key] = stamp;
    const records: Record<string, SubjectRecord> = {};
    const baselines: NonNullable<StateFile['baselines']> = {};
    // An entry from before retention existed starts its clock now.
    const writtenAt = (key: string): string => (touchedAt[key] ??= stamp);
    const keep = (key: string): boolean => Date.parse(writtenAt(key)) >= cutoff;
    for (const [key, record] of Object.entries(state.records)) {
      const expiry = expiresAt(record, new Date(writtenAt(key)), this.retentionMs);
      if (expiry === null || expiry.getTime() > now.getTime()) records[key] = record;
    }
    for (const [key, entry] of Object.entries(state.baselines ?? {})) {
      // A record supersedes its starting point.
      if (records[key] === undefined && state.records[key] === undefined && keep(key))
        baselines[key] = entry;
    }
    for (const key of Object.keys(touchedAt)) {
      if (records[key] === undefined && baselines[key] === undefined) delete touchedAt[key];
    }
    const {baselines: _before, ...rest} = state;
    return {...rest, records, ...(Object.keys(baselines).length > 0 ? {baselines} : {}), touchedAt};
  }
  /** The state file of a cluster. */
  fileOf(clusterId: string): string {
    const slug = clusterId.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 80);
    const hash = createHash('sha256').update(clusterId).digest('hex').slice(0, 12);
    return path.join(this.dir, 'clusters', `${slug}-${hash}.json`);
  }

  async loadCluster(clusterId: string, usage: StoreUsage): Promise<ClusterState> {
    const state = this.batchPerPass
      ? await this.beginSession(clusterId, usage)
      : await this.read(clusterId, usage);
    const known = new Map<string, RecordSummary>();
    const attention: SubjectRecord[] = [];
    for (const [key, entry] of Object.entries(state.baselines ?? {})) {
      known.set(key, {cronJobUid: entry.cronJobUid, watermark: entry.watermark});
    }
    for (const [key, record] of Object.entries(state.records)) {
      const cronJobUid = record.subject.type === 'cronjob' ? record.subject.uid : '';
      known.set(key, {cronJobUid, watermark: record.watermark});
      if (needsAttention(record)) attention.push(record);
    }
    return {known, attention, heldAlone: this.batchPerPass};
  }

  /** Takes the cluster's lock and reads its state, to keep until `finishCluster`. */
  private async beginSession(clusterId: string, usage: StoreUsage): Promise<StateFile> {
    const file = this.fileOf(clusterId);
    return this.serialized(file, async () => {
      const lock = await this.acquire(file);
      try {
        const state = await this.read(clusterId, usage);
        this.sessions.set(file, {
          lock,
          state,
          dirty: false,
          touched: new Set(),
          refreshedMs: this.now().getTime(),
        });
        return state;
      } catch (error) {
        await this.release(lock);
        throw error;
      }
    });
  }

  async finishCluster(clusterId: string, usage: StoreUsage): Promise<void> {
    const file = this.fileOf(clusterId);
    const session = this.sessions.get(file);
    if (session === undefined) return;
    this.sessions.delete(file);
    try {
      if (session.dirty) {
        await this.writeAtomically(file, this.retained(session.state, [...session.touched]));
        usage.writes += 1;
      }
    } finally {
      await this.release(session.lock);
    }
  }

  async flush(clusterId: string, usage: StoreUsage): Promise<void> {
    const file = this.fileOf(clusterId);
    const session = await this.held(file);
    if (session === undefined || !session.dirty) return;
    await this.writeAtomically(file, this.retained(session.state, [...session.touched]));
    usage.writes += 1;
    session.dirty = false;
  }

  /** The held state of a cluster, with its lock's time refreshed when due. */
  private async held(file: string): Promise<Session | undefined> {
    const session = this.sessions.get(file);
    if (session === undefined) return undefined;
    const nowMs = this.now().getTime();
    // A third of the stale age: refreshed well before anyone may take the lock for abandoned.
    if (nowMs - session.refreshedMs > this.staleLockMs / 3) {
      session.refreshedMs = nowMs;
      session.lock = await this.refresh(session.lock);
    }
    return session;
  }

  async baseline(clusterId: string, entries: BaselineEntry[], usage: StoreUsage): Promise<void> {
    if (entries.length === 0) return;
    const session = await this.held(this.fileOf(clusterId));
    if (session !== undefined) {
      const added = addBaselines(session.state, entries);
      if (added !== null) {
        session.state = added;
        session.dirty = true;
        for (const e of entries) session.touched.add(e.key);
      }
      return;
    }
    await this.serialized(this.fileOf(clusterId), async file => {
      const lock = await this.acquire(file);
      try {
        const state = await this.read(clusterId, usage);
        const added = addBaselines(state, entries);
        if (added === null) return;
        const written = entries.map(e => e.key).filter(k => added.baselines?.[k] !== undefined);
        await this.writeAtomically(file, this.retained(added, written));
        usage.writes += 1;
      } finally {
        await this.release(lock);
      }
    });
  }

  /** Runs `work` after every earlier call of this process on the same file has finished. */
  private async serialized<T>(file: string, work: (file: string) => Promise<T>): Promise<T> {
    const previous = this.queues.get(file) ?? Promise.resolve();
    const run = previous.then(
      () => work(file),
      () => work(file),
    );
    const tail = run.catch(() => undefined);
    this.queues.set(file, tail);
    try {
      return await run;
    } finally {
      if (this.queues.get(file) === tail) this.queues.delete(file);
    }
  }

  async update(
    clusterId: string,
    key: string,
    change: (current: SubjectRecord | null) => SubjectRecord | null,
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<SubjectRecord | null> {
    const written = change;
    // What passed the retention leaves the record it writes (core/retention.ts).
    change = current => {
      const next = written(current);
      return next === null ? null : withinRetention(next, this.now(), this.retentionMs);
    };
    const session = await this.held(this.fileOf(clusterId));
    if (session !== undefined) {
      const current = session.state.records[key] ?? null;
      const next = applyChange(current, change, clusterId, key);
      if (next === null) return current;
      session.state.records[key] = next;
      session.dirty = true;
      session.touched.add(key);
      return next;
    }
    return withinDeadline(
      () =>
        this.serialized(this.fileOf(clusterId), file => {
          // No state file and nothing to write: no lock, so no directory either (a dry run
          // leaves no trace). Seeing the file absent is itself a consistent read of "no record".
          if (!existsSync(file) && !existsSync(`${file}.lock`) && change(null) === null) {
            return Promise.resolve(null);
          }
          return this.updateLocked(file, clusterId, key, change, usage);
        }),
      deadline,
      `update the record ${key} of cluster ${clusterId}`,
    );
  }

  /**
   * See `IncidentStore.updateMany`: each change alone, as `update` does it. A failure that is
   * not about one record (the file is locked, unreadable or cannot be written) would fail every
   * later change too, so those are not tried and get the same error.
   */
  async updateMany(
    clusterId: string,
    changes: RecordChange[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<RecordChangeResult[]> {
    const results: RecordChangeResult[] = [];
    let stopped: unknown = null;
    for (const {key, change} of changes) {
      if (stopped !== null) {
        results.push({ok: false, error: stopped});
        continue;
      }
      try {
        results.push({
          ok: true,
          record: await this.update(clusterId, key, change, usage, deadline),
        });
      } catch (error) {
        results.push({ok: false, error});
        if (error instanceof StoreError && error.code !== 'INVALID_RECORD') stopped = error;
      }
    }
    return results;
  }

  private async updateLocked(
    file: string,
    clusterId: string,
    key: string,
    change: (current: SubjectRecord | null) => SubjectRecord | null,
    usage: StoreUsage,
  ): Promise<SubjectRecord | null> {
    const lock = await this.acquire(file);
    try {
      const state = await this.read(clusterId, usage);
      const current = state.records[key] ?? null;
      const stored = applyChange(current, change, clusterId, key);
      if (stored === null) return current;
      state.records[key] = stored;
      await this.writeAtomically(file, this.retained(state, [key]));
      usage.writes += 1;
      return stored;
    } finally {
      await this.release(lock);
    }
  }

  private async read(clusterId: string, usage: StoreUsage): Promise<StateFile> {
    const file = this.fileOf(clusterId);
    let text: string;
    usage.reads += 1;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') {
        return {version: STATE_VERSION, clusterId, records: {}};
      }
      throw ioError(error, `read the incident state file ${file}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw corrupt(file, 'it is not valid JSON', error);
    }
    if (
      !isObject(parsed) ||
      parsed['version'] !== STATE_VERSION ||
      typeof parsed['clusterId'] !== 'string' ||
      !isObject(parsed['records'])
    ) {
      throw corrupt(file, `it is not a version ${STATE_VERSION} state file`);
    }
    if (parsed['clusterId'] !== clusterId) {
      throw corrupt(file, `it holds cluster ${parsed['clusterId']}, not ${clusterId}`);
    }
    // Every record in today's shape, whatever release wrote it (see record-upgrade.ts).
    const records: Record<string, SubjectRecord> = {};
    for (const [key, stored] of Object.entries(parsed['records'])) {
      const upgraded = upgradeRecord(stored);
      if (!upgraded.ok)
        throw corrupt(file, `its record ${key} cannot be read: ${upgraded.problem}`);
      records[key] = upgraded.record;
    }
    return {...(parsed as unknown as StateFile), records};
  }

  private async writeAtomically(file: string, state: StateFile): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw ioError(error, `write the incident state file ${file}`);
    }
    await syncDirectory(path.dirname(file));
  }

  private async acquire(file: string): Promise<LockInfo & {path: string}> {
    const lockPath = `${file}.lock`;
    try {
      await mkdir(path.dirname(file), {recursive: true});
    } catch (error) {
      throw ioError(error, `create the state directory ${path.dirname(file)}`);
    }
    const started = performance.now();
    for (;;) {
      const info: LockInfo = {
        host: hostname(),
        pid: process.pid,
        acquiredAt: this.now().toISOString(),
        token: randomBytes(8).toString('hex'),
      };
      try {
        const handle = await open(lockPath, 'wx');
        try {
          await handle.writeFile(JSON.stringify(info), 'utf8');
        } finally {
          await handle.close();
        }
        return {...info, path: lockPath};
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') {
          throw ioError(error, `create the lock file ${lockPath}`);
        }
      }
      const holder = await readLock(lockPath);
      if (holder === 'gone') continue;
      if (this.isAbandoned(holder)) {
        await breakLock(lockPath);
        continue;
      }
      if (performance.now() - started > this.lockTimeoutMs) {
        const who =
          holder === 'unreadable'
            ? 'another process'
            : `process ${holder.pid} on ${holder.host} (since ${holder.acquiredAt})`;
        throw new StoreError(
          'LOCKED',
          `The incident state file ${file} is locked by ${who}; waited ${this.lockTimeoutMs} ms. If no other cronjob-watcher is running, delete ${lockPath}. The pass will retry.`,
        );
      }
      await delay(LOCK_RETRY_MS);
    }
  }

  private isAbandoned(holder: LockInfo | 'unreadable'): boolean {
    // A lock file whose content is not there yet is being written right now.
    if (holder === 'unreadable') return false;
    if (holder.host === hostname() && !processExists(holder.pid)) return true;
    const acquired = Date.parse(holder.acquiredAt);
    return !Number.isFinite(acquired) || this.now().getTime() - acquired > this.staleLockMs;
  }

  /** Rewrites our own lock with the current time; a lock taken from us is not touched. */
  private async refresh(lock: LockInfo & {path: string}): Promise<LockInfo & {path: string}> {
    const holder = await readLock(lock.path);
    if (typeof holder !== 'object' || holder.token !== lock.token) return lock;
    const fresh = {...lock, acquiredAt: this.now().toISOString()};
    const {path: lockPath, ...info} = fresh;
    const temp = `${lockPath}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(info), 'utf8');
      await rename(temp, lockPath);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw ioError(error, `refresh the lock file ${lockPath}`);
    }
    return fresh;
  }

  private async release(lock: LockInfo & {path: string}): Promise<void> {
    // Only remove our own lock: if it was broken as stale, it now belongs to someone else.
    const holder = await readLock(lock.path);
    if (typeof holder === 'object' && holder.token === lock.token) {
      await unlink(lock.path).catch(() => undefined);
    }
  }
}

/**
 * Runs `change` on a record and checks what it returns; null when it changes nothing. The JSON
 * round trip makes what is kept exactly what a later read returns (undefined optional fields
 * vanish now, not on the next read).
 */
function applyChange(
  current: SubjectRecord | null,
  change: (current: SubjectRecord | null) => SubjectRecord | null,
  clusterId: string,
  key: string,
): SubjectRecord | null {
  const next = change(current);
  if (next === null) return null;
  const nextKey = keyOfSubject(next.subject);
  if (next.clusterId !== clusterId || nextKey !== key) {
    throw new StoreError(
      'INVALID_RECORD',
      `A change for ${key} of cluster ${clusterId} returned the record of ${nextKey} of cluster ${next.clusterId}; nothing was written.`,
    );
  }
  return JSON.parse(JSON.stringify(next)) as SubjectRecord;
}

/** The state with starting points for keys it does not know yet; null when all are known. */
function addBaselines(state: StateFile, entries: BaselineEntry[]): StateFile | null {
  const baselines = {...(state.baselines ?? {})};
  let added = 0;
  for (const entry of entries) {
    if (state.records[entry.key] !== undefined || baselines[entry.key] !== undefined) continue;
    baselines[entry.key] = {cronJobUid: entry.cronJobUid, watermark: entry.watermark};
    added++;
  }
  return added === 0 ? null : {...state, baselines};
}

async function readLock(lockPath: string): Promise<LockInfo | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    return errnoOf(error) === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const info = JSON.parse(text) as unknown;
    if (
      isObject(info) &&
      typeof info['host'] === 'string' &&
      typeof info['pid'] === 'number' &&
      typeof info['acquiredAt'] === 'string' &&
      typeof info['token'] === 'string'
    ) {
      return info as unknown as LockInfo;
    }
  } catch {
    // Empty or partly written: the creator is between open() and write().
  }
  return 'unreadable';
}

/** Moves the lock aside before deleting it, so two breakers never delete a fresh lock twice. */
async function breakLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.stale.${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it first
  }
  await unlink(aside).catch(() => undefined);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errnoOf(error) === 'EPERM';
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; not possible on every platform (Windows), where the
  // rename is still atomic, only possibly lost in a power cut.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as {code?: unknown} | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function corrupt(file: string, why: string, cause?: unknown): StoreError {
  return new StoreError(
    'CORRUPT',
    `The incident state file ${file} cannot be used: ${why}. Move it aside to start that cluster afresh (its open incidents will be re-detected from the cluster).`,
    {cause},
  );
}

function ioError(error: unknown, what: string): StoreError {
  const errno = errnoOf(error);
  const code =
    errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS'
      ? 'PERMISSION_DENIED'
      : errno === 'ENOSPC' || errno === 'EDQUOT'
        ? 'NO_SPACE'
        : 'IO';
  return new StoreError(code, `Could not ${what} (${describeError(error)}); the pass will retry.`, {
    cause: error,
  });
}
