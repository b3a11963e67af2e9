/**
 * `npm run bench:actions`: figures, not assertions (issue 25). How long the `slackActions`
 * handler takes from a signed click to its 200, against the Firestore emulator and the local
 * Slack server (each click recorded, its message updated and its reply posted before the
 * answer: acknowledge and unacknowledge in turn, so every click changes the record), and what
 * importing the function entry costs a fresh process, with whether it loaded a Kubernetes or
 * GKE client. Flags: `--clicks=200`.
 */
import {execFile} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {
  createFirestore,
  FirestoreIncidentStore,
} from '../../functions/adapters/firestore-incident-store.js';
import {startFirestoreEmulator} from '../support/firestore-emulator.js';
import {CLUSTER, click, KEY, openRecord, startHarness} from '../actions/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const clicks = Number(
  process.argv.find(a => a.startsWith('--clicks='))?.slice('--clicks='.length) ?? 200,
);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function importCost(): Promise<{ms: number; rssMiB: number; clients: string[]}> {
  const entry = pathToFileURL(path.join(here, '..', '..', 'functions', 'index.js')).href;
  const script = `
    import {registerHooks} from 'node:module';
    const loaded = [];
    registerHooks({load(url, context, next) { loaded.push(url); return next(url, context); }});
    const started = performance.now();
    await import(${JSON.stringify(entry)});
    const ms = performance.now() - started;
    const clients = [...new Set(loaded.flatMap(u =>
      ['/@kubernetes/client-node/', '/@google-cloud/container/', '/@slack/web-api/', '/@google-cloud/firestore/']
        .filter(p => u.includes(p))))];
    console.log(JSON.stringify({ms, rssMiB: process.memoryUsage().rss / 2 ** 20, clients}));`;
  const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {...process.env, STATE_BACKEND: 'file', SLACK_BOT_TOKEN: '', K_SERVICE: ''},
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    ms: number;
    rssMiB: number;
    clients: string[];
  };
}

const imports = [];
for (let i = 0; i < 5; i++) imports.push(await importCost());
const importMs = imports.map(i => i.ms).sort((a, b) => a - b);
console.log(
  `import functions/index.js (fresh process, 5 runs): median ${percentile(importMs, 50).toFixed(0)} ms, ` +
    `max ${importMs.at(-1)?.toFixed(0)} ms, RSS ${imports[0]?.rssMiB.toFixed(0)} MiB; ` +
    `SDK clients loaded: ${imports[0]?.clients.join(', ') || 'none'}`,
);

const emulator = await startFirestoreEmulator();
try {
  const db = createFirestore({
    GOOGLE_CLOUD_PROJECT: `bench-actions-${Date.now()}`,
    FIRESTORE_EMULATOR_HOST: emulator.host,
  });
  const store = new FirestoreIncidentStore(db);
  await store.update(CLUSTER.id, KEY, () => openRecord(), {reads: 0, writes: 0});
  const h = await startHarness(store, {postIntervalMs: 0});
  try {
    // The first click pays for loading the Slack and Firestore clients and auth.test.
    const first = await click(h, {actionId: 'cronjob-watcher:acknowledge'});
    await click(h, {actionId: 'cronjob-watcher:unacknowledge'});
    const times: number[] = [];
    let notOk = 0;
    for (let i = 0; i < clicks; i++) {
      const actionId =
        i % 2 === 0 ? 'cronjob-watcher:acknowledge' : 'cronjob-watcher:unacknowledge';
      const answer = await click(h, {actionId, user: 'U0ALICE001'});
      if (answer.status !== 200) notOk++;
      times.push(answer.ms);
    }
    times.sort((a, b) => a - b);
    const sent = h.slack.calls.filter(c => c.outcome === 'ok').length;
    console.log(
      `click to 200 (Firestore emulator, update + reply delivered before the answer), ${clicks} clicks: ` +
        `p50 ${percentile(times, 50).toFixed(0)} ms, p99 ${percentile(times, 99).toFixed(0)} ms, ` +
        `max ${times.at(-1)?.toFixed(0)} ms; first click ${first.ms.toFixed(0)} ms; ` +
        `non-200: ${notOk}; Slack calls ok: ${sent}`,
    );
  } finally {
    await h.close();
  }
} finally {
  await emulator.stop();
}
