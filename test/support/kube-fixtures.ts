/**
 * Loads the Kubernetes fixtures in `test/fixtures/kubernetes/`: realistic CronJob, Job and Pod
 * objects as the API returns them, one `kind: List` file per scenario, plus the verdicts a
 * correct watcher gives them (`expected-verdicts.json`, described in the README there).
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** A Kubernetes object as JSON, with the metadata every fixture carries. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Every fixture object, by kind, each call a fresh deep copy the caller may change. */
export interface FixtureObjects {
  cronJobs: KubeObject[];
  jobs: KubeObject[];
  pods: KubeObject[];
  /** Container log text by `namespace/podName`, for the pod log endpoint. */
  podLogs: Record<string, string>;
}

/** The verdict a correct watcher gives one Job. Times are ISO-8601 strings. */
export interface ExpectedJobVerdict {
  outcome: 'succeeded' | 'failed' | 'running' | 'suspended';
  reason: string | null;
  finishedAt: string | null;
  manual: boolean;
}

/** What a correct watcher says about one CronJob (Job names, null when there is none). */
export interface ExpectedCronJob {
  lastRun: string | null;
  lastFinishedRun: string | null;
  /** Only where the scenario is about ordering: every finished run, oldest first. */
  finishedRuns?: string[];
  lastRunManual?: boolean;
  suspended?: boolean;
}

/** The table in `test/fixtures/kubernetes/README.md`, machine-readable. */
export interface ExpectedVerdicts {
  /** By `namespace/jobName`, for every Job that belongs to a CronJob. */
  jobs: Record<string, ExpectedJobVerdict>;
  /** By `namespace/cronJobName`. */
  cronJobs: Record<string, ExpectedCronJob>;
  /** `namespace/jobName` of Jobs no CronJob controls: a watcher must ignore them. */
  ignoredJobs: string[];
}

const EXPECTED_FILE = 'expected-verdicts.json';
const LOGS_FILE = 'pod-logs.json';

/**
 * The fixture folder. The compiled loader runs from `build/test/support/`, and JSON is not
 * copied into `build/`, so walk up to the checkout that holds the source folder.
 */
export function fixturesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'test', 'fixtures', 'kubernetes');
    if (existsSync(path.join(candidate, EXPECTED_FILE))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('test/fixtures/kubernetes not found above ' + dir);
    dir = parent;
  }
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(fixturesDir(), file), 'utf8'));
}

/** The scenario files, in order (`01-….json` … ). */
export function fixtureFiles(): string[] {
  return readdirSync(fixturesDir())
    .filter(name => /^\d\d-.*\.json$/.test(name))
    .sort();
}

/** The objects of one scenario file (fresh copies). */
export function loadScenario(file: string): KubeObject[] {
  const list = readJson(file) as {kind?: string; items?: KubeObject[]};
  if (list.kind !== 'List' || !Array.isArray(list.items)) {
    throw new Error(`${file} is not a kind: List file`);
  }
  return list.items;
}

/** Every fixture object, grouped by kind (fresh copies on each call). */
export function loadFixtureObjects(): FixtureObjects {
  const result: FixtureObjects = {cronJobs: [], jobs: [], pods: [], podLogs: {}};
  for (const file of fixtureFiles()) {
    for (const item of loadScenario(file)) {
      if (item.kind === 'CronJob') result.cronJobs.push(item);
      else if (item.kind === 'Job') result.jobs.push(item);
      else if (item.kind === 'Pod') result.pods.push(item);
      else throw new Error(`${file}: unexpected kind ${item.kind}`);
    }
  }
  result.podLogs = readJson(LOGS_FILE) as Record<string, string>;
  return result;
}

/** The verdicts a correct watcher gives the fixtures. */
export function loadExpectedVerdicts(): ExpectedVerdicts {
  return readJson(EXPECTED_FILE) as ExpectedVerdicts;
}
