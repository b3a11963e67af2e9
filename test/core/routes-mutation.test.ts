/**
 * The rule every `ROUTES`-style setting follows (routes.ts): of the entries that apply, the most
 * specific wins — cluster and namespace, then the namespace on any cluster, then the whole
 * cluster, then any cluster and namespace; a cluster's own subject (no namespace) only takes
 * entries for any namespace. Every cell of (entry kind × subject) is written out.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mostSpecificRoute, type RouteScope} from '../../functions/core/routes.js';

type Route = RouteScope & {name: string};

const BOTH: Route = {name: 'prod/batch', cluster: 'prod', namespace: 'batch'};
const NAMESPACE: Route = {name: '*/batch', cluster: null, namespace: 'batch'};
const CLUSTER: Route = {name: 'prod/*', cluster: 'prod', namespace: null};
const ANY: Route = {name: '*/*', cluster: null, namespace: null};
const OTHER_CLUSTER: Route = {name: 'dev/batch', cluster: 'dev', namespace: 'batch'};
const OTHER_NAMESPACE: Route = {name: 'prod/web', cluster: 'prod', namespace: 'web'};

describe('mostSpecificRoute', () => {
  const cases: [string, Route[], string, string | null, string | null][] = [
    [
      'cluster and namespace beat everything',
      [ANY, CLUSTER, NAMESPACE, BOTH],
      'prod',
      'batch',
      'prod/batch',
    ],
    ['in any order', [BOTH, NAMESPACE, CLUSTER, ANY], 'prod', 'batch', 'prod/batch'],
    [
      'the namespace on any cluster beats the whole cluster',
      [CLUSTER, NAMESPACE, ANY],
      'prod',
      'batch',
      '*/batch',
    ],
    ['…in any order', [ANY, NAMESPACE, CLUSTER], 'prod', 'batch', '*/batch'],
    ['the whole cluster beats */*', [ANY, CLUSTER], 'prod', 'batch', 'prod/*'],
    ['…in any order', [CLUSTER, ANY], 'prod', 'batch', 'prod/*'],
    ['*/* alone', [ANY], 'prod', 'batch', '*/*'],
    ['another cluster’s entry does not apply', [OTHER_CLUSTER, ANY], 'prod', 'batch', '*/*'],
    ['another namespace’s entry does not apply', [OTHER_NAMESPACE], 'prod', 'batch', null],
    ['nothing applies', [OTHER_CLUSTER, OTHER_NAMESPACE], 'prod', 'batch', null],
    ['no entries', [], 'prod', 'batch', null],
    [
      'a cluster’s subject takes the whole cluster',
      [BOTH, NAMESPACE, CLUSTER, ANY],
      'prod',
      null,
      'prod/*',
    ],
    ['a cluster’s subject takes */*', [BOTH, NAMESPACE, ANY], 'prod', null, '*/*'],
    ['a cluster’s subject takes no namespace entry', [BOTH, NAMESPACE], 'prod', null, null],
    ['another cluster', [BOTH, CLUSTER, NAMESPACE], 'dev', 'batch', '*/batch'],
  ];
  for (const [name, routes, cluster, namespace, expected] of cases) {
    it(`${name}: ${cluster}/${namespace ?? '(cluster)'} → ${expected ?? 'none'}`, () => {
      assert.equal(mostSpecificRoute(routes, cluster, namespace)?.name ?? null, expected);
    });
  }
});
