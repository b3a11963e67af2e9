/**
 * Why a Job failed or is stuck, from its Pods (functions/core/explain.ts), as its rules say:
 * one line per distinct cause, the newest Pod first, at most three then "and N more"; a clean
 * exit (code 0, no reason or `Completed`) and a termination nothing is known about are no
 * cause; `ContainerCreating` and `PodInitializing` are a normal start. Expectations written out
 * by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {explainFailure, explainStuck} from '../../functions/core/explain.js';
import type {ContainerTermination, ContainerWaiting, PodInfo} from '../../functions/core/model.js';

function pod(name: string, created: string | null, over: Partial<PodInfo> = {}): PodInfo {
  return {
    namespace: 'batch',
    name,
    jobUid: 'u',
    jobName: 'job-1',
    phase: 'Failed',
    reason: null,
    message: null,
    terminations: [],
    waiting: [],
    unschedulable: null,
    restarts: 0,
    createdAt: created === null ? null : new Date(created),
    ...over,
  };
}

function ended(
  container: string,
  reason: string | null,
  exitCode: number | null,
): ContainerTermination {
  return {container, reason, exitCode, message: null};
}

function waiting(container: string, reason: string, message: string | null): ContainerWaiting {
  return {container, reason, message};
}

describe('explainFailure', () => {
  it('a Pod’s own reason, with its message when it has one', () => {
    assert.equal(
      explainFailure([
        pod('p', '2026-01-01T00:00:00Z', {
          reason: 'Evicted',
          message: 'The node was low on resource: memory.',
        }),
      ]),
      'pod Evicted: The node was low on resource: memory.',
    );
    assert.equal(
      explainFailure([pod('p', '2026-01-01T00:00:00Z', {reason: 'Evicted', message: ''})]),
      'pod Evicted',
    );
  });
  it('which terminations are a cause, and how each reads', () => {
    const terminations = [
      ended('clean', null, 0),
      ended('done', 'Completed', 0),
      ended('unknown', null, null),
      ended('zero-error', 'Error', 0),
      ended('no-code', 'ContainerStatusUnknown', null),
    ];
    assert.equal(
      explainFailure([pod('p', '2026-01-01T00:00:00Z', {terminations})]),
      'container zero-error: Error (exit 0); container no-code: ContainerStatusUnknown',
    );
    assert.equal(
      explainFailure([pod('p', '2026-01-01T00:00:00Z', {terminations: [ended('m', null, 2)]})]),
      'container m: terminated (exit 2)',
    );
  });
  it('nothing but clean exits: no explanation', () => {
    assert.equal(
      explainFailure([
        pod('p', '2026-01-01T00:00:00Z', {
          terminations: [ended('a', null, 0), ended('b', 'Completed', 0)],
        }),
      ]),
      null,
    );
  });
  it('the newest Pod first; a Pod with no creation time counts as the oldest', () => {
    const pods = [
      pod('undated', null, {terminations: [ended('main', 'Undated', 3)]}),
      pod('old', '2026-01-01T00:00:00Z', {terminations: [ended('main', 'Error', 1)]}),
      pod('new', '2026-01-01T00:05:00Z', {terminations: [ended('main', 'OOMKilled', 137)]}),
    ];
    assert.equal(
      explainFailure(pods),
      'container main: OOMKilled (exit 137); container main: Error (exit 1); container main: Undated (exit 3)',
    );
  });
  it('each cause once; three shown, then how many more', () => {
    const pods = [1, 2, 3, 4, 5].map(i =>
      pod(`p${i}`, `2026-01-01T00:0${i}:00Z`, {
        terminations: [ended('main', 'Error', i), ended('side', 'Error', 1)],
      }),
    );
    // Newest first: exit 5, side's exit 1 (once for all five Pods), 4, 3, 2, and main's exit 1.
    assert.equal(
      explainFailure(pods),
      'container main: Error (exit 5); container side: Error (exit 1); container main: Error (exit 4); and 3 more',
    );
    assert.equal(
      explainFailure(pods.slice(0, 2)),
      'container main: Error (exit 2); container side: Error (exit 1); container main: Error (exit 1)',
    );
    assert.equal(
      explainFailure(pods.slice(0, 3)),
      'container main: Error (exit 3); container side: Error (exit 1); container main: Error (exit 2); and 1 more',
    );
  });
});

describe('explainStuck', () => {
  it('a Pod that cannot be scheduled, a container that cannot start, restarts', () => {
    assert.equal(
      explainStuck([
        pod('p', '2026-01-01T00:00:00Z', {
          phase: 'Pending',
          unschedulable: 'Unschedulable: 0/3 nodes are available',
        }),
      ]),
      'pod p: Unschedulable: 0/3 nodes are available',
    );
    assert.equal(
      explainStuck([
        pod('p', '2026-01-01T00:00:00Z', {
          waiting: [
            waiting('init', 'PodInitializing', null),
            waiting('main', 'ImagePullBackOff', 'Back-off pulling image "x"'),
            waiting('side', 'ContainerCreating', null),
            waiting('cfg', 'CreateContainerConfigError', ''),
          ],
          restarts: 4,
        }),
      ]),
      'container main: ImagePullBackOff (Back-off pulling image "x"); container cfg: CreateContainerConfigError; pod p: 4 restarts',
    );
  });
  it('every Pod simply running: no explanation', () => {
    assert.equal(
      explainStuck([
        pod('p', '2026-01-01T00:00:00Z', {
          phase: 'Running',
          waiting: [waiting('side', 'ContainerCreating', null)],
        }),
      ]),
      null,
    );
    assert.equal(explainStuck([]), null);
  });
  it('the newest Pod first, each cause once, three shown then how many more', () => {
    const pull = waiting('main', 'ErrImagePull', null);
    const pods = [
      pod('undated', null, {restarts: 3}),
      pod('a', '2026-01-01T00:01:00Z', {waiting: [pull], restarts: 2}),
      pod('b', '2026-01-01T00:02:00Z', {waiting: [pull]}),
    ];
    assert.equal(
      explainStuck(pods),
      'container main: ErrImagePull; pod a: 2 restarts; pod undated: 3 restarts',
    );
    const more = [...pods, pod('c', '2026-01-01T00:03:00Z', {unschedulable: 'no nodes'})];
    assert.equal(
      explainStuck(more),
      'pod c: no nodes; container main: ErrImagePull; pod a: 2 restarts; and 1 more',
    );
  });
});
