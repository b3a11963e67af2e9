/**
 * GKE settings: which clusters to watch and how to reach them, read from the environment
 * and validated at start-up, so a typo fails the deployment instead of the first pass.
 *
 * - `GKE_CLUSTERS`: comma-separated `projects/P/locations/L/clusters/C`.
 * - `GKE_PROJECTS`: comma-separated project IDs whose clusters are discovered on each pass.
 * - `GKE_CLUSTER_LABELS`: `key=value,...`; a discovered cluster is watched only when its
 *   resource labels carry all of them. Narrows `GKE_PROJECTS` only.
 * - `GKE_ENDPOINT`: `dns`, `public` or `private`; unset = per cluster, the DNS-based
 *   endpoint when it accepts external traffic, else the cluster's IP endpoint.
 * - `GKE_CONCURRENCY`: how many clusters are fetched and read at once (default 4).
 */
import {ConfigError} from './core/errors.js';

/** One GKE cluster by its resource name; the shape of `ClusterRef` with the parts known. */
export interface GkeClusterName {
  /** `projects/P/locations/L/clusters/C`: the stable cluster key. */
  id: string;
  /** The cluster's name, `C`. */
  name: string;
  project: string;
  location: string;
}

/** Which control-plane endpoint to use; `auto` picks per cluster (see the module comment). */
export type GkeEndpointChoice = 'auto' | 'dns' | 'public' | 'private';

/** Validated GKE settings. */
export interface GkeSettings {
  /** True when `GKE_CLUSTERS` or `GKE_PROJECTS` names at least one cluster or project. */
  configured: boolean;
  /** Clusters named in `GKE_CLUSTERS`, without duplicates, in the order given. */
  clusters: GkeClusterName[];
  /** Projects from `GKE_PROJECTS` whose clusters are discovered on each pass. */
  projects: string[];
  /** Resource labels a discovered cluster must all carry (empty = no filter). */
  clusterLabels: Record<string, string>;
  endpoint: GkeEndpointChoice;
  /** How many clusters are fetched and read at the same time. */
  concurrency: number;
}

/**
 * Clusters read at the same time. A read is mostly waiting on the network, but each page of
 * CronJobs and Jobs is then parsed on the function's single default vCPU and held in memory
 * until the cluster's snapshot is complete: four in flight keep that CPU busy while the others
 * wait on I/O, and keep peak memory at four clusters' worth of objects in a 512 MiB instance.
 * Twenty clusters then take about five reads' time; raise it for many small clusters.
 */
export const DEFAULT_GKE_CONCURRENCY = 4;

/**
 * Above this, more parallelism only adds open connections and memory on one instance:
 * the pass is then bounded by the slowest cluster, not by the number in flight.
 */
export const MAX_GKE_CONCURRENCY = 64;

// GCP project IDs: 6–30 characters, lowercase letters, digits and hyphens, starting with a
// letter and not ending with a hyphen. Old domain-scoped projects add a `domain.tld:` prefix.
const PROJECT_ID = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// Regions (`europe-west1`) and zones (`europe-west1-b`).
const LOCATION = /^[a-z]+(?:-[a-z]+)*[0-9]+(?:-[a-z])?$/;
// GKE cluster names: up to 40 characters, lowercase letters, digits and hyphens, starting
// with a letter and ending with a letter or digit.
const CLUSTER_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
// Google Cloud resource labels: keys start with a lowercase letter, both at most 63
// characters of lowercase letters, digits, `_` and `-` (international lowercase allowed).
const LABEL_KEY = /^\p{Ll}[\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

const CLUSTER_EXAMPLE = 'projects/my-project/locations/europe-west1/clusters/prod';
const PROJECTS_EXAMPLE = 'my-project,other-project-123';
const LABELS_EXAMPLE = 'env=prod,team=payments';
const ENDPOINTS: readonly GkeEndpointChoice[] = ['dns', 'public', 'private'];

/** Reads and validates the GKE settings. Throws `ConfigError` naming the variable at fault. */
export function parseGkeSettings(env: Record<string, string | undefined>): GkeSettings {
  const clusters = parseClusters(env['GKE_CLUSTERS']);
  const projects = parseProjects(env['GKE_PROJECTS']);
  const clusterLabels = parseLabels(env['GKE_CLUSTER_LABELS']);
  if (Object.keys(clusterLabels).length > 0 && projects.length === 0) {
    // Labels filter discovery only; without projects they would silently filter nothing.
    throw new ConfigError(
      'GKE_CLUSTER_LABELS is set but GKE_PROJECTS is not: labels narrow the clusters ' +
        `discovered in GKE_PROJECTS. Set GKE_PROJECTS too, e.g. GKE_PROJECTS=${PROJECTS_EXAMPLE}, ` +
        'or unset GKE_CLUSTER_LABELS.',
    );
  }
  return {
    configured: clusters.length > 0 || projects.length > 0,
    clusters,
    projects,
    clusterLabels,
    endpoint: parseEndpoint(env['GKE_ENDPOINT']),
    concurrency: parseConcurrency(env['GKE_CONCURRENCY']),
  };
}

/**
 * Parses `projects/P/locations/L/clusters/C`. Returns null when it is not one; the caller
 * says which setting was wrong.
 */
export function parseClusterName(text: string): GkeClusterName | null {
  const parts = text.split('/');
  if (parts.length !== 6 || parts[0] !== 'projects' || parts[2] !== 'locations') return null;
  if (parts[4] !== 'clusters') return null;
  const [, project = '', , location = '', , name = ''] = parts;
  if (!PROJECT_ID.test(project) || !LOCATION.test(location) || !CLUSTER_NAME.test(name)) {
    return null;
  }
  return {id: text, name, project, location};
}

/** True for a valid GCP project ID. */
export function isProjectId(text: string): boolean {
  return PROJECT_ID.test(text);
}

/** The comma-separated items of a setting, trimmed; empty items (`a,,b`, trailing `,`) dropped. */
function listOf(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map(item => item.trim())
    .filter(item => item !== '');
}

function parseClusters(value: string | undefined): GkeClusterName[] {
  const byId = new Map<string, GkeClusterName>();
  for (const item of listOf(value)) {
    const cluster = parseClusterName(item);
    if (cluster === null) {
      throw new ConfigError(
        `GKE_CLUSTERS: ${JSON.stringify(item)} is not a GKE cluster resource name. ` +
          `Write projects/PROJECT_ID/locations/LOCATION/clusters/NAME, e.g. ${CLUSTER_EXAMPLE} ` +
          '(several separated by commas).',
      );
    }
    byId.set(cluster.id, cluster);
  }
  return [...byId.values()];
}

function parseProjects(value: string | undefined): string[] {
  const projects = new Set<string>();
  for (const item of listOf(value)) {
    if (!PROJECT_ID.test(item)) {
      throw new ConfigError(
        `GKE_PROJECTS: ${JSON.stringify(item)} is not a Google Cloud project ID (6–30 ` +
          'lowercase letters, digits or hyphens, starting with a letter, not ending with a ' +
          `hyphen; the ID, not the display name or number), e.g. GKE_PROJECTS=${PROJECTS_EXAMPLE}.`,
      );
    }
    projects.add(item);
  }
  return [...projects];
}

function parseLabels(value: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of listOf(value)) {
    const equals = item.indexOf('=');
    const key = equals < 0 ? item : item.slice(0, equals).trim();
    const labelValue = equals < 0 ? null : item.slice(equals + 1).trim();
    const wrong = (why: string) =>
      new ConfigError(
        `GKE_CLUSTER_LABELS: ${JSON.stringify(item)} ${why}. Write key=value pairs separated ` +
          `by commas, e.g. GKE_CLUSTER_LABELS=${LABELS_EXAMPLE} (a cluster must carry all of them).`,
      );
    if (labelValue === null) throw wrong('has no "="');
    if (!LABEL_KEY.test(key)) {
      throw wrong(
        'has a key that is not a resource label key (start with a lowercase letter; ' +
          'lowercase letters, digits, "_" and "-"; at most 63 characters)',
      );
    }
    if (!LABEL_VALUE.test(labelValue)) {
      throw wrong(
        'has a value that is not a resource label value (lowercase letters, digits, "_" ' +
          'and "-"; at most 63 characters)',
      );
    }
    if (Object.hasOwn(labels, key) && labels[key] !== labelValue) {
      throw wrong(
        `repeats the key ${JSON.stringify(key)} with another value; no cluster can match`,
      );
    }
    labels[key] = labelValue;
  }
  return labels;
}

function parseEndpoint(value: string | undefined): GkeEndpointChoice {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '') return 'auto';
  const choice = ENDPOINTS.find(endpoint => endpoint === text);
  if (choice === undefined) {
    throw new ConfigError(
      `GKE_ENDPOINT: ${JSON.stringify(value)} is not an endpoint kind. Use dns (the DNS-based ` +
        'control plane endpoint), public or private (the IP endpoints), or leave it unset to ' +
        'use the DNS endpoint where it is enabled and the IP endpoint elsewhere.',
    );
  }
  return choice;
}

function parseConcurrency(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text === '') return DEFAULT_GKE_CONCURRENCY;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_GKE_CONCURRENCY) {
    throw new ConfigError(
      `GKE_CONCURRENCY: ${JSON.stringify(value)} is not a whole number from 1 to ` +
        `${MAX_GKE_CONCURRENCY}, e.g. GKE_CONCURRENCY=${DEFAULT_GKE_CONCURRENCY} (the default).`,
    );
  }
  return n;
}
