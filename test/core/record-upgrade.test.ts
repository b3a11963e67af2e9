/**
 * Records as release 0.1.0 stored them (test/fixtures/stored-v1, written by that release's
 * code) come back in today's shape with nothing lost: open incidents stay open, pending
 * messages stay pending, threads stay where the opening messages are.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {RECORD_SCHEMA_VERSION, type SubjectRecord} from '../../functions/core/incident.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';

const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/stored-v1',
);

function load(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** The records of both stores' fixtures, by record key. */
function storedRecords(): Array<{store: string; records: Map<string, unknown>}> {
  const file = load('file-store.json') as {records: Record<string, unknown>};
  const firestore = load('firestore-store.json');
  const fromFirestore = new Map<string, unknown>();
  for (const [docPath, data] of Object.entries(firestore)) {
    const match = /\/cronjobWatcherRecords\/(.+)$/.exec(docPath);
    if (match === null) continue;
    const {expireAt: _expireAt, ...record} = data as Record<string, unknown>;
    fromFirestore.set(decodeURIComponent(match[1] ?? ''), record);
  }
  return [
    {store: 'file', records: new Map(Object.entries(file.records))},
    {store: 'firestore', records: new Map(fromFirestore)},
  ];
}

function upgraded(raw: unknown): SubjectRecord {
  const result = upgradeRecord(raw);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.record;
}

for (const {store, records} of storedRecords()) {
  describe(`upgradeRecord: release 0.1.0 records of the ${store} store`, () => {
    it('holds the four records the fixture describes', () => {
      assert.deepEqual([...records.keys()].sort(), [
        '/',
        'backups/db-backup',
        'mail/digest',
        'reports/rollup',
      ]);
    });

    it('an open, announced failing incident stays open, counted, threaded', () => {
      const record = upgraded(records.get('backups/db-backup'));
      assert.equal(record.schemaVersion, RECORD_SCHEMA_VERSION);
      assert.deepEqual(record.subject, {
        type: 'cronjob',
        namespace: 'backups',
        name: 'db-backup',
        uid: '0a4bc1b0-0000-4000-8000-0a4bc1b00a4b',
        schedule: '0 * * * *',
      });
      const open = record.open.failing;
      assert.equal(open?.kind, 'failing');
      assert.equal(open?.failedRuns, 2);
      assert.equal(open?.openedAt, '2026-03-02T01:06:30.000Z');
      assert.equal(open?.latestFailure.reason, 'DeadlineExceeded');
      assert.equal(open?.ending, null);
      assert.deepEqual(record.outbox, []);
      assert.deepEqual(
        record.threads.map(t => t.incidentId),
        [open?.id],
      );
      assert.equal(record.watermark?.job, 'db-backup-29540280');
    });

    it('a pending opening message stays pending, with its attempts and error', () => {
      const record = upgraded(records.get('mail/digest'));
      assert.equal(record.outbox.length, 1);
      const pending = record.outbox[0];
      assert.equal(pending?.kind, 'opened');
      assert.equal(pending?.attempts, 2);
      assert.match(pending?.lastError ?? '', /not_in_channel|invite/i);
      assert.equal(pending?.incident.kind, 'failing');
      assert.equal(pending?.incident.id, record.open.failing?.id);
      assert.equal(pending?.claim, null);
    });

    it('a closed incident in history keeps the run that fixed it as its ending', () => {
      const record = upgraded(records.get('reports/rollup'));
      assert.deepEqual(record.open, {});
      const closed = record.history[0];
      assert.equal(closed?.kind, 'failing');
      assert.equal(closed?.ending?.type, 'succeeded');
      assert.equal(
        closed?.ending?.type === 'succeeded' ? closed.ending.run.job : null,
        'rollup-29540220',
      );
      assert.equal(closed?.closedAt, closed?.ending?.at);
    });

    it('the cluster record becomes a cluster subject with a cluster-unreadable incident', () => {
      const record = upgraded(records.get('/'));
      assert.deepEqual(record.subject, {type: 'cluster'});
      const open = record.open['cluster-unreadable'];
      assert.equal(open?.id, 'cluster:kubeconfig/reliability@2026-03-02T03:30:00.000Z');
      assert.equal(open?.failedReads, 1);
      assert.equal(open?.latestError.code, 'SERVER_ERROR');
      assert.match(open?.latestError.message ?? '', /failed to list cronjobs/);
      assert.equal(record.readFailures?.count, 1);
      assert.equal(record.open.failing, undefined);
    });

    it("reading today's shape back gives the same record", () => {
      for (const raw of records.values()) {
        const record = upgraded(raw);
        assert.deepEqual(upgraded(JSON.parse(JSON.stringify(record))), record);
      }
    });
  });
}

describe('upgradeRecord refuses what it cannot read, saying why', () => {
  const v1 = (load('file-store.json') as {records: Record<string, Record<string, unknown>>})
    .records['backups/db-backup'];
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'x', /not an object/],
    ['a newer schema', {...v1, schemaVersion: 99}, /schema version 99.*upgrade the watcher/],
    ['no clusterId', {...v1, clusterId: 7}, /clusterId/],
    ['a bad outbox', {...v1, outbox: 'x'}, /outbox/],
    ['an unknown notification kind', {...v1, outbox: [{kind: 'shouted'}]}, /kind shouted/],
    [
      'a v2 record with an unknown subject',
      {schemaVersion: 2, subject: {type: 'pod'}},
      /subject type pod/,
    ],
    [
      'a v2 record whose open slot holds another kind',
      {
        schemaVersion: 2,
        clusterId: 'c',
        subject: {type: 'cluster'},
        open: {failing: {kind: 'cluster-unreadable', id: 'x', openedAt: 'y'}},
        updatedAt: 'z',
      },
      /open\.failing holds a cluster-unreadable incident/,
    ],
  ];
  for (const [name, raw, problem] of cases) {
    it(name, () => {
      const result = upgradeRecord(raw);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, problem);
    });
  }
});
