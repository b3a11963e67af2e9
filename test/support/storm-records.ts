/**
 * Records of the storm tests' CronJobs: `batch/<name>` in cluster `kubeconfig/prod`, hourly, and
 * their failing incidents, on the morning of 2 March 2026.
 */
import type {FailingIncident, SubjectRecord} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';

/** A failing incident of CronJob `batch/<name>` opened at `openedAt`, closed at `closedAt`. */
export function failing(
  name: string,
  openedAt = '2026-03-02T01:06:00.000Z',
  closedAt: string | null = null,
  extra: Partial<FailingIncident> = {},
): FailingIncident {
  const run = {
    job: `${name}-1`,
    jobUid: `uid-${name}-1`,
    manual: false,
    at: openedAt,
    reason: 'BackoffLimitExceeded',
    message: null,
    detail: null,
  };
  return {
    kind: 'failing',
    id: `uid-${name}/${name}-1`,
    openedAt,
    closedAt,
    ending: closedAt === null ? null : {type: 'run', run: {...run, at: closedAt}},
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    ...extra,
  } as FailingIncident;
}

/** The record of CronJob `batch/<name>`, nothing open or kept, with `parts` over it. */
export function cronJob(name: string, parts: Partial<SubjectRecord> = {}): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/prod',
    subject: {type: 'cronjob', namespace: 'batch', name, uid: `uid-${name}`, schedule: '0 * * * *'},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:50:00.000Z',
    ...parts,
  };
}
