/**
 * `cronjob-watcher config check`: the settings check infra/deploy.sh runs, through the real
 * CLI entry (as a user would) and the module run directly (as deploy.sh does).
 */
import {spawnSync} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {parseConfig, SETTINGS} from '../../functions/config.js';

const BUILD_FUNCTIONS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'functions',
);
const TOKEN = 'xoxb-424242-171717-ConfigCheckNeverEchoed';

const VALID = [
  '# the deployed function, as infra/deploy.sh writes it',
  'STATE_BACKEND=firestore',
  'GOOGLE_CLOUD_PROJECT=watch-prod-1',
  'FIRESTORE_DATABASE=(default)',
  'SLACK_CHANNEL=#cronjobs',
  'GKE_CLUSTERS=projects/other-proj-2/locations/europe-west1-b/clusters/prod',
  'K_SERVICE=cronjob-watcher',
  '',
].join('\n');

describe('config check', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, {recursive: true, force: true});
  });

  async function check(
    text: string,
    args: string[] = [],
    entry: 'cli' | 'direct' = 'direct',
  ): Promise<{status: number | null; stdout: string; stderr: string}> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'config-check-'));
    dirs.push(dir);
    const file = path.join(dir, 'function.env');
    await writeFile(file, text);
    const script =
      entry === 'cli'
        ? [path.join(BUILD_FUNCTIONS, 'cli.js'), 'config']
        : [path.join(BUILD_FUNCTIONS, 'config-check.js')];
    // Only the file configures it: nothing from this process's environment leaks in.
    const result = spawnSync(process.execPath, [...script, 'check', '--env-file', file, ...args], {
      encoding: 'utf8',
      env: {PATH: process.env.PATH ?? ''},
    });
    return {status: result.status, stdout: result.stdout, stderr: result.stderr};
  }

  it('accepts valid settings, through the CLI and run directly', async () => {
    for (const entry of ['cli', 'direct'] as const) {
      const result = await check(VALID, ['--assume-set', 'SLACK_BOT_TOKEN'], entry);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, 'configuration ok\n');
    }
  });

  it('config --help prints its usage; a wrong subcommand is a usage error', () => {
    const cli = path.join(BUILD_FUNCTIONS, 'cli.js');
    const help = spawnSync(process.execPath, [cli, 'config', '--help'], {encoding: 'utf8'});
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: cronjob-watcher config check --env-file FILE/);
    const wrong = spawnSync(process.execPath, [cli, 'config', 'nope'], {encoding: 'utf8'});
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /^Usage: /);
  });

  it('refuses what the function refuses at start-up, naming the variable', async () => {
    const cases: Array<[string, RegExp]> = [
      ['GKE_CLUSTERS=prod', /GKE_CLUSTERS: "prod" is not a GKE cluster resource name/],
      ['PAGE_SIZE=0', /PAGE_SIZE must be a whole number from 1 to 10000/],
      ['FIRESTORE_DATABASE=Bad_DB', /FIRESTORE_DATABASE="Bad_DB"/],
      ['GOOGLE_CLOUD_PROJECT=Bad_Project', /GOOGLE_CLOUD_PROJECT: "Bad_Project"/],
      ['STATE_BACKEND=file', /STATE_BACKEND is "file".*Cloud Run/],
      ['not a setting', /function\.env:\d+: not KEY=value/],
    ];
    for (const [line, message] of cases) {
      const result = await check(`${VALID}${line}\n`, ['--assume-set', 'SLACK_BOT_TOKEN']);
      assert.equal(result.status, 1, line);
      assert.match(result.stderr, /^configuration error: /);
      assert.match(result.stderr, message);
    }
  });

  it('checks the Slack settings only with --assume-set SLACK_BOT_TOKEN (the secret comes later)', async () => {
    const badChannel = `${VALID}SLACK_CHANNEL=Not A Channel\n`;
    assert.equal((await check(badChannel)).status, 0);
    const assumed = await check(badChannel, ['--assume-set', 'SLACK_BOT_TOKEN']);
    assert.equal(assumed.status, 1);
    assert.match(assumed.stderr, /SLACK_CHANNEL must be a channel ID or name/);
    const unsupported = await check(VALID, ['--assume-set', 'OTHER']);
    assert.equal(unsupported.status, 1);
    assert.match(unsupported.stderr, /--assume-set: OTHER is not supported/);
  });

  it('SLACK_API_URL: https, or http on loopback only (the token travels with every call)', async () => {
    const cases: Array<[string, number]> = [
      ['https://slack-proxy.example.com/api/', 0],
      ['http://127.0.0.1:8080/api/', 0],
      ['http://localhost:8080/api/', 0],
      ['http://[::1]:8080/api/', 0],
      ['http://slack-proxy.example.com/api/', 1],
      ['http://10.0.0.7/api/', 1],
      ['ftp://127.0.0.1/api/', 1],
    ];
    for (const [url, status] of cases) {
      const result = await check(`${VALID}SLACK_API_URL=${url}\n`, [
        '--assume-set',
        'SLACK_BOT_TOKEN',
      ]);
      assert.equal(result.status, status, `${url}: ${result.stderr}`);
      if (status === 1) assert.match(result.stderr, /SLACK_API_URL must be an https:\/\/ URL/);
    }
  });

  it('never repeats a Slack token, even one pasted into another setting', async () => {
    const result = await check(`${VALID}NAMESPACES=${TOKEN}\n`);
    assert.equal(result.status, 1);
    assert.ok(!result.stderr.includes(TOKEN), result.stderr);
    assert.match(result.stderr, /NAMESPACES: "xox\?-<redacted>"/);
    const asFlag = await check(VALID, [`--assume-set=${TOKEN}`]);
    assert.ok(!asFlag.stderr.includes(TOKEN), asFlag.stderr);
  });
});

describe('config settings: the settings list deploy.sh takes from the parser', () => {
  /** The variables `parseConfig` reads from `env` (and the CLI arguments), recorded. */
  function variablesRead(env: Record<string, string>, argv?: string[]): Set<string> {
    const read = new Set<string>();
    const recording = new Proxy(env, {
      get(target, name, receiver) {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    parseConfig(recording, argv);
    return read;
  }

  it('SETTINGS names exactly the variables the parser reads, each in one group', () => {
    // Every branch that reads a variable: the function with Slack and Firestore, the CLI with
    // the file state, and the function on Cloud Run.
    const read = new Set([
      ...variablesRead({
        SLACK_BOT_TOKEN: 'xoxb-1-settings',
        SLACK_CHANNEL: 'C0123456789',
        STATE_BACKEND: 'firestore',
        GOOGLE_CLOUD_PROJECT: 'watch-prod-1',
      }),
      ...variablesRead({}, []),
      ...variablesRead({K_SERVICE: 'cronjob-watcher', STATE_BACKEND: 'firestore'}),
    ]);
    const listed = [...SETTINGS.deployment, ...SETTINGS.derived, ...SETTINGS.local];
    assert.equal(new Set(listed).size, listed.length, 'a setting is in two groups');
    assert.deepEqual([...read].sort(), [...listed].sort());
  });

  it('`config settings` prints the deployment settings, one a line, through both entries', () => {
    for (const script of [
      [path.join(BUILD_FUNCTIONS, 'cli.js'), 'config', 'settings'],
      [path.join(BUILD_FUNCTIONS, 'config-check.js'), 'settings'],
    ]) {
      const result = spawnSync(process.execPath, script, {encoding: 'utf8'});
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, SETTINGS.deployment.map(name => `${name}\n`).join(''));
    }
    for (const name of ['DETECTIONS', 'ROUTES', 'MESSAGE_LANGUAGE']) {
      assert.ok((SETTINGS.deployment as readonly string[]).includes(name), name);
    }
  });
});
