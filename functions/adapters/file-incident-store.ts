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
 */
import {createHash, randomBytes} from 'node:crypto';
import {mkdir, open, readFile, rename, unlink} from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {StoreError, describeError} from '../core/errors.js';
import {isObject} from '../core/json.js';
import {keyOfSubject, needsAttention, type RunMark, type SubjectRecord} from '../core/incident.js';
import {upgradeRecord} from '../core/record-upgrade.js';
import {withinDeadline} from './deadline.js';
import type {
  BaselineEntry,
  ClusterState,
  IncidentStore,
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
}

interface StateFile {
  version: 1;
  clusterId: string;
  records: Record<string, SubjectRecord>;
  /** Starting points of CronJobs that have no record yet (see `IncidentStore.baseline`). */
  baselines?: Record<string, {cronJobUid: string; watermark: RunMark | null}>;
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

  constructor(options: FileIncidentStoreOptions) {
    this.dir = path.resolve(options.dir);
    this.staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** The state file of a cluster. */
  fileOf(clusterId: string): string {
    const slug = clusterId.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 80);
    const hash = createHash('sha256').update(clusterId).digest('hex').slice(0, 12);
    return path.join(this.dir, 'clusters', `${slug}-${hash}.json`);
  }

  async loadCluster(clusterId: string, usage: StoreUsage, deadline?: Date): Promise<ClusterState> {
    const state = await withinDeadline(
      () => this.read(clusterId, usage),
      deadline,
      `read the incident state of cluster ${clusterId}`,
    );
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
    return {known, attention};
  }

  async baseline(
    clusterId: string,
    entries: BaselineEntry[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<void> {
    if (entries.length === 0) return;
    await withinDeadline(
      () => this.baselineNow(clusterId, entries, usage),
      deadline,
      `record the starting points of cluster ${clusterId}`,
    );
  }

  private async baselineNow(
    clusterId: string,
    entries: BaselineEntry[],
    usage: StoreUsage,
  ): Promise<void> {
    await this.serialized(this.fileOf(clusterId), async file => {
      const lock = await this.acquire(file);
      try {
        const state = await this.read(clusterId, usage);
        const baselines = {...(state.baselines ?? {})};
        let added = 0;
        for (const entry of entries) {
          if (state.records[entry.key] !== undefined || baselines[entry.key] !== undefined)
            continue;
          baselines[entry.key] = {cronJobUid: entry.cronJobUid, watermark: entry.watermark};
          added++;
        }
        if (added === 0) return;
        await this.writeAtomically(file, {...state, baselines});
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
    return withinDeadline(
      () =>
        this.serialized(this.fileOf(clusterId), file =>
          this.updateLocked(file, clusterId, key, change, usage),
        ),
      deadline,
      `update the record ${key} of cluster ${clusterId}`,
    );
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
      const next = change(current);
      if (next === null) return current;
      const nextKey = keyOfSubject(next.subject);
      if (next.clusterId !== clusterId || nextKey !== key) {
        throw new StoreError(
          'INVALID_RECORD',
          `A change for ${key} of cluster ${clusterId} returned the record of ${nextKey} of cluster ${next.clusterId}; nothing was written.`,
        );
      }
      // JSON round trip: what is kept is exactly what a later read returns (undefined
      // optional fields vanish now, not on the next read).
      const stored = JSON.parse(JSON.stringify(next)) as SubjectRecord;
      state.records[key] = stored;
      await this.writeAtomically(file, state);
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

  private async release(lock: LockInfo & {path: string}): Promise<void> {
    // Only remove our own lock: if it was broken as stale, it now belongs to someone else.
    const holder = await readLock(lock.path);
    if (typeof holder === 'object' && holder.token === lock.token) {
      await unlink(lock.path).catch(() => undefined);
    }
  }
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
