/**
 * Maintenance windows: `<cron expression> <duration>` (`0 2 * * 6 3h`: Saturdays from 02:00 for
 * three hours), read in the CronJob's zone with the same robfig engine as its schedule. An
 * incident that opens inside a window is recorded but its opening is held until the window
 * ends; one that closes inside the window is never announced (decide.ts applies this). Set per
 * CronJob by the `cronjob-watcher/maintenance` annotation, or per cluster and namespace by
 * `MAINTENANCE` in the `ROUTES` syntax. Pure.
 */
import {parseDurationMs, type Check} from './annotations.js';
import {mostSpecificRoute} from './routes.js';
import {compileSchedule} from './schedule.js';

/** A window as written: when it starts, for how long. */
export interface MaintenanceSpec {
  /** The cron expression (five fields or a `@` descriptor other than `@every`). */
  cron: string;
  durationMs: number;
}

/** A subject's windows and the zone they are read in (the CronJob's, else UTC). */
export interface MaintenancePolicy {
  spec: MaintenanceSpec;
  timeZone: string;
}

/** One window, as instants. */
export interface MaintenanceWindow {
  start: Date;
  end: Date;
}

// A window longer than a week would hide a CronJob's failures for good: that is `ignore`.
const MAX_WINDOW_MS = 7 * 24 * 3600_000;

/** Parses `0 2 * * 6 3h`: a schedule, then a duration (the last word). */
export function parseMaintenance(raw: string): Check<MaintenanceSpec> {
  const words = raw.trim().split(/\s+/);
  const duration = words.pop() ?? '';
  const cron = words.join(' ');
  const shape = 'must be a cron expression and a duration, e.g. "0 2 * * 6 3h"';
  if (cron === '') return {ok: false, problem: shape};
  if (/^@every\b/.test(cron) || /TZ=/.test(cron)) {
    return {
      ok: false,
      problem: `${shape}: @every and TZ= have no place in a window (it follows the CronJob's zone)`,
    };
  }
  const compiled = compileSchedule(cron, null);
  if (!compiled.ok) return {ok: false, problem: `${shape}: ${compiled.problem}`};
  const ms = parseDurationMs(duration);
  if (!ms.ok) return {ok: false, problem: `${shape}: the duration ${ms.problem}`};
  if (ms.value > MAX_WINDOW_MS) {
    return {ok: false, problem: `${shape}: a window lasts at most 7d (use ignore for longer)`};
  }
  return {ok: true, value: {cron, durationMs: ms.value}};
}

/**
 * The window that contains `now`, if any. The latest start at or before `now` ends last of all
 * the windows begun by then (they all last as long), so it is the only one to look at.
 */
export function maintenanceWindowAt(
  policy: MaintenancePolicy | null | undefined,
  now: Date,
): MaintenanceWindow | null {
  if (policy === null || policy === undefined) return null;
  const compiled = compileSchedule(policy.spec.cron, policy.timeZone);
  if (!compiled.ok) return null;
  const start = compiled.schedule.latestAtOrBefore(now);
  if (start === null) return null;
  const end = new Date(start.getTime() + policy.spec.durationMs);
  return end.getTime() > now.getTime() ? {start, end} : null;
}

/** One `MAINTENANCE` entry: a cluster and/or namespace (null = any) and its window. */
export interface MaintenanceRoute {
  cluster: string | null;
  namespace: string | null;
  spec: MaintenanceSpec;
}

/** `MAINTENANCE` parsed, or what is wrong with it. */
export type ParsedMaintenanceRoutes =
  {ok: true; routes: MaintenanceRoute[]} | {ok: false; problem: string};

// An entry starts at `<cluster>/<namespace>=`: commas before one separate entries, commas
// anywhere else belong to a cron expression (`0 2 * * 1,3 2h`).
const ENTRY_START = /,(?=\s*[^\s/=,]+\/[^\s/=,]+\s*=)/;
const ROUTE_CLUSTER = /^(\*|[A-Za-z0-9][A-Za-z0-9._@:-]{0,99})$/;
const ROUTE_NAMESPACE = /^(\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/;

/** Parses `prod/batch=0 2 * * 6 3h,*\/reports=30 1 * * * 1h`, in the `ROUTES` syntax. */
export function parseMaintenanceRoutes(raw: string): ParsedMaintenanceRoutes {
  const routes: MaintenanceRoute[] = [];
  const seen = new Set<string>();
  for (const entry of raw.split(ENTRY_START).map(e => e.trim())) {
    if (entry === '') continue;
    const m = /^([^/=]+)\/([^/=]+)=(.+)$/.exec(entry);
    if (m === null) {
      return {ok: false, problem: `"${entry}" is not <cluster>/<namespace>=<cron> <duration>`};
    }
    const [, cluster = '', namespace = '', window = ''] = m.map(p => p.trim());
    if (!ROUTE_CLUSTER.test(cluster)) {
      return {ok: false, problem: `"${entry}": "${cluster}" is not a cluster name or *`};
    }
    if (!ROUTE_NAMESPACE.test(namespace)) {
      return {ok: false, problem: `"${entry}": "${namespace}" is not a namespace name or *`};
    }
    const spec = parseMaintenance(window);
    if (!spec.ok) return {ok: false, problem: `"${entry}": the window ${spec.problem}`};
    const key = `${cluster}/${namespace}`;
    if (seen.has(key)) return {ok: false, problem: `${key} has two windows`};
    seen.add(key);
    routes.push({
      cluster: cluster === '*' ? null : cluster,
      namespace: namespace === '*' ? null : namespace,
      spec: spec.value,
    });
  }
  return {ok: true, routes};
}

/** The window `MAINTENANCE` gives a subject: the most specific entry, as `ROUTES` picks. */
export function maintenanceRouteFor(
  routes: readonly MaintenanceRoute[],
  cluster: string,
  namespace: string | null,
): MaintenanceSpec | null {
  return mostSpecificRoute(routes, cluster, namespace)?.spec ?? null;
}
