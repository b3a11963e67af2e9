/**
 * A Kubernetes API server for benchmarks at fleet scale: 20,000 CronJobs with ten realistic
 * (~3 KB) Jobs each would take gigabytes as objects in `kube-api-server.ts`, and its sorted
 * copy per page would dominate the figures. This one holds nothing: object `i` is generated
 * when a page needs it, always the same, and pages are served over HTTPS with `limit` +
 * `continue` as the real API server does (cluster scope only, which is what the watcher and
 * `kubectl get -A` ask for). Pod lists are empty. It counts requests and TLS connections.
 */
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import type {KubeObject} from './kube-fixtures.js';
import {objectsFor, type RunSpec} from './scenario.js';
import {writeKubeconfig} from './kube-api-server.js';

/** The fleet a server answers with. */
export interface FleetSpec {
  cronJobs: number;
  jobsPerCronJob: number;
  /** Share of CronJobs whose latest run failed, e.g. 0.05. */
  failingShare: number;
  /** The `limit` clients ask for (pages are rendered ahead for this size only). */
  pageSize: number;
  /**
   * The runs are the hours just before this time (default: when the server starts), so the
   * fleet is on schedule when measured: a fleet frozen on a fixed date is one whose every
   * CronJob has missed months of runs, and a pass would measure 5,000 missed incidents.
   */
  now?: Date;
}

/** A running fleet server. */
export interface FleetApiServer {
  readonly url: string;
  /** Requests and TLS connections since the last `resetCounts`. */
  readonly counts: {requests: number; connections: number};
  resetCounts(): void;
  writeKubeconfig(file: string, context: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Realistic weight: what a Job created by the CronJob controller carries besides what the
 * watcher reads (the pod template copied from the CronJob, labels, managed fields).
 */
export function realisticJob(job: KubeObject, team: string): KubeObject {
  const name = job.metadata.name;
  const uid = job.metadata.uid;
  const labels = {
    ...job.metadata.labels,
    'controller-uid': uid,
    'job-name': name,
    'app.kubernetes.io/name': team,
    'app.kubernetes.io/part-of': 'batch-platform',
  };
  job.metadata.labels = labels;
  job.metadata.generation = 1;
  job.metadata.managedFields = [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'batch/v1',
      time: job.metadata.creationTimestamp,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {'f:annotations': {'.': {}}, 'f:labels': {'.': {}}},
        'f:spec': {'f:backoffLimit': {}, 'f:completionMode': {}, 'f:template': {}},
      },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'batch/v1',
      time: job.metadata.creationTimestamp,
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:status': {'f:conditions': {}, 'f:ready': {}, 'f:startTime': {}}},
      subresource: 'status',
    },
  ];
  job.spec = {
    ...(job.spec as object),
    completionMode: 'NonIndexed',
    manualSelector: false,
    podReplacementPolicy: 'TerminatingOrFailed',
    suspend: false,
    selector: {matchLabels: {'batch.kubernetes.io/controller-uid': uid}},
    template: {
      metadata: {labels, creationTimestamp: null},
      spec: {
        restartPolicy: 'Never',
        serviceAccountName: `${team}-runner`,
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000},
        containers: [
          {
            name: 'main',
            image: `europe-docker.pkg.dev/acme-prod/${team}/worker:2026.02.14-3f9c2d1`,
            imagePullPolicy: 'IfNotPresent',
            command: ['/app/bin/worker'],
            args: ['--task', name.replace(/-\d+$/, ''), '--log-format=json', '--timeout=45m'],
            env: [
              {name: 'TEAM', value: team},
              {name: 'ENVIRONMENT', value: 'production'},
              {name: 'DB_HOST', value: 'pg-main.data.svc.cluster.local'},
              {
                name: 'DB_PASSWORD',
                valueFrom: {secretKeyRef: {name: `${team}-db`, key: 'password'}},
              },
              {
                name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
                value: 'http://otel-collector.observability:4317',
              },
            ],
            resources: {
              requests: {cpu: '250m', memory: '512Mi', 'ephemeral-storage': '1Gi'},
              limits: {memory: '1Gi'},
            },
            volumeMounts: [
              {name: 'config', mountPath: '/etc/worker', readOnly: true},
              {name: 'scratch', mountPath: '/tmp'},
            ],
            terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'FallbackToLogsOnError',
          },
        ],
        volumes: [
          {name: 'config', configMap: {name: `${team}-worker-config`, defaultMode: 420}},
          {name: 'scratch', emptyDir: {sizeLimit: '1Gi'}},
        ],
      },
    },
  };
  return job;
}

const BATCH_V1 = {groupVersion: 'batch/v1', version: 'v1'};
const resource = (name: string, kind: string) => ({
  name,
  singularName: kind.toLowerCase(),
  namespaced: true,
  kind,
  verbs: ['get', 'list'],
});
/** Just enough discovery for `kubectl get cronjobs,jobs -A` to find its way. */
const DISCOVERY: Record<string, unknown> = {
  '/version': {major: '1', minor: '32', gitVersion: 'v1.32.4-gke.1106000'},
  '/api': {kind: 'APIVersions', versions: ['v1']},
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [resource('pods', 'Pod')],
  },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{name: 'batch', versions: [BATCH_V1], preferredVersion: BATCH_V1}],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    groupVersion: 'batch/v1',
    resources: [resource('cronjobs', 'CronJob'), resource('jobs', 'Job')],
  },
};

const HOUR_MS = 60 * 60_000;

/** Hourly runs, the latest in the hour before `nowMs`'s hour, so all have finished by now. */
function runsFor(i: number, jobs: number, failing: boolean, nowMs: number): RunSpec[] {
  const firstHourMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS - jobs * HOUR_MS;
  return Array.from({length: jobs}, (_, r) => {
    const at = new Date(firstHourMs + r * HOUR_MS + (i % 60) * 60_000).toISOString();
    const finishedAt = new Date(Date.parse(at) + 60_000 + (i % 97) * 1000).toISOString();
    return failing && r === jobs - 1
      ? {scheduledAt: at, outcome: 'failed', finishedAt, reason: 'BackoffLimitExceeded'}
      : {scheduledAt: at, outcome: 'succeeded', finishedAt};
  });
}

/** Starts a fleet server over HTTPS with the given certificate. */
export async function startFleetApiServer(
  spec: FleetSpec,
  tls: {cert: string; key: string; caPem: string},
): Promise<FleetApiServer> {
  const failingEvery = spec.failingShare > 0 ? Math.round(1 / spec.failingShare) : 0;
  const nowMs = (spec.now ?? new Date()).getTime();
  const objectsOf = (i: number) => {
    const team = `team-${i % 20}`;
    const objects = objectsFor(
      {namespace: team, name: `job-${String(i).padStart(6, '0')}`},
      runsFor(i, spec.jobsPerCronJob, failingEvery > 0 && i % failingEvery === 0, nowMs),
    );
    return {cronJob: objects.cronJob, jobs: objects.jobs.map(j => realisticJob(j, team))};
  };
  const totals = {cronjobs: spec.cronJobs, jobs: spec.cronJobs * spec.jobsPerCronJob};
  const bare = (object: KubeObject): string => {
    const {apiVersion: _a, kind: _k, ...rest} = object;
    return JSON.stringify(rest);
  };
  // Pages are rendered once, before anything is measured, and kept as Buffers (outside the
  // JavaScript heap): generating objects while serving would make the server, not the client
  // under test, the slowest part of every figure.
  const pages = new Map<string, Buffer>();
  const pageKey = (plural: string, start: number) => `${plural}:${start}`;
  for (const plural of ['cronjobs', 'jobs'] as const) {
    const kind = plural === 'cronjobs' ? 'CronJobList' : 'JobList';
    const perCronJob = plural === 'cronjobs' ? 1 : spec.jobsPerCronJob;
    for (let start = 0; start < totals[plural]; start += spec.pageSize) {
      const end = Math.min(totals[plural], start + spec.pageSize);
      const items: string[] = [];
      for (let c = Math.floor(start / perCronJob); c * perCronJob < end; c++) {
        const objects = objectsOf(c);
        const texts = plural === 'cronjobs' ? [bare(objects.cronJob)] : objects.jobs.map(bare);
        texts.forEach((text, r) => {
          const index = c * perCronJob + r;
          if (index >= start && index < end) items.push(text);
        });
      }
      const metadata: Record<string, unknown> = {resourceVersion: '7'};
      if (end < totals[plural]) {
        metadata.continue = Buffer.from(`7:${end}`).toString('base64');
        metadata.remainingItemCount = totals[plural] - end;
      }
      pages.set(
        pageKey(plural, start),
        Buffer.from(
          `{"kind":"${kind}","apiVersion":"batch/v1","metadata":${JSON.stringify(metadata)},"items":[${items.join(',')}]}`,
        ),
      );
    }
  }

  const counts = {requests: 0, connections: 0};
  const server = https.createServer({cert: tls.cert, key: tls.key}, (request, response) => {
    counts.requests++;
    const url = new URL(request.url ?? '/', 'https://localhost');
    const send = (code: number, body: string) => {
      response.writeHead(code, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      response.end(body);
    };
    const discovery = DISCOVERY[url.pathname];
    if (discovery !== undefined) {
      send(200, JSON.stringify(discovery));
      return;
    }
    const list = /^\/apis\/batch\/v1\/(cronjobs|jobs)$/.exec(url.pathname);
    if (
      url.pathname === '/api/v1/pods' ||
      /^\/api\/v1\/namespaces\/[^/]+\/pods$/.test(url.pathname)
    ) {
      send(
        200,
        '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[]}',
      );
      return;
    }
    if (list === null) {
      send(
        404,
        '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}',
      );
      return;
    }
    const plural = list[1] as 'cronjobs' | 'jobs';
    const limit = url.searchParams.get('limit');
    if (limit !== String(spec.pageSize)) {
      send(
        400,
        `{"kind":"Status","status":"Failure","message":"this server serves limit=${spec.pageSize} only","code":400}`,
      );
      return;
    }
    const token = url.searchParams.get('continue');
    const start = token ? Number(Buffer.from(token, 'base64').toString('utf8').split(':')[1]) : 0;
    const page = pages.get(pageKey(plural, start));
    if (page === undefined) {
      send(410, '{"kind":"Status","status":"Failure","reason":"Expired","code":410}');
      return;
    }
    response.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': page.length});
    response.end(page);
  });
  server.on('secureConnection', () => counts.connections++);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    counts,
    resetCounts() {
      counts.requests = 0;
      counts.connections = 0;
    },
    writeKubeconfig: (file, context) =>
      writeKubeconfig({server: url, context, caPem: tls.caPem, file}),
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
