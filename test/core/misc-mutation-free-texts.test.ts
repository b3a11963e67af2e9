/**
 * The free texts a cluster writes (functions/core/free-texts.ts), which the pass masks before
 * any decision sees them: every message a Pod, a container, the scheduler, a Job condition or a
 * gone Job's Event carries is replaced; names, reasons and exit codes are not; an absent or
 * blank text is left as it is (there is nothing to mask). Expectations written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mapPodTexts, mapViewTexts, textsOf} from '../../functions/core/free-texts.js';
import type {CronJobView, GoneJobEvent} from '../../functions/core/detector.js';
import type {CronJobInfo, PodInfo, RunVerdict} from '../../functions/core/model.js';

const upper = (text: string) => text.toUpperCase();

function pod(over: Partial<PodInfo>): PodInfo {
  return {
    namespace: 'ns',
    name: 'job-1-abcde',
    jobUid: 'uid-1',
    jobName: 'job-1',
    phase: 'Failed',
    reason: null,
    message: null,
    terminations: [],
    waiting: [],
    unschedulable: null,
    restarts: 0,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...over,
  };
}

function verdict(job: string, message: string | null): RunVerdict {
  return {
    job,
    jobUid: `uid-${job}`,
    outcome: 'failed',
    reason: 'BackoffLimitExceeded',
    message,
    scheduledAt: null,
    startedAt: null,
    finishedAt: null,
    decidedAt: null,
    manual: false,
  };
}

const cronJob: CronJobInfo = {
  uid: 'cj',
  namespace: 'ns',
  name: 'backup',
  schedule: '0 * * * *',
  timeZone: null,
  suspended: false,
  suspendChangedAt: null,
  lastScheduleTime: null,
  lastSuccessfulTime: null,
  activeJobNames: [],
  createdAt: null,
  startingDeadlineSeconds: null,
  concurrencyPolicy: 'Allow',
  failedJobsHistoryLimit: 1,
  jobTtlSecondsAfterFinished: null,
  annotations: {},
};

function view(over: Partial<CronJobView>): CronJobView {
  return {
    type: 'cronjob',
    clusterId: 'c1',
    cronJob,
    runs: [],
    running: [],
    latestScheduledJobAt: null,
    ...over,
  };
}

describe('mapPodTexts', () => {
  it('replaces the Pod’s, the scheduler’s, and every container’s message, nothing else', () => {
    const before = pod({
      reason: 'Evicted',
      message: 'token=abc',
      unschedulable: 'Unschedulable: 0/3 nodes',
      terminations: [
        {container: 'main', reason: 'Error', exitCode: 1, message: 'password=x'},
        {container: 'side', reason: 'Completed', exitCode: 0, message: null},
      ],
      waiting: [
        {container: 'init', reason: 'CreateContainerConfigError', message: 'secret "s" missing'},
        {container: 'two', reason: 'ImagePullBackOff', message: null},
      ],
      restarts: 2,
    });
    assert.deepEqual(mapPodTexts([before], upper), [
      pod({
        reason: 'Evicted',
        message: 'TOKEN=ABC',
        unschedulable: 'UNSCHEDULABLE: 0/3 NODES',
        terminations: [
          {container: 'main', reason: 'Error', exitCode: 1, message: 'PASSWORD=X'},
          {container: 'side', reason: 'Completed', exitCode: 0, message: null},
        ],
        waiting: [
          {container: 'init', reason: 'CreateContainerConfigError', message: 'SECRET "S" MISSING'},
          {container: 'two', reason: 'ImagePullBackOff', message: null},
        ],
        restarts: 2,
      }),
    ]);
  });
  it('never asks about an absent, empty or blank text', () => {
    const asked: string[] = [];
    const before = pod({
      message: '',
      unschedulable: '  \n',
      terminations: [{container: 'main', reason: 'Error', exitCode: 1, message: ' '}],
      waiting: [{container: 'w', reason: 'ErrImagePull', message: null}],
    });
    const after = mapPodTexts([before], text => {
      asked.push(text);
      return 'masked';
    });
    assert.deepEqual(asked, []);
    assert.deepEqual(after, [before]);
  });
});

describe('mapViewTexts', () => {
  const gone: GoneJobEvent = {reason: 'BackoffLimitExceeded', message: 'key=v', succeeded: false};
  const done: GoneJobEvent = {reason: 'Completed', message: null, succeeded: true};
  it('replaces the finished and running runs’ messages and the gone Jobs’ Event messages', () => {
    const before = view({
      runs: [
        {verdict: verdict('a', 'token=1'), atMs: 1},
        {verdict: verdict('b', null), atMs: 2},
      ],
      running: [verdict('c', 'pw=2'), verdict('d', '')],
      events: new Map([
        ['e', gone],
        ['f', done],
      ]),
      details: new Map([['uid-a', 'detail stays']]),
    });
    assert.deepEqual(
      mapViewTexts(before, upper),
      view({
        runs: [
          {verdict: verdict('a', 'TOKEN=1'), atMs: 1},
          {verdict: verdict('b', null), atMs: 2},
        ],
        running: [verdict('c', 'PW=2'), verdict('d', '')],
        events: new Map([
          ['e', {...gone, message: 'KEY=V'}],
          ['f', done],
        ]),
        details: new Map([['uid-a', 'detail stays']]),
      }),
    );
  });
  it('a view without events gets none', () => {
    const after = mapViewTexts(view({runs: [{verdict: verdict('a', 'x'), atMs: 1}]}), upper);
    assert.equal('events' in after, false);
    assert.deepEqual(after, view({runs: [{verdict: verdict('a', 'X'), atMs: 1}]}));
  });
});

describe('textsOf', () => {
  it('the distinct texts to mask, each once (in no particular order)', () => {
    const v = view({
      runs: [
        {verdict: verdict('a', 'one'), atMs: 1},
        {verdict: verdict('b', 'two'), atMs: 2},
        {verdict: verdict('c', 'one'), atMs: 3},
      ],
      running: [verdict('d', '   ')],
      events: new Map([['e', {reason: 'X', message: 'three', succeeded: false}]]),
    });
    assert.deepEqual(textsOf(map => mapViewTexts(v, map)).sort(), ['one', 'three', 'two']);
  });
  it('nothing to mask: an empty list', () => {
    assert.deepEqual(
      textsOf(map => mapPodTexts([pod({})], map)),
      [],
    );
  });
});
