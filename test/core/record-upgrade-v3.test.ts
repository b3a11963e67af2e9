/** Version 3 records: a version-2 record reads as one without the new optional fields. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';

const RUN = {
  job: 'b-1',
  jobUid: 'uid-1',
  manual: false,
  at: null,
  reason: null,
  message: null,
  detail: null,
};
const INCIDENT = {
  kind: 'failing',
  id: 'cj/uid-1',
  openedAt: '2026-03-02T01:06:30.000Z',
  openedBy: RUN,
  latestFailure: RUN,
  failedRuns: 1,
  closedAt: null,
  ending: null,
};
const RECORD = {
  clusterId: 'c',
  subject: {type: 'cronjob', namespace: 'ns', name: 'b', uid: 'cj', schedule: '0 * * * *'},
  watermark: null,
  open: {failing: INCIDENT},
  outbox: [],
  threads: [{incidentId: 'cj/uid-1', channel: 'C0TEAM0001', ts: '1.2'}],
  history: [],
  readFailures: null,
  updatedAt: '2026-03-02T01:30:00.000Z',
};

describe('upgradeRecord: version 3', () => {
  it('this release writes version 9 and reads version 3', () =>
    assert.equal(RECORD_SCHEMA_VERSION, 9));

  it('a version-2 record: no destination, no log (the configured defaults apply)', () => {
    const result = upgradeRecord({...RECORD, schemaVersion: 2});
    assert.ok(result.ok);
    assert.equal(result.record.schemaVersion, RECORD_SCHEMA_VERSION);
    assert.equal(result.record.open.failing?.destination, undefined);
    assert.equal(result.record.open.failing?.log, undefined);
    assert.deepEqual(result.record.threads, RECORD.threads);
  });

  it('a version-3 record keeps its destination, log and muted ending', () => {
    const incident = {
      ...INCIDENT,
      closedAt: '2026-03-02T02:00:00.000Z',
      ending: {type: 'muted', at: '2026-03-02T02:00:00.000Z'},
      destination: {channel: 'C0TEAM0001', language: 'ja', mention: '<!here>', runbook: null},
      log: {pod: 'p', container: 'main', text: 'x', cut: false, unavailable: null},
    };
    const raw = {...RECORD, schemaVersion: 3, open: {}, history: [incident]};
    const result = upgradeRecord(raw);
    assert.ok(result.ok);
    assert.deepEqual(result.record.history[0], incident);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'a destination that is not an object',
      {destination: 'C0TEAM0001'},
      /destination is not an object/,
    ],
    [
      'a destination channel that is not text',
      {destination: {channel: 7}},
      /channel is not a string or null/,
    ],
    [
      'a destination in a language this release has no words for',
      {destination: {channel: null, language: 'fr', mention: null, runbook: null}},
      /language fr is not one this release writes in/,
    ],
    ['a log without its pod', {log: {container: 'main', text: null}}, /pod is not a string/],
    [
      'a log with a reasonless note',
      {log: {pod: 'p', container: 'c', text: null, unavailable: {}}},
      /reason is not a string/,
    ],
  ];
  for (const [name, extra, problem] of bad) {
    it(`refuses ${name}`, () => {
      const result = upgradeRecord({
        ...RECORD,
        schemaVersion: 3,
        open: {failing: {...INCIDENT, ...extra}},
      });
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, problem);
    });
  }
});
