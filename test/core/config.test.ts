import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {parseConfig} from '../../functions/config.js';
import {ConfigError} from '../../functions/core/errors.js';

const TOKEN = 'xoxb-111-222-SECRETVALUE';

describe('parseConfig: accepted', () => {
  it('defaults: kubeconfig, all namespaces, file state, console', () => {
    const config = parseConfig({});
    assert.deepEqual(config.clusters, {
      kind: 'kubeconfig',
      file: null,
      context: null,
      clusterName: null,
    });
    assert.equal(config.namespaces, null);
    assert.deepEqual(config.state, {kind: 'file', dir: path.resolve('.cronjob-watcher')});
    assert.equal(config.slack, null);
    assert.equal(config.passBudgetMs, 240_000);
    assert.equal(config.clusterDownAfter, 3);
    assert.equal(config.stormThreshold, 5);
    assert.equal(config.dryRun, false);
  });
  it('STORM_THRESHOLD: a number of openings, or off', () => {
    const cases: Array<[string, number | null]> = [
      ['2', 2],
      [' 12 ', 12],
      ['10000', 10_000],
      ['off', null],
      ['OFF', null],
      ['', 5],
    ];
    for (const [raw, expected] of cases) {
      assert.equal(parseConfig({STORM_THRESHOLD: raw}).stormThreshold, expected, raw);
    }
  });
  it('flags win over the environment', () => {
    const config = parseConfig({KUBECONFIG: '/env/config', NAMESPACES: 'a,b'}, [
      '--kubeconfig',
      '/flag/config',
      '--context',
      'kind-dev',
      '--namespace',
      'batch',
      '--namespace',
      'reports',
      '--cluster-name',
      'dev',
      '--state-dir',
      '/tmp/x',
      '--dry-run',
      '--json',
    ]);
    assert.deepEqual(config.clusters, {
      kind: 'kubeconfig',
      file: '/flag/config',
      context: 'kind-dev',
      clusterName: 'dev',
    });
    assert.deepEqual(config.namespaces, ['batch', 'reports']);
    assert.deepEqual(config.state, {kind: 'file', dir: '/tmp/x'});
    assert.equal(config.dryRun, true);
    assert.equal(config.json, true);
  });
  it('NAMESPACES from the environment, deduplicated', () => {
    assert.deepEqual(parseConfig({NAMESPACES: 'batch, reports,batch'}).namespaces, [
      'batch',
      'reports',
    ]);
  });
  it('GKE when GKE_CLUSTERS is set', () => {
    const config = parseConfig({
      GKE_CLUSTERS: 'projects/my-project/locations/europe-west1/clusters/prod',
    });
    assert.equal(config.clusters.kind, 'gke');
  });
  it('firestore state with a named database', () => {
    const config = parseConfig({
      STATE_BACKEND: 'firestore',
      GOOGLE_CLOUD_PROJECT: 'my-project',
      FIRESTORE_DATABASE: 'watcher',
    });
    assert.deepEqual(config.state, {
      kind: 'firestore',
      projectId: 'my-project',
      database: 'watcher',
    });
  });
  it('status: -n as --namespace, -A for all, -o wide and -o json', () => {
    assert.deepEqual(parseConfig({}, ['-n', 'batch', '-n', 'ops'], 'status').namespaces, [
      'batch',
      'ops',
    ]);
    assert.equal(parseConfig({NAMESPACES: 'batch'}, ['-A'], 'status').namespaces, null);
    assert.equal(parseConfig({}, ['-o', 'wide'], 'status').wide, true);
    assert.equal(parseConfig({}, ['-o', 'json'], 'status').json, true);
  });
  it('firestore on Cloud Run may leave the project to the metadata server', () => {
    const config = parseConfig({STATE_BACKEND: 'firestore', K_SERVICE: 'cronjob-watcher'});
    assert.deepEqual(config.state, {kind: 'firestore', projectId: null, database: '(default)'});
  });
  it('Slack with a token and a channel', () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: '#cronjobs',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    assert.deepEqual(config.slack, {
      token: TOKEN,
      channel: '#cronjobs',
      apiUrl: 'http://127.0.0.1:9/api/',
      historyLookup: true,
    });
  });
  it('SLACK_HISTORY_LOOKUP: on by default, off with false', () => {
    const base = {SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: 'C0123456789'};
    assert.equal(parseConfig(base).slack?.historyLookup, true);
    assert.equal(parseConfig({...base, SLACK_HISTORY_LOOKUP: 'true'}).slack?.historyLookup, true);
    assert.equal(parseConfig({...base, SLACK_HISTORY_LOOKUP: 'FALSE'}).slack?.historyLookup, false);
  });
  it('SLACK_ALLOWED_CHANNELS: unset means any channel; IDs separated by commas', () => {
    const cases: Array<[string | undefined, string[] | null]> = [
      [undefined, null],
      ['', null],
      ['  ', null],
      ['C0PAY12345', ['C0PAY12345']],
      [' C0PAY12345 , G0PRIV1234,', ['C0PAY12345', 'G0PRIV1234']],
    ];
    for (const [raw, expected] of cases) {
      const env = raw === undefined ? {} : {SLACK_ALLOWED_CHANNELS: raw};
      assert.deepEqual(parseConfig(env).allowedChannels, expected, JSON.stringify(raw));
    }
  });
  it('ALLOW_BROADCAST_MENTIONS: off by default, on with true', () => {
    const cases: Array<[string | undefined, boolean]> = [
      [undefined, false],
      ['', false],
      ['false', false],
      ['TRUE', true],
      [' true ', true],
    ];
    for (const [raw, expected] of cases) {
      const env = raw === undefined ? {} : {ALLOW_BROADCAST_MENTIONS: raw};
      assert.equal(parseConfig(env).broadcastMentions, expected, JSON.stringify(raw));
    }
  });
  it('MAINTENANCE, REMINDERS, DIGEST_AT: off, 1d/3d/7d and off by default; read when set', () => {
    const none = parseConfig({});
    assert.deepEqual(
      [none.maintenance, none.reminders, none.digestAt],
      [[], [86_400_000, 259_200_000, 604_800_000], null],
    );
    const set = parseConfig({
      MAINTENANCE: 'prod/batch=0 2 * * 1,3 2h',
      REMINDERS: '4h,1d',
      DIGEST_AT: '09:00 Asia/Tokyo',
    });
    assert.deepEqual(set.maintenance, [
      {cluster: 'prod', namespace: 'batch', spec: {cron: '0 2 * * 1,3', durationMs: 7_200_000}},
    ]);
    assert.deepEqual(set.reminders, [14_400_000, 86_400_000]);
    assert.deepEqual(set.digestAt, {hour: 9, minute: 0, timeZone: 'Asia/Tokyo'});
    assert.deepEqual(parseConfig({REMINDERS: 'off'}).reminders, []);
  });
});

describe('parseConfig: rejected with a message that names the setting', () => {
  const cases: {name: string; env?: Record<string, string>; argv?: string[]; message: RegExp}[] = [
    {name: 'unknown flag', argv: ['--nope'], message: /--nope/},
    {
      name: 'MAINTENANCE without a duration',
      env: {MAINTENANCE: 'prod/batch=0 2 * * 6'},
      message: /MAINTENANCE must be <cluster>\/<namespace>=<cron expression> <duration>/,
    },
    {
      name: 'REMINDERS decreasing',
      env: {REMINDERS: '3d,1d'},
      message: /REMINDERS must be "off" or increasing/,
    },
    {
      name: 'DIGEST_AT with a bad zone',
      env: {DIGEST_AT: '09:00 Tokio'},
      message: /DIGEST_AT must be a time of day/,
    },
    {
      name: 'bad namespace',
      argv: ['--namespace', 'Bad_NS'],
      message: /--namespace: "Bad_NS" is not a namespace name/,
    },
    {name: 'bad NAMESPACES', env: {NAMESPACES: 'ok,NOT OK'}, message: /NAMESPACES/},
    {
      name: 'bad --state',
      argv: ['--state', 'redis'],
      message: /--state must be "file" or "firestore"; got "redis"/,
    },
    {name: 'bad STATE_BACKEND', env: {STATE_BACKEND: 'sql'}, message: /STATE_BACKEND/},
    {
      name: 'token without channel',
      env: {SLACK_BOT_TOKEN: TOKEN},
      message: /SLACK_CHANNEL must be a channel ID or name/,
    },
    {
      name: 'token of the wrong shape',
      env: {SLACK_BOT_TOKEN: 'hunter2'},
      message: /SLACK_BOT_TOKEN does not look like a Slack token/,
    },
    {
      name: 'bad SLACK_API_URL',
      env: {SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: 'C0123456789', SLACK_API_URL: 'nope'},
      message: /SLACK_API_URL must be a URL/,
    },
    {
      name: 'SLACK_HISTORY_LOOKUP not a boolean',
      env: {SLACK_BOT_TOKEN: TOKEN, SLACK_CHANNEL: 'C0123456789', SLACK_HISTORY_LOOKUP: 'yes'},
      message: /SLACK_HISTORY_LOOKUP must be true or false/,
    },
    {
      name: 'SLACK_ALLOWED_CHANNELS with a name',
      env: {SLACK_ALLOWED_CHANNELS: 'C0PAY12345,#general'},
      message: /SLACK_ALLOWED_CHANNELS must be channel IDs .*got "#general"/,
    },
    {
      name: 'SLACK_ALLOWED_CHANNELS with a DM',
      env: {SLACK_ALLOWED_CHANNELS: 'D0123ABCDE'},
      message: /SLACK_ALLOWED_CHANNELS .*a DM D… is never allowed.*got "D0123ABCDE"/,
    },
    {
      name: 'ALLOW_BROADCAST_MENTIONS not a boolean',
      env: {ALLOW_BROADCAST_MENTIONS: 'yes'},
      message: /ALLOW_BROADCAST_MENTIONS must be true or false/,
    },
    {
      name: 'PASS_BUDGET_SECONDS zero',
      env: {PASS_BUDGET_SECONDS: '0'},
      message: /PASS_BUDGET_SECONDS must be a whole number from 1/,
    },
    {
      name: 'STORM_THRESHOLD of one (a storm of one is one message in a thread)',
      env: {STORM_THRESHOLD: '1'},
      message: /STORM_THRESHOLD must be a whole number from 2 to 10000 or "off"/,
    },
    {name: 'STORM_THRESHOLD text', env: {STORM_THRESHOLD: 'five'}, message: /STORM_THRESHOLD/},
    {name: 'STORM_THRESHOLD fraction', env: {STORM_THRESHOLD: '5.5'}, message: /STORM_THRESHOLD/},
    {
      name: 'CLUSTER_DOWN_AFTER text',
      env: {CLUSTER_DOWN_AFTER: 'three'},
      message: /CLUSTER_DOWN_AFTER/,
    },
    {name: 'bad GKE_CLUSTERS', env: {GKE_CLUSTERS: 'prod'}, message: /GKE_CLUSTERS/},
    {
      name: 'firestore state without GOOGLE_CLOUD_PROJECT (CLI)',
      argv: ['--state', 'firestore'],
      message: /GOOGLE_CLOUD_PROJECT must name the Google Cloud project/,
    },
    {
      name: 'firestore state without GOOGLE_CLOUD_PROJECT (function, not on Cloud Run)',
      env: {STATE_BACKEND: 'firestore'},
      argv: undefined,
      message: /GOOGLE_CLOUD_PROJECT/,
    },
    {name: '-A with -n', argv: ['-A', '-n', 'batch'], message: /-A.*-n.*exclude each other/},
    {name: 'check has no -o', argv: ['-o', 'wide'], message: /Unknown option '-o'/},
    {
      name: 'file state on Cloud Run',
      env: {K_SERVICE: 'cronjob-watcher'},
      argv: undefined,
      message: /STATE_BACKEND=firestore/,
    },
  ];
  for (const c of [
    ...cases,
    {name: 'status has no --dry-run', argv: ['--dry-run'], command: 'status', message: /--dry-run/},
    {name: 'status: bad -o', argv: ['-o', 'yaml'], command: 'status', message: /"wide" or "json"/},
  ] as Array<(typeof cases)[number] & {command?: 'status' | 'check'}>) {
    it(c.name, () => {
      assert.throws(
        () => parseConfig(c.env ?? {}, 'argv' in c ? c.argv : [], c.command),
        (error: unknown) =>
          error instanceof ConfigError &&
          c.message.test(error.message) &&
          !error.message.includes('SECRETVALUE'),
      );
    });
  }
});
