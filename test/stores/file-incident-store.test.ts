/**
 * `FileIncidentStore` on a temporary directory: the shared contract, then what only files
 * have — atomic replacement, corrupt files, the inter-process lock (with real child
 * processes) and breaking abandoned locks. Time is passed in; nothing sleeps.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm, writeFile, mkdir} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {StoreError} from '../../functions/core/errors.js';
import type {StoreUsage} from '../../functions/ports.js';
import {describeIncidentStoreContract, makeRecord} from './incident-store-contract.js';

const CLUSTER = 'projects/acme-prod/locations/europe-west1/clusters/prod-eu';
const KEY = 'backups/db-backup';
const usage = (): StoreUsage => ({reads: 0, writes: 0});
const here = path.dirname(fileURLToPath(import.meta.url));
const storeModule = path.join(here, '..', '..', 'functions', 'adapters', 'file-incident-store.js');

const roots: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cjw-store-'));
  roots.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(roots.map(dir => rm(dir, {recursive: true, force: true})));
});

describeIncidentStoreContract(
  'FileIncidentStore (temp dir)',
  async options => {
    const store = new FileIncidentStore({dir: await tempDir(), ...options});
    let ticks = 0;
    return {
      store,
      close: async () => undefined,
      // The file store drops what expired whenever it writes the cluster's file.
      expire: clusterId =>
        store.baseline(clusterId, [{key: `tick/${++ticks}`, cronJobUid: 'tick', watermark: null}], {
          reads: 0,
          writes: 0,
        }),
    };
  },
  // One file per cluster: every call reads it once; a create writes it once.
  {loadReads: () => 1, updateReads: 1, lookReads: 1, createWrites: 1},
);

describe('FileIncidentStore files', () => {
  it('keeps one readable JSON file per cluster and leaves no temporary files', async () => {
    const dir = await tempDir();
    const written = new Date('2026-03-02T12:00:00.000Z');
    const store = new FileIncidentStore({dir, now: () => written});
    const record = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
    await store.update(CLUSTER, KEY, () => record, usage());
    await store.update(CLUSTER, KEY, c => c && {...c, schedule: '@daily'}, usage());
    const files = await readdir(path.join(dir, 'clusters'));
    assert.deepEqual(files, [path.basename(store.fileOf(CLUSTER))]);
    assert.match(
      files[0] ?? '',
      /^projects_acme-prod_locations_europe-west1_clusters_prod-eu-[0-9a-f]{12}\.json$/,
    );
    const content = JSON.parse(await readFile(store.fileOf(CLUSTER), 'utf8')) as unknown;
    assert.deepEqual(content, {
      version: 1,
      clusterId: CLUSTER,
      records: {[KEY]: {...record, schedule: '@daily'}},
      touchedAt: {[KEY]: written.toISOString()},
    });
  });

  it('gives cluster ids that differ only in case or punctuation their own files', () => {
    const store = new FileIncidentStore({dir: '/state'});
    const names = ['kubeconfig/Prod', 'kubeconfig/prod', 'kubeconfig_prod', 'kubeconfig/prod/'];
    const files = new Set(names.map(id => store.fileOf(id).toLowerCase()));
    assert.equal(files.size, names.length);
  });

  it('reports a corrupt or foreign state file as CORRUPT, naming the file', async () => {
    const dir = await tempDir();
    const store = new FileIncidentStore({dir});
    await mkdir(path.dirname(store.fileOf(CLUSTER)), {recursive: true});
    await writeFile(store.fileOf(CLUSTER), '{"version":1,"clusterId":');
    await assert.rejects(store.loadCluster(CLUSTER, usage()), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'CORRUPT');
      assert.ok(error.message.includes(store.fileOf(CLUSTER)), error.message);
      return true;
    });
    await writeFile(
      store.fileOf(CLUSTER),
      JSON.stringify({version: 1, clusterId: 'other', records: {}}),
    );
    await assert.rejects(
      store.update(CLUSTER, KEY, () => null, usage()),
      {
        code: 'CORRUPT',
        message: /holds cluster other/,
      },
    );
  });

  it('reports an unwritable state directory as a StoreError', async () => {
    const dir = await tempDir();
    const blocker = path.join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const store = new FileIncidentStore({dir: blocker});
    const record = makeRecord(CLUSTER, 'backups', 'db-backup');
    await assert.rejects(
      store.update(CLUSTER, KEY, () => record, usage()),
      (error: unknown) => {
        assert.ok(error instanceof StoreError, String(error));
        assert.match(error.message, /pass will retry/);
        return true;
      },
    );
  });
});

describe('FileIncidentStore lock', () => {
  async function lockedStore(lock: object, now = new Date('2026-03-02T12:00:00.000Z')) {
    const dir = await tempDir();
    const store = new FileIncidentStore({
      dir,
      staleLockMs: 30_000,
      lockTimeoutMs: 200,
      now: () => now,
    });
    await mkdir(path.dirname(store.fileOf(CLUSTER)), {recursive: true});
    await writeFile(`${store.fileOf(CLUSTER)}.lock`, JSON.stringify(lock));
    return store;
  }

  it('waits for a live holder, then fails with LOCKED naming the lock file', async () => {
    const store = await lockedStore({
      host: hostname(),
      pid: process.pid,
      acquiredAt: '2026-03-02T11:59:50.000Z',
      token: 'someone-else',
    });
    await assert.rejects(
      store.update(CLUSTER, KEY, () => makeRecord(CLUSTER, 'backups', 'db-backup'), usage()),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'LOCKED');
        assert.ok(error.message.includes(`${store.fileOf(CLUSTER)}.lock`), error.message);
        assert.match(error.message, new RegExp(`process ${process.pid} on `));
        return true;
      },
    );
    assert.equal((await store.loadCluster(CLUSTER, usage())).known.size, 0, 'nothing written');
  });

  it('breaks a lock older than staleLockMs (by the clock passed in)', async () => {
    const store = await lockedStore({
      host: 'another-host',
      pid: 1,
      acquiredAt: '2026-03-02T11:59:29.000Z', // 31 s before `now`
      token: 'crashed',
    });
    const record = makeRecord(CLUSTER, 'backups', 'db-backup');
    assert.deepEqual(await store.update(CLUSTER, KEY, () => record, usage()), record);
    const left = await readdir(path.dirname(store.fileOf(CLUSTER)));
    assert.deepEqual(left, [path.basename(store.fileOf(CLUSTER))], 'lock released, nothing stray');
  });

  it('breaks at once a lock whose holder process on this host is gone', async () => {
    const dead = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.once('error', reject);
      child.once('exit', () => resolve(child.pid ?? -1));
    });
    const store = await lockedStore({
      host: hostname(),
      pid: dead,
      acquiredAt: '2026-03-02T11:59:59.000Z',
      token: 'dead',
    });
    const record = makeRecord(CLUSTER, 'backups', 'db-backup');
    assert.deepEqual(await store.update(CLUSTER, KEY, () => record, usage()), record);
  });

  it('never double-applies when 4 processes update one record at once', async () => {
    const dir = await tempDir();
    const store = new FileIncidentStore({dir});
    const seed = makeRecord(CLUSTER, 'backups', 'db-backup');
    await store.update(CLUSTER, KEY, () => seed, usage());
    const PROCESSES = 4;
    const UPDATES = 10;
    const script = `
      import {FileIncidentStore} from ${JSON.stringify(pathToFileURL(storeModule).href)};
      const store = new FileIncidentStore({dir: ${JSON.stringify(dir)}});
      for (let i = 0; i < ${UPDATES}; i++) {
        await store.update(${JSON.stringify(CLUSTER)}, ${JSON.stringify(KEY)}, c => ({
          ...c,
          threads: [...c.threads, {incidentId: process.pid + '/' + i, channel: 'C1', ts: String(i)}],
        }), {reads: 0, writes: 0});
      }
    `;
    const codes = await Promise.all(
      Array.from(
        {length: PROCESSES},
        () =>
          new Promise<number | null>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
              stdio: ['ignore', 'inherit', 'inherit'],
            });
            child.once('error', reject);
            child.once('exit', code => resolve(code));
          }),
      ),
    );
    assert.deepEqual(codes, Array(PROCESSES).fill(0));
    let final: number | undefined;
    await store.update(CLUSTER, KEY, c => ((final = c?.threads.length), null), usage());
    assert.equal(final, PROCESSES * UPDATES);
  });
});

describe('FileIncidentStore retention (RETENTION_DAYS, like the Firestore TTL)', () => {
  const DAY_MS = 86_400_000;
  const start = Date.parse('2026-03-02T12:00:00.000Z');

  it('drops records and starting points quiet for longer than the retention, on the next write', async () => {
    let nowMs = start;
    const store = new FileIncidentStore({
      dir: await tempDir(),
      retentionDays: 30,
      now: () => new Date(nowMs),
    });
    const quiet = makeRecord(CLUSTER, 'backups', 'quiet');
    const open = makeRecord(CLUSTER, 'backups', 'open', {open: true});
    const owed = makeRecord(CLUSTER, 'backups', 'owed', {owed: true});
    for (const r of [quiet, open, owed]) {
      const key = `backups/${r.subject.type === 'cronjob' ? r.subject.name : ''}`;
      await store.update(CLUSTER, key, () => r, usage());
    }
    await store.baseline(
      CLUSTER,
      [{key: 'reports/never-failed', cronJobUid: 'cj-reports', watermark: null}],
      usage(),
    );
    // 29 days later (inside the retention) a write keeps everything.
    nowMs = start + 29 * DAY_MS;
    const recent = makeRecord(CLUSTER, 'backups', 'recent');
    await store.update(CLUSTER, 'backups/recent', () => recent, usage());
    const keys = async () => [...(await store.loadCluster(CLUSTER, usage())).known.keys()].sort();
    assert.deepEqual(await keys(), [
      'backups/open',
      'backups/owed',
      'backups/quiet',
      'backups/recent',
      'reports/never-failed',
    ]);
    // 31 days after the first writes: the quiet record and the starting point go, what needs
    // attention stays whatever its age, and what was written 2 days ago stays.
    nowMs = start + 31 * DAY_MS;
    await store.update(CLUSTER, 'backups/recent', c => c, usage());
    assert.deepEqual(await keys(), ['backups/open', 'backups/owed', 'backups/recent']);
    const file = JSON.parse(await readFile(store.fileOf(CLUSTER), 'utf8')) as {
      touchedAt: Record<string, string>;
      baselines?: unknown;
    };
    assert.deepEqual(Object.keys(file.touchedAt).sort(), [
      'backups/open',
      'backups/owed',
      'backups/recent',
    ]);
    assert.equal(file.baselines, undefined);
  });

  it('starts the clock of entries written before retention existed at the first write that sees them', async () => {
    const dir = await tempDir();
    let nowMs = start;
    const store = new FileIncidentStore({dir, retentionDays: 30, now: () => new Date(nowMs)});
    const old = makeRecord(CLUSTER, 'backups', 'old');
    await mkdir(path.dirname(store.fileOf(CLUSTER)), {recursive: true});
    await writeFile(
      store.fileOf(CLUSTER),
      JSON.stringify({version: 1, clusterId: CLUSTER, records: {'backups/old': old}}),
    );
    await store.update(CLUSTER, KEY, () => makeRecord(CLUSTER, 'backups', 'db-backup'), usage());
    const keys = async () => [...(await store.loadCluster(CLUSTER, usage())).known.keys()].sort();
    assert.deepEqual(await keys(), ['backups/db-backup', 'backups/old']);
    nowMs = start + 31 * DAY_MS;
    await store.update(
      CLUSTER,
      'backups/new',
      () => makeRecord(CLUSTER, 'backups', 'new'),
      usage(),
    );
    assert.deepEqual(await keys(), ['backups/new']);
  });

  it('refuses a retention that is not a positive number of days', () => {
    assert.throws(() => new FileIncidentStore({dir: '/x', retentionDays: 0}), /positive number/);
  });
});
