/**
 * The rule every setting in the `ROUTES` syntax follows (`ROUTES`, `MAINTENANCE`): entries for
 * a cluster and/or a namespace (null = any), the most specific one winning. Pure.
 */

/** What an entry applies to; null: any. */
export interface RouteScope {
  cluster: string | null;
  namespace: string | null;
}

/**
 * The entry for a CronJob (`namespace`) or the cluster itself (`namespace` null), null when none
 * matches. Cluster and namespace first, then the namespace on any cluster (a team owns a
 * namespace everywhere), then the whole cluster, then `*\/*`. A cluster's own subject matches
 * only entries for any namespace.
 */
export function mostSpecificRoute<R extends RouteScope>(
  routes: readonly R[],
  cluster: string,
  namespace: string | null,
): R | null {
  let best: {rank: number; route: R} | null = null;
  for (const r of routes) {
    if (r.cluster !== null && r.cluster !== cluster) continue;
    if (r.namespace !== null && r.namespace !== namespace) continue;
    const rank = (r.namespace !== null ? 2 : 0) + (r.cluster !== null ? 1 : 0);
    if (best === null || rank > best.rank) best = {rank, route: r};
  }
  return best?.route ?? null;
}
