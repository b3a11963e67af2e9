import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ConfigError} from '../../functions/core/errors.js';
import {
  DEFAULT_GKE_CONCURRENCY,
  parseClusterName,
  parseGkeSettings,
  type GkeSettings,
} from '../../functions/gke-settings.js';

const NONE: GkeSettings = {
  configured: false,
  clusters: [],
  projects: [],
  clusterLabels: {},
  endpoint: 'auto',
  concurrency: DEFAULT_GKE_CONCURRENCY,
};

const good: {name: string; env: Record<string, string>; want: Partial<GkeSettings>}[] = [
  {name: 'nothing set', env: {}, want: {}},
  {
    name: 'blank values count as unset',
    env: {GKE_CLUSTERS: ' ', GKE_ENDPOINT: '', GKE_CONCURRENCY: ' '},
    want: {},
  },
  {
    name: 'one cluster',
    env: {GKE_CLUSTERS: 'projects/my-project/locations/europe-west1/clusters/prod'},
    want: {
      configured: true,
      clusters: [
        {
          id: 'projects/my-project/locations/europe-west1/clusters/prod',
          name: 'prod',
          project: 'my-project',
          location: 'europe-west1',
        },
      ],
    },
  },
  {
    name: 'zonal and regional clusters, spaces, a trailing comma and a duplicate',
    env: {
      GKE_CLUSTERS:
        ' projects/p-000001/locations/us-central1-a/clusters/a1 , projects/p-000001/locations/asia-northeast3/clusters/b,' +
        'projects/p-000001/locations/us-central1-a/clusters/a1,',
    },
    want: {
      configured: true,
      clusters: [
        {
          id: 'projects/p-000001/locations/us-central1-a/clusters/a1',
          name: 'a1',
          project: 'p-000001',
          location: 'us-central1-a',
        },
        {
          id: 'projects/p-000001/locations/asia-northeast3/clusters/b',
          name: 'b',
          project: 'p-000001',
          location: 'asia-northeast3',
        },
      ],
    },
  },
  {
    name: 'a domain-scoped project',
    env: {GKE_PROJECTS: 'example.com:legacy-proj'},
    want: {configured: true, projects: ['example.com:legacy-proj']},
  },
  {
    name: 'projects, deduplicated, with labels',
    env: {
      GKE_PROJECTS: 'proj-one,proj-two,proj-one',
      GKE_CLUSTER_LABELS: 'env=prod, team=payments,tier=',
    },
    want: {
      configured: true,
      projects: ['proj-one', 'proj-two'],
      clusterLabels: {env: 'prod', team: 'payments', tier: ''},
    },
  },
  {name: 'endpoint dns', env: {GKE_ENDPOINT: 'dns'}, want: {endpoint: 'dns'}},
  {name: 'endpoint PUBLIC, any case', env: {GKE_ENDPOINT: 'PUBLIC'}, want: {endpoint: 'public'}},
  {name: 'endpoint private', env: {GKE_ENDPOINT: ' private '}, want: {endpoint: 'private'}},
  {name: 'concurrency 1', env: {GKE_CONCURRENCY: '1'}, want: {concurrency: 1}},
  {name: 'concurrency 64', env: {GKE_CONCURRENCY: '64'}, want: {concurrency: 64}},
];

for (const row of good) {
  test(`parseGkeSettings accepts: ${row.name}`, () => {
    assert.deepEqual(parseGkeSettings(row.env), {...NONE, ...row.want});
  });
}

// Each bad value: the message names the variable and shows a right value.
const bad: {name: string; env: Record<string, string>; says: RegExp[]}[] = [
  {
    name: 'a cluster given by name only',
    env: {GKE_CLUSTERS: 'prod'},
    says: [
      /^GKE_CLUSTERS: "prod"/,
      /projects\/my-project\/locations\/europe-west1\/clusters\/prod/,
    ],
  },
  {
    name: 'zones/ instead of locations/',
    env: {GKE_CLUSTERS: 'projects/my-project/zones/us-central1-a/clusters/prod'},
    says: [/^GKE_CLUSTERS:/, /PROJECT_ID\/locations\/LOCATION\/clusters\/NAME/],
  },
  {
    name: 'a wildcard location',
    env: {GKE_CLUSTERS: 'projects/my-project/locations/-/clusters/prod'},
    says: [/^GKE_CLUSTERS:/],
  },
  {
    name: 'an upper-case cluster name',
    env: {GKE_CLUSTERS: 'projects/my-project/locations/europe-west1/clusters/Prod'},
    says: [/^GKE_CLUSTERS: "projects\/my-project\/locations\/europe-west1\/clusters\/Prod"/],
  },
  {
    name: 'a cluster with a trailing slash',
    env: {GKE_CLUSTERS: 'projects/my-project/locations/europe-west1/clusters/prod/'},
    says: [/^GKE_CLUSTERS:/],
  },
  {
    name: 'a project number',
    env: {GKE_PROJECTS: '123456789012'},
    says: [/^GKE_PROJECTS: "123456789012"/, /my-project/],
  },
  {
    name: 'a short project ID',
    env: {GKE_PROJECTS: 'proj'},
    says: [/^GKE_PROJECTS: "proj"/, /6–30/],
  },
  {
    name: 'a project ending with a hyphen',
    env: {GKE_PROJECTS: 'my-project-'},
    says: [/^GKE_PROJECTS:/],
  },
  {
    name: 'a display name',
    env: {GKE_PROJECTS: 'My Project'},
    says: [/^GKE_PROJECTS: "My Project"/],
  },
  {
    name: 'a 31-character project ID',
    env: {GKE_PROJECTS: 'a' + 'b'.repeat(30)},
    says: [/^GKE_PROJECTS:/],
  },
  {
    name: 'labels without projects',
    env: {
      GKE_CLUSTERS: 'projects/my-project/locations/europe-west1/clusters/prod',
      GKE_CLUSTER_LABELS: 'env=prod',
    },
    says: [/GKE_CLUSTER_LABELS is set but GKE_PROJECTS is not/, /GKE_PROJECTS=my-project/],
  },
  {
    name: 'a label without "="',
    env: {GKE_PROJECTS: 'my-project', GKE_CLUSTER_LABELS: 'env'},
    says: [/^GKE_CLUSTER_LABELS: "env" has no "="/, /env=prod,team=payments/],
  },
  {
    name: 'an upper-case label key',
    env: {GKE_PROJECTS: 'my-project', GKE_CLUSTER_LABELS: 'Env=prod'},
    says: [/^GKE_CLUSTER_LABELS: "Env=prod" has a key/],
  },
  {
    name: 'a label value with a space',
    env: {GKE_PROJECTS: 'my-project', GKE_CLUSTER_LABELS: 'env=pro d'},
    says: [/^GKE_CLUSTER_LABELS: "env=pro d" has a value/],
  },
  {
    name: 'one key with two values',
    env: {GKE_PROJECTS: 'my-project', GKE_CLUSTER_LABELS: 'env=prod,env=dev'},
    says: [/^GKE_CLUSTER_LABELS: "env=dev" repeats the key "env"/],
  },
  {
    name: 'an unknown endpoint',
    env: {GKE_ENDPOINT: 'internal'},
    says: [/^GKE_ENDPOINT: "internal"/, /dns/, /public/, /private/],
  },
  {
    name: 'concurrency 0',
    env: {GKE_CONCURRENCY: '0'},
    says: [/^GKE_CONCURRENCY: "0"/, /GKE_CONCURRENCY=4/],
  },
  {name: 'concurrency 65', env: {GKE_CONCURRENCY: '65'}, says: [/^GKE_CONCURRENCY: "65"/]},
  {name: 'concurrency 2.5', env: {GKE_CONCURRENCY: '2.5'}, says: [/^GKE_CONCURRENCY: "2.5"/]},
  {name: 'concurrency -3', env: {GKE_CONCURRENCY: '-3'}, says: [/^GKE_CONCURRENCY: "-3"/]},
  {name: 'concurrency "four"', env: {GKE_CONCURRENCY: 'four'}, says: [/^GKE_CONCURRENCY: "four"/]},
];

for (const row of bad) {
  test(`parseGkeSettings rejects: ${row.name}`, () => {
    assert.throws(
      () => parseGkeSettings(row.env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        assert.equal(error.code, 'CONFIG');
        for (const pattern of row.says) assert.match(error.message, pattern);
        return true;
      },
    );
  });
}

test('parseClusterName gives null for anything but a full cluster resource name', () => {
  assert.equal(parseClusterName('projects/my-project/locations/europe-west1'), null);
  assert.equal(parseClusterName('projects//locations/europe-west1/clusters/prod'), null);
  assert.deepEqual(parseClusterName('projects/my-project/locations/europe-west1-b/clusters/p'), {
    id: 'projects/my-project/locations/europe-west1-b/clusters/p',
    name: 'p',
    project: 'my-project',
    location: 'europe-west1-b',
  });
});
