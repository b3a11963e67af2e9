/**
 * The silent failures end to end, through the real clients: the Kubernetes API test server
 * (CronJobs, Jobs, Pods, Events) read by @kubernetes/client-node, the Firestore emulator, and
 * the Slack API test server. A CronJob that did not run, a Forbid CronJob held by a Job stuck
 * in ImagePullBackOff that then fails, and a failure whose Job was deleted at once
 * (`failedJobsHistoryLimit: 0`) but whose events still say why. Only the clock is ours.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeObject} from '../support/kube-fixtures.js';
import {
  jobNameFor,
  suspendManagedFields,
  uidFor,
  type CronJobSpec,
  type RunSpec,
} from '../support/scenario.js';
import type {Logger, Severity} from '../../functions/logger.js';
import {ok, pass, show as showIn, world} from '../support/world.js';
import {useLocalServers} from '../support/local-servers.js';

const NIGHTLY: CronJobSpec = {
  namespace: 'data',
  name: 'nightly-load',
  startingDeadlineSeconds: null,
};
const STUCK: CronJobSpec = {namespace: 'ops', name: 'cache-warmup', startingDeadlineSeconds: null};
const PURGE: CronJobSpec = {
  namespace: 'mail',
  name: 'purge',
  startingDeadlineSeconds: null,
  failedJobsHistoryLimit: 0,
};

const servers = useLocalServers();

/** Puts a CronJob and its runs, with `status` fields overridden as the controller left them. */
function show(spec: CronJobSpec, runs: RunSpec[], status: Record<string, unknown> = {}): void {
  showIn(servers.kube, spec, runs, status);
}

/** An event the Job controller recorded about a Job. */
function jobEvent(job: string, type: string, reason: string, message: string, at: string): void {
  servers.kube.put({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {name: `${job}.${reason}`, namespace: 'mail', creationTimestamp: at},
    involvedObject: {kind: 'Job', namespace: 'mail', name: job, apiVersion: 'batch/v1'},
    reason,
    message,
    type,
    lastTimestamp: at,
  } as unknown as KubeObject);
}

/** A Pod of a running Job whose container cannot pull its image. */
function pullingPod(spec: CronJobSpec, run: RunSpec): KubeObject {
  const job = jobNameFor(spec, run);
  const jobUid = uidFor('job', spec.namespace, job);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${job}-q8w2c`,
      namespace: spec.namespace,
      uid: uidFor('pod', spec.namespace, job),
      creationTimestamp: run.scheduledAt,
      labels: {'batch.kubernetes.io/controller-uid': jobUid, 'batch.kubernetes.io/job-name': job},
    },
    spec: {containers: [{name: 'warm', image: 'registry.example/cache-warmup:v2.4.1-typo'}]},
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'warm',
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: 'Back-off pulling image "registry.example/cache-warmup:v2.4.1-typo"',
            },
          },
        },
      ],
    },
  };
}

function posts() {
  return servers.slack.accepted().filter(c => c.method === 'chat.postMessage');
}
function text(call: {text: string | null; blocks: unknown[] | null}): string {
  return `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
}

describe('silent failures end to end (Kubernetes test server + Firestore emulator + Slack API)', () => {
  it('a run that did not start: one message, a quiet pass writes nothing, a late start closes it', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(NIGHTLY, [ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z')]);
    const first = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(first.transitions, []);

    const missed = await pass(w, '2026-03-02T02:15:00Z');
    assert.deepEqual(
      missed.transitions.map(t => `${t.incidentKind}:${t.kind}`),
      ['missed:opened'],
    );
    assert.equal(posts().length, 1);
    assert.match(
      text(posts()[0]!),
      /data\/nightly-load did not start <!date\^\d+\^[^|]+\|Mar 2, 02:00 UTC> \(due every hour\)/,
    );

    const quiet = await pass(w, '2026-03-02T02:20:00Z');
    assert.equal(quiet.store.writes, 0, 'a quiet pass writes nothing');
    assert.equal(servers.slack.calls.length, 1, 'and sends nothing');

    show(NIGHTLY, [
      ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z'),
      {scheduledAt: '2026-03-02T02:00:00Z', outcome: 'running'},
    ]);
    const late = await pass(w, '2026-03-02T02:40:00Z');
    assert.deepEqual(
      late.transitions.map(t => `${t.incidentKind}:${t.kind}`),
      ['missed:closed'],
    );
    const reply = posts().at(-1)!;
    assert.equal(reply.thread_ts, posts()[0]!.ts, 'the closing reply is in the thread');
    assert.match(text(reply), /Runs resumed after/);
    await w.close();
  });

  it('a Forbid CronJob held by a Job in ImagePullBackOff: one incident; its failure continues the thread', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const hung: RunSpec = {scheduledAt: '2026-03-02T00:00:00Z', outcome: 'running'};
    show(STUCK, [hung]);
    servers.kube.put(pullingPod(STUCK, hung));
    const stuck = await pass(w, '2026-03-02T05:01:00Z');
    assert.deepEqual(
      stuck.transitions.map(t => `${t.incidentKind}:${t.kind}`),
      ['running-too-long:opened'],
      'one incident, not a missed one too',
    );
    const opening = posts()[0]!;
    assert.match(text(opening), /ops\/cache-warmup stuck \S+( \S+)?: ImagePullBackOff/);
    assert.match(text(opening), /Runs blocked/);

    show(STUCK, [
      {
        scheduledAt: '2026-03-02T00:00:00Z',
        outcome: 'failed',
        finishedAt: '2026-03-02T05:10:00Z',
        reason: 'DeadlineExceeded',
      },
    ]);
    const failed = await pass(w, '2026-03-02T05:15:00Z');
    assert.deepEqual(failed.transitions.map(t => `${t.incidentKind}:${t.kind}`).sort(), [
      'failing:opened',
      'running-too-long:closed',
    ]);
    const after = posts();
    assert.equal(after.filter(c => c.thread_ts === null).length, 1, 'no second top-level message');
    const reply = after.at(-1)!;
    assert.equal(reply.thread_ts, opening.ts);
    assert.match(reply.text ?? '', /^🐢→🔴 killed after \S+( \S+)?: DeadlineExceeded$/, 'one line');
    const update = servers.slack.accepted().find(c => c.method === 'chat.update');
    assert.equal(update?.ts, opening.ts, 'the top message now shows the failure');
    // …and keeps the story: it was stuck first.
    assert.match(
      JSON.stringify(update?.blocks),
      /🐢 Stuck since .*: ImagePullBackOff; killed after/,
    );
    await w.close();
  });

  it('a failure whose Job is already gone: counted, with the reason from its events', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(PURGE, [ok('2026-03-02T01:00:00Z', '2026-03-02T01:02:00Z')]);
    await pass(w, '2026-03-02T01:30:00Z');
    // The 02:00 run failed; failedJobsHistoryLimit: 0 deleted its Job at once.
    show(PURGE, [], {
      lastScheduleTime: '2026-03-02T02:00:00Z',
      lastSuccessfulTime: '2026-03-02T01:02:00Z',
    });
    const job = jobNameFor(PURGE, {scheduledAt: '2026-03-02T02:00:00Z', outcome: 'failed'});
    jobEvent(job, 'Normal', 'SuccessfulCreate', 'Created pod', '2026-03-02T02:00:01Z');
    jobEvent(
      job,
      'Warning',
      'BackoffLimitExceeded',
      'Job has reached the specified backoff limit',
      '2026-03-02T02:03:00Z',
    );
    const s = await pass(w, '2026-03-02T02:10:00Z');
    assert.deepEqual(
      s.transitions.map(t => `${t.incidentKind}:${t.kind}:${t.job}`),
      [`failing:opened:${job}`],
    );
    const message = text(posts()[0]!);
    assert.match(message, /BackoffLimitExceeded/);
    assert.match(message, /Job already deleted/);
    assert.match(message, /failedJobsHistoryLimit: 0/);
    assert.equal((await pass(w, '2026-03-02T02:20:00Z')).transitions.length, 0, 'counted once');

    // The 03:00 run succeeded, but ttlSecondsAfterFinished: 0 deleted its Job before the
    // CronJob controller recorded the success: only the Job's Completed event tells.
    show(PURGE, [], {
      lastScheduleTime: '2026-03-02T03:00:00Z',
      lastSuccessfulTime: '2026-03-02T01:02:00Z',
    });
    const fixer = jobNameFor(PURGE, {scheduledAt: '2026-03-02T03:00:00Z', outcome: 'succeeded'});
    jobEvent(fixer, 'Normal', 'Completed', 'Job completed', '2026-03-02T03:04:00Z');
    const fixed = await pass(w, '2026-03-02T03:10:00Z');
    assert.deepEqual(
      fixed.transitions.map(t => `${t.incidentKind}:${t.kind}`),
      ['failing:closed'],
    );
    assert.match(
      text(posts().at(-1)!),
      new RegExp(`Recovered after \\S+: ${fixer} \\(Job already deleted\\) succeeded`),
    );
    await w.close();
  });

  it('thresholds by annotation: missed-grace holds a missed run back, max-duration shortens the limit', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const patient: CronJobSpec = {
      ...NIGHTLY,
      name: 'patient-load',
      annotations: {'cronjob-watcher/missed-grace': '2h'},
    };
    const daily: CronJobSpec = {
      ...STUCK,
      name: 'daily-warmup',
      schedule: '0 0 * * *',
      annotations: {'cronjob-watcher/max-duration': '30m'},
    };
    show(patient, [ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z')]);
    show(daily, [{scheduledAt: '2026-03-02T00:00:00Z', outcome: 'running'}]);
    assert.deepEqual((await pass(w, '2026-03-02T00:20:00Z')).transitions, []);

    // 02:00 was due; the default 10 minutes would have opened a missed incident by 02:15
    // (the first test), and a day-long period would let the warm-up run till midnight.
    const early = await pass(w, '2026-03-02T02:15:00Z');
    assert.deepEqual(
      early.transitions.map(t => `${t.incidentKind}:${t.kind} ${t.name}`),
      ['running-too-long:opened daily-warmup'],
    );
    assert.ok(text(posts()[0]!).includes('*Limit*\\n30m (cronjob-watcher/max-duration)'));

    const late = await pass(w, '2026-03-02T04:05:00Z');
    assert.deepEqual(
      late.transitions.map(t => `${t.incidentKind}:${t.kind} ${t.name}`),
      ['missed:opened patient-load'],
      'two hours after 02:00, the grace is over',
    );
    await w.close();
  });
  it('a week suspended, then resumed: counted from the resumption the managed fields tell', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    // Suspended on 2 March after its 00:00 run, resumed by `kubectl patch` on 9 March 00:20.
    const resumed: CronJobSpec = {
      ...NIGHTLY,
      name: 'resumed-load',
      startingDeadlineSeconds: 60,
      managedFields: suspendManagedFields('2026-01-01T00:00:00Z', '2026-03-09T00:20:00Z'),
    };
    show(resumed, [ok('2026-03-02T00:00:00Z', '2026-03-02T00:04:00Z')]);
    assert.deepEqual((await pass(w, '2026-03-09T00:30:00Z')).transitions, [], 'no false alarm');
    // The first run due after the resumption did not start: that one is missed.
    const missed = await pass(w, '2026-03-09T01:11:00Z');
    assert.deepEqual(
      missed.transitions.map(t => `${t.incidentKind}:${t.kind} ${t.name}`),
      ['missed:opened resumed-load'],
    );
    assert.match(
      text(posts()[0]!),
      /data\/resumed-load did not start <!date\^\d+\^[^|]+\|Mar 9, 01:00 UTC> \(due every hour\)/,
    );
    await w.close();
  });

  it('a Forbid CronJob held by a suspended Job: running too long until the Job resumes and ends', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const queued: CronJobSpec = {...STUCK, name: 'queued-warmup'};
    const held: RunSpec = {
      scheduledAt: '2026-03-02T00:00:00Z',
      outcome: 'running',
      suspendedSince: '2026-03-02T00:00:05Z',
    };
    const active = (spec: CronJobSpec) => ({
      active: [{kind: 'Job', name: jobNameFor(spec, held), namespace: spec.namespace}],
      lastScheduleTime: held.scheduledAt,
    });
    show(queued, [held], active(queued));
    // The same Job under Allow blocks nothing.
    const allowed: CronJobSpec = {...queued, name: 'queued-allowed', concurrencyPolicy: 'Allow'};
    show(allowed, [held], {
      ...active(allowed),
      lastScheduleTime: '2026-03-02T03:00:00Z',
      lastSuccessfulTime: '2026-03-02T03:02:00Z',
    });
    const s = await pass(w, '2026-03-02T03:05:00Z');
    assert.deepEqual(
      s.transitions.map(t => `${t.incidentKind}:${t.kind} ${t.name}`),
      ['running-too-long:opened queued-warmup'],
    );
    const opening = text(posts()[0]!);
    assert.match(opening, /🐢 ops\/queued-warmup blocked: /);
    assert.match(
      opening,
      new RegExp(`Job ${jobNameFor(queued, held)} is suspended and has blocked 3 runs`),
    );

    // Resumed, then finished.
    const finished: RunSpec = {
      scheduledAt: held.scheduledAt,
      outcome: 'succeeded',
      finishedAt: '2026-03-02T03:20:00Z',
    };
    show(queued, [finished], {lastScheduleTime: held.scheduledAt});
    const done = await pass(w, '2026-03-02T03:25:00Z');
    assert.deepEqual(
      done.transitions.map(t => `${t.incidentKind}:${t.kind} ${t.name}`),
      ['running-too-long:closed queued-warmup'],
    );
    await w.close();
  });

  it('a schedule it cannot read is in the summary and logged once per pass, naming the CronJob', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show({...NIGHTLY, name: 'typo-load', schedule: '0 * * *'}, []);
    show({...NIGHTLY, name: 'quarter-load', schedule: '0/15 * * * *'}, []);
    const warnings: string[] = [];
    const logger: Logger = {
      log: (severity: Severity, message: string) => {
        if (severity === 'WARNING') warnings.push(message);
      },
    };
    const s = await pass(w, '2026-03-02T01:30:00Z', {logger});
    assert.deepEqual(
      s.scheduleProblems.map(p => `${p.cluster} ${p.namespace}/${p.name}`),
      ['prod-eu data/typo-load'],
    );
    assert.match(s.scheduleProblems[0]!.problem, /does not have five fields/);
    const named = warnings.filter(m => m.includes('data/typo-load'));
    assert.equal(named.length, 1, warnings.join('\n'));
    assert.match(named[0]!, /not watched for missed or overlong runs/);
    await w.close();
  });
});
