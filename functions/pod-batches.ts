/**
 * Pod lookups of one cluster's pass in batches. The plan says up front which runs the pass will
 * explain, so when the first of them is asked for, the Pods of up to `JOBS_PER_BATCH` of them in
 * its namespace are listed at once (`ClusterReader.podsOfJobs`) instead of one listing per Job.
 * A batch is fetched only when one of its Jobs is asked for, in the plan's order, so a pass
 * still reads a CronJob's Pods just before it decides that CronJob; each Job's Pods are dropped
 * once handed out. A batch that fails changes nothing but the request count: each of its Jobs
 * is then asked for alone, and that answer (or error) is what the caller gets.
 */
import {describeError} from './core/errors.js';
import type {PodInfo} from './core/model.js';
import type {Evaluate} from './core/plan.js';
import type {Logger} from './logger.js';
import type {ClusterReader} from './ports.js';

// As many Jobs as the reader lists at once (`JOBS_PER_POD_LISTING`): one request per batch.
const JOBS_PER_BATCH = 50;

type JobKey = {namespace: string; name: string; uid: string};

/** `reader` with `podsOfJob` answered from batches (null for a cluster that was not read). */
export function batchPodLookups(
  reader: ClusterReader | null,
  evaluate: readonly Evaluate[],
  logger: Logger,
): ClusterReader | null {
  if (reader === null) return null;
  const podsOfJobs: ClusterReader['podsOfJobs'] = (namespace, jobs, deadline) =>
    reader.podsOfJobs(namespace, jobs, deadline);
  // Jobs in no batch yet, per namespace, in the plan's order.
  const waiting = new Map<string, JobKey[]>();
  for (const item of evaluate) {
    for (const job of item.podsOf)
      waiting.set(job.namespace, [...(waiting.get(job.namespace) ?? []), job]);
  }
  const batchOf = new Map<string, Promise<Map<string, PodInfo[]> | null>>();
  const startBatch = (job: JobKey, deadline: Date | undefined) => {
    const others = (waiting.get(job.namespace) ?? []).filter(j => j.uid !== job.uid);
    const jobs = [job, ...others.slice(0, JOBS_PER_BATCH - 1)];
    waiting.set(job.namespace, others.slice(JOBS_PER_BATCH - 1));
    const batch = podsOfJobs(job.namespace, jobs, deadline).catch((error: unknown) => {
      logger.log(
        'WARNING',
        `could not list the pods of ${jobs.length} job(s) at once; asking for each`,
        {
          namespace: job.namespace,
          error: describeError(error),
        },
      );
      return null;
    });
    for (const j of jobs) batchOf.set(j.uid, batch);
    return batch;
  };
  return {
    read: options => reader.read(options),
    jobEvents: (job, deadline) => reader.jobEvents(job, deadline),
    podLog: (pod, options) => reader.podLog(pod, options),
    podsOfJobs,
    async podsOfJob(job, deadline) {
      const found = await (batchOf.get(job.uid) ?? startBatch(job, deadline));
      batchOf.delete(job.uid);
      const pods = found?.get(job.uid);
      found?.delete(job.uid);
      return pods ?? reader.podsOfJob(job, deadline);
    },
  };
}
