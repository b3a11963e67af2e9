/**
 * Objects nobody expected, for the bad-object tests: a seeded generator of variants of the
 * fixture CronJobs and Jobs (test/fixtures/kubernetes) — fields removed, wrong types, odd
 * timestamps (zero time, garbage, far future, numbers), 100 kB strings, unknown and malformed
 * conditions — and an oracle that says which of them the watcher must refuse.
 *
 * The oracle is written from what the Kubernetes API guarantees and what the watcher needs
 * to judge a run, as a table of fields (`REQUIRED`), not from `core/kube-objects.ts`: the
 * tests compare the parser with it, so a rule the parser forgets (or adds) shows up.
 *
 * Each variant lives in its own namespace `bad-<n>`, so its Jobs and parent CronJob can only
 * ever belong to it; variants never touch `metadata.namespace` (the test server files objects
 * by it, as etcd does — the API server never serves an object without one).
 */
import type {FixtureObjects, KubeObject} from './kube-fixtures.js';
import {jobObject, objectsFor, type RunSpec} from './scenario.js';

export const SEED = 0x5eed_0006;
export const VARIANTS = 1_040;
const HUGE = 'x'.repeat(100 * 1024);

/** The clean failed run each CronJob variant gets, so a judgeable variant is judged for real. */
const CLEAN_FAILED_RUN: RunSpec = {
  scheduledAt: '2026-03-02T01:00:00Z',
  outcome: 'failed',
  finishedAt: '2026-03-02T01:06:30Z',
  reason: 'BackoffLimitExceeded',
};

/** mulberry32: small, seedable, the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;
type Path = Array<string | number>;

const ODD_TIMES: unknown[] = [
  '0001-01-01T00:00:00Z',
  'garbage',
  '9999-12-31T23:59:59Z',
  '2026-13-45T99:99:99Z',
  '1970-01-01T00:00:00Z',
  '',
  1_772_413_590,
  0,
  -1,
  '2026-03-02T01:06:30.123456789+14:00',
  'yesterday',
  {seconds: 1_772_413_590},
];
const WRONG_TYPES: unknown[] = [
  42,
  -1,
  1e308,
  true,
  false,
  'garbage',
  [],
  {},
  null,
  [1, 'x'],
  {a: {b: [null]}},
];
const ODD_CONDITIONS: unknown[] = [
  {type: 'Exploded', status: 'True', reason: 'Cosmic', lastTransitionTime: '2026-03-02T01:00:00Z'},
  {type: 'Failed', status: 'Unknown', reason: 'Maybe'},
  {type: 'Complete', status: 'Perhaps'},
  {
    type: 'Failed',
    status: 'True',
    reason: HUGE,
    message: HUGE,
    lastTransitionTime: '9999-12-31T23:59:59Z',
  },
  {type: 'Complete', status: 'True', lastTransitionTime: '0001-01-01T00:00:00Z'},
  {status: 'True'},
  {type: 7, status: true},
  'Failed',
  null,
];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length >= 7) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      pathsOf(v, [...prefix, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      pathsOf(v, [...prefix, k], out);
    }
  }
  return out;
}

/** Paths the watcher reads (the rest of the object is mutated too, less often). */
function relevant(path: Path): boolean {
  const [head, second] = path;
  if (head === 'status') return true;
  if (head === 'metadata') return second !== 'namespace' && second !== 'resourceVersion';
  if (head === 'spec')
    return ['schedule', 'suspend', 'timeZone', 'jobTemplate'].includes(String(second));
  return path.length === 1;
}

function allowed(path: Path): boolean {
  // The test server files objects by metadata.namespace (see file comment).
  if (path[0] === 'metadata' && (path.length === 1 || path[1] === 'namespace')) return false;
  return true;
}

function isIdentity(path: Path): boolean {
  const [head, second, , fourth] = path;
  if (head !== 'metadata') return false;
  if (second === 'name' || second === 'uid') return true;
  return (
    second === 'ownerReferences' && (fourth === 'name' || fourth === 'uid' || path.length <= 3)
  );
}

function setAt(object: Json, path: Path, value: unknown | typeof DELETE): void {
  let parent: unknown = object;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path.at(-1)!;
  if (typeof parent !== 'object' || parent === null) return;
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Json)[last as string];
  } else {
    (parent as Record<string | number, unknown>)[last] = value;
  }
}
const DELETE = Symbol('delete');

function mutate(object: Json, random: () => number): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const applied: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let m = 0; m < count; m++) {
    const paths = pathsOf(object).filter(allowed);
    const focused = paths.filter(relevant);
    const path = pick(random() < 0.75 && focused.length > 0 ? focused : paths);
    const what = random();
    const name = path.join('.');
    if (what < 0.2) {
      setAt(object, path, DELETE);
      applied.push(`removed ${name}`);
    } else if (what < 0.45) {
      setAt(object, path, pick(WRONG_TYPES));
      applied.push(`wrong type at ${name}`);
    } else if (what < 0.7) {
      const timeish = paths.filter(p => /Time|Timestamp|timestamp/.test(String(p.at(-1))));
      setAt(object, timeish.length > 0 ? pick(timeish) : path, pick(ODD_TIMES));
      applied.push(`odd time`);
    } else if (what < 0.82) {
      // Identity fields are never huge: the API server caps names at 253 characters and
      // writes UIDs itself. (What a huge one does to the pass: see bad-object-isolation.)
      if (isIdentity(path)) continue;
      setAt(object, path, HUGE);
      applied.push(`100 kB string at ${name}`);
    } else {
      const status = (object.status ??= {}) as Json;
      if (typeof status === 'object' && status !== null && !Array.isArray(status)) {
        const conditions = Array.isArray(status.conditions) ? status.conditions : [];
        conditions.splice(
          Math.floor(random() * (conditions.length + 1)),
          0,
          structuredClone(pick(ODD_CONDITIONS)),
        );
        status.conditions = conditions;
      }
      applied.push('odd condition');
    }
  }
  return applied;
}

/** One generated variant. */
export interface Variant {
  n: number;
  /** What to serve: the mutated object plus a clean relative (its parent or its run). */
  objects: KubeObject[];
  mutations: string[];
}

/** Variants whose refusal is stated by hand, not derived from the parser. */
export function mustRefuse(fixtures: FixtureObjects): Array<{
  object: KubeObject;
  problem: RegExp;
}> {
  const changed =
    (source: KubeObject) =>
    (change: (o: Json) => void, n: number): KubeObject => {
      const o = structuredClone(source) as unknown as Json;
      const meta = o.metadata as Json;
      meta.namespace = `must-${n}`;
      meta.uid = `must-uid-${n}`;
      change(o);
      return o as unknown as KubeObject;
    };
  const cj = changed(fixtures.cronJobs[0]!);
  const job = changed(fixtures.jobs[0]!);
  return [
    {object: cj(o => delete (o.spec as Json).schedule, 1), problem: /spec\.schedule is missing/},
    {
      object: cj(o => ((o.spec as Json).schedule = 5), 2),
      problem: /spec\.schedule is missing or not a string/,
    },
    {object: cj(o => (o.spec = 'every hour'), 3), problem: /spec is not an object/},
    {object: cj(o => delete o.spec, 4), problem: /spec is missing/},
    {
      object: cj(o => ((o.metadata as Json).name = 12), 5),
      problem: /metadata\.name is missing or not a string/,
    },
    {object: cj(o => ((o.status as Json).active = 'job-1'), 6), problem: /active is not a list/},
    {
      object: job(o => ((o.status as Json).conditions = 'Failed'), 7),
      problem: /conditions is not a list/,
    },
    {
      object: job(o => ((o.status as Json).conditions = [{status: 'True'}]), 8),
      problem: /status\.conditions\[\]\.type is missing/,
    },
    {
      object: job(o => ((o.metadata as Json).ownerReferences = ['x']), 9),
      problem: /ownerReferences entry is not an object/,
    },
    {
      object: job(o => ((o.metadata as Json).uid = 7), 10),
      problem: /metadata\.uid is missing or not a string/,
    },
    {object: job(o => (o.status = [1, 2]), 11), problem: /status is not an object/},
    {
      object: job(o => ((o.status as Json).conditions = [null]), 12),
      problem: /a status\.conditions entry is not an object/,
    },
  ];
}

export function makeVariants(fixtures: FixtureObjects, count = VARIANTS): Variant[] {
  const random = rng(SEED);
  const variants: Variant[] = [];
  for (let n = 0; n < count; n++) {
    const namespace = `bad-${n}`;
    const parentUid = `bad-parent-${n}`;
    if (n % 2 === 0) {
      const source = fixtures.cronJobs[Math.floor(random() * fixtures.cronJobs.length)]!;
      const object = structuredClone(source) as unknown as Json;
      const meta = object.metadata as Json;
      meta.namespace = namespace;
      meta.uid = parentUid;
      // One clean failed run of its own, so a judgeable variant is judged for real.
      const run = jobObject({namespace, name: String(meta.name), uid: parentUid}, CLEAN_FAILED_RUN);
      const mutations = mutate(object, random);
      variants.push({n, objects: [object as unknown as KubeObject, run], mutations});
    } else {
      const source = fixtures.jobs[Math.floor(random() * fixtures.jobs.length)]!;
      const object = structuredClone(source) as unknown as Json;
      const meta = object.metadata as Json;
      meta.namespace = namespace;
      meta.uid = `bad-job-${n}`;
      const owners = Array.isArray(meta.ownerReferences) ? (meta.ownerReferences as Json[]) : [];
      for (const owner of owners) owner.uid = parentUid;
      const parentName = String(owners[0]?.name ?? 'orphan');
      const parent = objectsFor({namespace, name: parentName, uid: parentUid}, []).cronJob;
      const mutations = mutate(object, random);
      variants.push({n, objects: [parent, object as unknown as KubeObject], mutations});
    }
  }
  return variants;
}

// The longest name, UID or schedule an API server returns (a DNS subdomain is 253).
const MAX_IDENTIFIER_CHARS = 253;

const isPlainObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;
const identifier = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_IDENTIFIER_CHARS;

/** What one field must be, when present (or always, when `required`). */
interface FieldRule {
  path: string;
  get: (o: Json) => unknown;
  shape: 'object' | 'list' | 'identifier';
  required: boolean;
  /** For lists: what each entry must be (its own rules, relative to the entry). */
  entries?: {shape: 'object'; fields?: Array<{key: string; shape: 'identifier'}>};
}

const at =
  (...keys: string[]) =>
  (o: Json): unknown =>
    keys.reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), o);

const METADATA: FieldRule[] = [
  {path: 'metadata', get: at('metadata'), shape: 'object', required: true},
  {
    path: 'metadata.namespace',
    get: at('metadata', 'namespace'),
    shape: 'identifier',
    required: true,
  },
  {path: 'metadata.name', get: at('metadata', 'name'), shape: 'identifier', required: true},
  {path: 'metadata.uid', get: at('metadata', 'uid'), shape: 'identifier', required: true},
];

/**
 * What the watcher needs of each kind. A CronJob without a schedule cannot be judged; a Job
 * without conditions can (it is running). Everything else (times, counts, reasons, the
 * annotation, unknown condition types) is optional and judged as unknown when odd.
 */
export const REQUIRED: Record<'CronJob' | 'Job', FieldRule[]> = {
  CronJob: [
    ...METADATA,
    {path: 'spec', get: at('spec'), shape: 'object', required: true},
    {path: 'spec.schedule', get: at('spec', 'schedule'), shape: 'identifier', required: true},
    {path: 'status', get: at('status'), shape: 'object', required: false},
    {path: 'status.active', get: at('status', 'active'), shape: 'list', required: false},
  ],
  Job: [
    ...METADATA,
    {
      path: 'metadata.ownerReferences',
      get: at('metadata', 'ownerReferences'),
      shape: 'list',
      required: false,
      entries: {shape: 'object'},
    },
    {path: 'spec', get: at('spec'), shape: 'object', required: false},
    {path: 'status', get: at('status'), shape: 'object', required: false},
    {
      path: 'status.conditions',
      get: at('status', 'conditions'),
      shape: 'list',
      required: false,
      entries: {
        shape: 'object',
        fields: [
          {key: 'type', shape: 'identifier'},
          {key: 'status', shape: 'identifier'},
        ],
      },
    },
  ],
};

/**
 * Why the watcher must refuse `object` (the paths of the fields that break `REQUIRED`), or []
 * when it must judge it. `object` is as the API serves it.
 */
export function refusalsOf(kind: 'CronJob' | 'Job', object: unknown): string[] {
  if (!isPlainObject(object)) return ['object'];
  const broken: string[] = [];
  for (const rule of REQUIRED[kind]) {
    const value = rule.get(object);
    if (absent(value)) {
      if (rule.required) broken.push(rule.path);
      continue;
    }
    const fits =
      rule.shape === 'object'
        ? isPlainObject(value)
        : rule.shape === 'list'
          ? Array.isArray(value)
          : identifier(value);
    if (!fits) {
      broken.push(rule.path);
      continue;
    }
    if (rule.entries === undefined || !Array.isArray(value)) continue;
    for (const entry of value) {
      if (!isPlainObject(entry)) broken.push(`${rule.path}[]`);
      else {
        for (const field of rule.entries.fields ?? []) {
          if (!identifier(entry[field.key])) broken.push(`${rule.path}[].${field.key}`);
        }
      }
    }
  }
  return [...new Set(broken)];
}

/** The word of a refusal path a problem message must contain (`spec.schedule` → `schedule`). */
export function leafOf(path: string): string {
  return path.replace(/\[\]$/, '').split('.').at(-1) ?? path;
}
