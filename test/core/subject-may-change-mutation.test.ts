/**
 * subjectMayChange with a policy as a pass builds it (issue 27): `policiesOf` writes
 * `ignore: false` for every CronJob not annotated, and a reminder due must still make the record
 * worth loading (reminders.test.ts builds its policies without the field).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, subjectMayChange} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {markDelivered} from '../../functions/core/outbox.js';
import {policiesOf} from '../../functions/core/policy.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE} from './builders.js';

const DAY = 24 * 3_600_000;

describe('subjectMayChange: a reminder due, with the policy a pass builds', () => {
  const cj = cronJob({schedule: QUIET_SCHEDULE, lastScheduleTime: at(0)});
  const policy = policiesOf('prod', [cj], {
    clusterDownAfter: 3,
    language: 'en',
    routes: [],
  }).policyOf('batch/backup');
  const view: CronJobView = {
    type: 'cronjob',
    clusterId: 'kubeconfig/test',
    cronJob: cj,
    runs: finishedRunsOf([failedJob({name: 'backup-0', scheduled: 0})]),
    running: [],
    latestScheduledJobAt: at(0),
  };

  it('the policy says "not ignored" in so many words', () => assert.equal(policy.ignore, false));

  it('a day after the failure opened (at minute 5): true; a minute before: false', () => {
    const d = decideSubject(null, view, policy, at(10), null);
    assert.ok(d);
    const opening = d.record.outbox[0]!;
    const record = markDelivered(
      d.record,
      opening.id,
      {incidentId: opening.incident.id, channel: 'C1', ts: '1.1'},
      at(11),
    );
    assert.ok(record);
    const known = {watermark: record.watermark, record};
    const openedMs = at(5).getTime();
    assert.equal(subjectMayChange(view, known, policy, new Date(openedMs + DAY - 60_000)), false);
    assert.equal(subjectMayChange(view, known, policy, new Date(openedMs + DAY)), true);
  });
});
