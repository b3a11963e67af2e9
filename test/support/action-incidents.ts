/**
 * One open incident of each kind, for the tests of acknowledging and snoozing
 * (test/core/actions-mutation-*.test.ts): each kind's count is a different number, so a test
 * can tell which count was read.
 */
import type {
  ClusterUnreadableIncident,
  FailingIncident,
  FinishedTooFastIncident,
  Incident,
  IncidentKind,
  MissedIncident,
  RunningTooLongIncident,
  SlowerThanUsualIncident,
} from '../../functions/core/incident.js';
import {OPEN_INCIDENT} from './notification-fixtures.js';

const OPENED_AT = '2026-03-02T08:00:00.000Z';
const BASE = {openedAt: OPENED_AT, closedAt: null, ending: null};

export const FAILING: FailingIncident = {
  ...OPEN_INCIDENT,
  ...BASE,
  id: 'cj/failing',
  failedRuns: 3,
};
export const MISSED: MissedIncident = {
  ...BASE,
  kind: 'missed',
  id: 'cj/missed',
  schedule: '0 * * * *',
  timeZone: 'UTC',
  firstDueAt: OPENED_AT,
  latestDueAt: '2026-03-02T09:00:00.000Z',
  missedRuns: 5,
  lastStartedAt: null,
};
export const STUCK: RunningTooLongIncident = {
  ...BASE,
  kind: 'running-too-long',
  id: 'cj/stuck',
  job: 'etl-1',
  jobUid: 'uid-etl-1',
  manual: false,
  startedAt: '2026-03-02T07:00:00.000Z',
  limitMs: 3_600_000,
  limitFrom: 'schedule',
  podDetail: null,
  blockedRuns: 7,
};
export const UNREADABLE: ClusterUnreadableIncident = {
  ...BASE,
  kind: 'cluster-unreadable',
  id: 'cluster:c1@2026-03-02T08:00:00.000Z',
  firstError: {at: OPENED_AT, code: '403', message: 'forbidden'},
  latestError: {at: OPENED_AT, code: '403', message: 'forbidden'},
  failedReads: 11,
};
export const FAST: FinishedTooFastIncident = {
  ...BASE,
  kind: 'finished-too-fast',
  id: 'cj/fast',
  job: 'rollup-1',
  jobUid: 'uid-rollup-1',
  manual: false,
  durationMs: 8_000,
  usualMs: 252_000,
  floorMs: 75_600,
  floorFrom: 'learned',
  fastRuns: 13,
};
export const SLOW: SlowerThanUsualIncident = {
  ...BASE,
  kind: 'slower-than-usual',
  id: 'cj/slow',
  job: 'load-1',
  jobUid: 'uid-load-1',
  manual: false,
  startedAt: '2026-03-02T07:13:00.000Z',
  usualMs: 720_000,
  limitMs: 2_820_000,
};

/** The count each kind keeps while open, as the incidents above hold it. */
export const KINDS: Array<{kind: IncidentKind; incident: Incident; count: number}> = [
  {kind: 'failing', incident: FAILING, count: 3},
  {kind: 'missed', incident: MISSED, count: 5},
  {kind: 'running-too-long', incident: STUCK, count: 7},
  {kind: 'cluster-unreadable', incident: UNREADABLE, count: 11},
  {kind: 'finished-too-fast', incident: FAST, count: 13},
  // One run that goes on: nothing is counted while it does.
  {kind: 'slower-than-usual', incident: SLOW, count: 0},
];
