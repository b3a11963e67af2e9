/**
 * `FileIncidentStore` with `batchPerPass` (issue 14): a pass writes each cluster's file once
 * at its end, however many incidents it opens, plus once before each message it sends one by
 * one (issue 21: the claim is on disk before the send), and ends with the same records as the
 * store that writes on every change.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, readdir} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {runPass} from '../../functions/pass.js';
import {PASS_NOW, useFleetCluster} from './pass-fixture.js';

const CRONJOBS = 30;
const FAILING = 6;

describe('FileIncidentStore batchPerPass', () => {
  const cluster = useFleetCluster({
    context: 'batching',
    cronJobs: CRONJOBS,
    failing: FAILING,
    namespaces: 1,
  });

  async function recordsIn(dir: string): Promise<Record<string, {outbox: unknown[]}>> {
    const files = (await readdir(path.join(dir, 'clusters'))).filter(f => f.endsWith('.json'));
    assert.equal(files.length, 1, 'one file for the cluster, no lock or temp file left');
    const state = JSON.parse(await readFile(path.join(dir, 'clusters', files[0]!), 'utf8')) as {
      records: Record<string, {outbox: unknown[]; updatedAt?: string}>;
    };
    return state.records;
  }

  it('writes the cluster once per message sent plus once, and ends where the per-change store ends', async () => {
    const batchedDir = await mkdtemp(path.join(os.tmpdir(), 'batched-'));
    const plainDir = await mkdtemp(path.join(os.tmpdir(), 'plain-'));
    const batched = new FileIncidentStore({
      dir: batchedDir,
      batchPerPass: true,
      now: () => PASS_NOW,
    });
    const plain = new FileIncidentStore({dir: plainDir, now: () => PASS_NOW});

    const first = await runPass(cluster.deps(batched));
    assert.equal(first.opened, FAILING);
    assert.equal(first.notificationsSent, FAILING);
    // Fewer openings than a delivery batch go one by one: each claim is flushed before its
    // send (with the delivery before it), the last delivery at the end.
    assert.deepEqual(first.store, {reads: 1, writes: FAILING + 1});

    const reference = await runPass(cluster.deps(plain));
    assert.equal(reference.notificationsSent, FAILING);
    assert.ok(reference.store.writes > 3 * FAILING, `per-change writes: ${reference.store.writes}`);

    const batchedRecords = await recordsIn(batchedDir);
    assert.deepEqual(batchedRecords, await recordsIn(plainDir));
    assert.ok(
      Object.values(batchedRecords).every(r => r.outbox.length === 0),
      'deliveries kept',
    );

    const quiet = await runPass(cluster.deps(batched));
    assert.equal(quiet.stillOpen, FAILING);
    assert.deepEqual(quiet.store, {reads: 1, writes: 0});
  });

  it('flush writes what the pass holds, keeps the lock, and writes nothing when nothing changed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'flush-'));
    const holder = new FileIncidentStore({dir, batchPerPass: true, now: () => PASS_NOW});
    const usage = {reads: 0, writes: 0};
    const state = await holder.loadCluster('kubeconfig/flush', usage);
    assert.equal(state.heldAlone, true, 'the pass holds the cluster alone');
    await holder.baseline(
      'kubeconfig/flush',
      [{key: 'ns/x', cronJobUid: 'uid-x', watermark: null}],
      usage,
    );
    await holder.flush('kubeconfig/flush', usage);
    await holder.flush('kubeconfig/flush', usage);
    assert.deepEqual(usage, {reads: 1, writes: 1}, 'one write for one change');
    // On disk while the pass still holds the lock (a reader without batching takes no lock).
    const reader = new FileIncidentStore({dir});
    const onDisk = await reader.loadCluster('kubeconfig/flush', {reads: 0, writes: 0});
    assert.deepEqual([...onDisk.known.keys()], ['ns/x']);
    const files = await readdir(path.join(dir, 'clusters'));
    assert.ok(
      files.some(f => f.endsWith('.lock')),
      `still locked: ${files.join(', ')}`,
    );
    await holder.finishCluster('kubeconfig/flush', usage);
    assert.deepEqual(usage, {reads: 1, writes: 1}, 'nothing more to write at the end');
    assert.equal(onDisk.heldAlone, false, 'a store that writes each change holds nothing alone');
    assert.deepEqual(
      (await readdir(path.join(dir, 'clusters'))).filter(f => f.endsWith('.lock')),
      [],
    );
  });

  it('holds the cluster for the pass: another process waits, then gives up with LOCKED', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'held-'));
    const holder = new FileIncidentStore({dir, batchPerPass: true});
    const other = new FileIncidentStore({dir, lockTimeoutMs: 50});
    const usage = {reads: 0, writes: 0};
    await holder.loadCluster('kubeconfig/held', usage);
    await assert.rejects(
      other.update('kubeconfig/held', 'ns/x', () => null, {reads: 0, writes: 0}),
      {name: 'StoreError', code: 'LOCKED'},
    );
    await holder.finishCluster('kubeconfig/held', usage);
    assert.deepEqual(usage, {reads: 1, writes: 0}, 'nothing changed, nothing written');
    await other.update('kubeconfig/held', 'ns/x', () => null, {reads: 0, writes: 0});
  });
});
