/**
 * Version 5 records (the run history): what schema version 3 wrote — documents written by that
 * release's code (test/fixtures/stored-v3), in both stores — reads as today's shape with an
 * empty history, everything else as it was; a history that is not one is refused.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';

const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/stored-v3',
);
function fixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
}

/** Every stored record of a fixture, by `namespace/name`, as the store holds it. */
function storedRecords(kind: 'file' | 'firestore'): Map<string, Record<string, unknown>> {
  if (kind === 'file') {
    const records = fixture('file-store.json')['records'] as Record<
      string,
      Record<string, unknown>
    >;
    return new Map(Object.entries(records));
  }
  const records = new Map<string, Record<string, unknown>>();
  for (const [docPath, data] of Object.entries(fixture('firestore-store.json'))) {
    const m = /\/cronjobWatcherRecords\/(.+)$/.exec(docPath);
    if (m === null) continue;
    const {expireAt: _expireAt, ...record} = data as Record<string, unknown>;
    records.set(decodeURIComponent(m[1]!), record);
  }
  return records;
}

for (const kind of ['file', 'firestore'] as const) {
  describe(`upgradeRecord: version 3 as the ${kind} store holds it`, () => {
    const stored = storedRecords(kind);

    it('holds the four records the fixture describes, all version 3', () => {
      assert.deepEqual([...stored.keys()].sort(), [
        'backups/db-backup',
        'etl/load',
        'mail/digest',
        'reports/rollup',
      ]);
      for (const record of stored.values()) assert.equal(record['schemaVersion'], 3);
    });

    for (const [key, raw] of stored) {
      it(`${key}: today's version, an empty history, every other field as stored`, () => {
        const result = upgradeRecord(raw);
        assert.ok(result.ok, result.ok ? '' : result.problem);
        const {schemaVersion, runs, ...rest} = result.record;
        assert.equal(schemaVersion, RECORD_SCHEMA_VERSION);
        assert.deepEqual(runs, []);
        const {schemaVersion: _v, ...storedRest} = raw;
        assert.deepEqual(rest, storedRest);
      });
    }

    it('the open incidents are the ones the fixture describes', () => {
      const open = (key: string) => {
        const result = upgradeRecord(stored.get(key));
        return result.ok ? Object.keys(result.record.open) : [result.problem];
      };
      assert.deepEqual(open('backups/db-backup'), ['failing']);
      assert.deepEqual(open('etl/load'), ['running-too-long']);
      assert.deepEqual(open('mail/digest'), ['failing']);
      assert.deepEqual(open('reports/rollup'), []);
    });
  });
}

describe('upgradeRecord: version 4 as main wrote it (test/fixtures/stored-v4)', () => {
  const raw = JSON.parse(
    readFileSync(path.join(FIXTURES, '../stored-v4/record.json'), 'utf8'),
  ) as Record<string, unknown>;

  it("reads as today's version (5: the run history) without history, the suspended Job kept", () => {
    assert.equal(raw['schemaVersion'], 4);
    const result = upgradeRecord(raw);
    assert.ok(result.ok, result.ok ? '' : result.problem);
    const {schemaVersion, runs, ...rest} = result.record;
    assert.equal(schemaVersion, RECORD_SCHEMA_VERSION);
    assert.deepEqual(runs, []);
    const {schemaVersion: _v, ...storedRest} = raw;
    assert.deepEqual(rest, storedRest);
    assert.equal(result.record.open['running-too-long']?.suspended, true);
  });
});

describe('upgradeRecord: version 5', () => {
  const base = storedRecords('file').get('reports/rollup')!;
  const run = {
    job: 'rollup-29540100',
    outcome: 'succeeded',
    scheduledAt: '2026-03-02T01:00:00.000Z',
    startedAt: '2026-03-02T01:00:02.000Z',
    durationMs: 238_000,
  };

  it('keeps a history as written', () => {
    const missed = {
      job: '',
      outcome: 'missed',
      scheduledAt: '2026-03-02T02:00:00.000Z',
      startedAt: null,
      durationMs: null,
    };
    const manual = {...run, job: 'rollup-manual', scheduledAt: null, manual: true};
    const result = upgradeRecord({...base, schemaVersion: 5, runs: [run, missed, manual]});
    assert.ok(result.ok);
    assert.deepEqual(result.record.runs, [run, missed, manual]);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a history that is not a list', {job: 'x'}, /runs is not a list/],
    ['a run that is not an object', ['x'], /run is not an object/],
    [
      'an outcome no release writes',
      [{...run, outcome: 'skipped'}],
      /run outcome skipped is unknown/,
    ],
    ['a duration that is text', [{...run, durationMs: '4m'}], /durationMs is not a number or null/],
    ['a run without its Job', [{...run, job: undefined}], /job is not a string/],
  ];
  for (const [name, runs, problem] of bad) {
    it(`refuses ${name}`, () => {
      const result = upgradeRecord({...base, schemaVersion: 5, runs});
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, problem);
    });
  }

  it('reads version 6 (acknowledge and snooze), 7 (storms), 8 (reminders) and 9 (storm actions), and refuses 10', () => {
    assert.equal(upgradeRecord({...base, schemaVersion: 6}).ok, true);
    assert.equal(upgradeRecord({...base, schemaVersion: 7}).ok, true);
    assert.equal(upgradeRecord({...base, schemaVersion: 8}).ok, true);
    assert.equal(upgradeRecord({...base, schemaVersion: 9}).ok, true);
    const result = upgradeRecord({...base, schemaVersion: 10});
    assert.equal(result.ok, false);
  });
});
