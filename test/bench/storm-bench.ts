/**
 * Storms at fleet scale (issue 22 §1): figures, not assertions. 20,000 CronJobs (served by
 * `fleet-api-server.ts`), 1,000 of them failing at once, watched by passes 5 minutes apart with
 * the production budget (240 s), the file store, the real `SlackNotifier` and the local Slack
 * API enforcing Slack's pace (a burst, then one post per second per channel). Run once with
 * storms (`STORM_THRESHOLD` 5) and once without, and prints per pass what reached the channel.
 *
 * Time: the notifier's waits are not slept; each moves Slack's and the notifier's clock
 * forward, so a pass's budget is spent on its real work plus Slack's pace, as in production,
 * in far less real time. Passes start 5 minutes apart on that clock.
 *
 *   npx tsc -p tsconfig.json && node build/test/bench/storm-bench.js [CRONJOBS] [FAILING_SHARE]
 */
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {
  createSlackClient,
  POST_BURST,
  SlackNotifier,
} from '../../functions/adapters/slack-notifier.js';
import {silentLogger} from '../../functions/logger.js';
import {runPass} from '../../functions/pass.js';
import {passDepsOf} from '../../functions/wiring.js';
import {startFleetApiServer} from '../support/fleet-api-server.js';
import {startSlackApiServer, type RecordedCall} from '../support/slack-api-server.js';
import {createTestCa} from '../support/test-ca.js';

const CRONJOBS = Number(process.argv[2] ?? '20000');
const FAILING_SHARE = Number(process.argv[3] ?? '0.05');
const TOKEN = 'xoxb-storm-bench';
const CHANNEL = 'C0ALERTS01';
const PASS_EVERY_MS = 5 * 60_000;
const BUDGET_MS = 240_000;
const MAX_PASSES = 8;

interface PassFigures {
  pass: number;
  topLevel: number;
  inThread: number;
  /** CronJobs named in the storm's thread so far: by the roster, or by their own message. */
  named: number;
  updates: number;
  deferred: number;
  pending: number;
  realSeconds: number;
}

/** `namespace/name` of each CronJob a roster post lists (its sections: `*ns*` then `` `name` ``). */
function rosterNames(call: RecordedCall): string[] {
  const names: string[] = [];
  for (const block of call.blocks ?? []) {
    const text = (block as {text?: {text?: string}}).text?.text ?? '';
    const namespace = /^\*([^*]+)\*/.exec(text)?.[1];
    if (namespace === undefined) continue;
    for (const m of text.matchAll(/`([^`]+)`/g)) names.push(`${namespace}/${m[1]}`);
  }
  return names;
}

/** `namespace/name` of the CronJob an opening is about (its fallback text starts with it). */
function openingName(call: RecordedCall): string | null {
  return /([a-z0-9-]+\/[a-z0-9-]+)/.exec(call.text ?? '')?.[1] ?? null;
}

function notificationIdOf(call: RecordedCall): string | null {
  const metadata = call.metadata as {event_payload?: {notification_id?: unknown}} | null;
  const id = metadata?.event_payload?.notification_id;
  return typeof id === 'string' ? id : null;
}

async function run(
  threshold: number | null,
  kubeconfig: string,
  nowMs: number,
): Promise<{passes: PassFigures[]; twice: number; openings: number}> {
  // Slack's clock: real time shifted by every wait and by the gaps between passes, never
  // backwards. The notifier's: real time plus this pass's waits, so the pass's deadline (a
  // real time) comes sooner by every wait, as in production; each pass has its own notifier,
  // as a function instance 5 minutes later has a refilled pace anyway.
  let shiftMs = 0;
  let passWaitsMs = 0;
  const t0 = Date.now();
  const slack = await startSlackApiServer({
    token: TOKEN,
    clock: () => Date.now() + shiftMs,
    rateLimit: {burst: POST_BURST + 1, intervalMs: 1000},
  });
  const notifierOfPass = () =>
    new SlackNotifier(createSlackClient({token: TOKEN, apiUrl: slack.apiUrl}), {
      channel: CHANNEL,
      now: () => Date.now() + passWaitsMs,
      sleep: async ms => {
        passWaitsMs += ms;
        shiftMs += ms;
      },
    });
  const store = new FileIncidentStore({
    dir: await mkdtemp(path.join(os.tmpdir(), 'storm-bench-')),
    batchPerPass: true,
  });
  const source = new KubeconfigClusterSource({file: kubeconfig, context: 'bench', pageSize: 500});
  const passes: PassFigures[] = [];
  const named = new Set<string>();
  let seen = 0;
  try {
    for (let i = 0; i < MAX_PASSES; i++) {
      const startMs = nowMs + i * PASS_EVERY_MS;
      shiftMs = Math.max(shiftMs, t0 + i * PASS_EVERY_MS - Date.now());
      passWaitsMs = 0;
      const notifier = notifierOfPass();
      const started = Date.now();
      const settings = {
        namespaces: null,
        passBudgetMs: BUDGET_MS,
        concurrency: 1,
        clusterDownAfter: 3,
        stormThreshold: threshold,
      };
      const summary = await runPass(
        // The pass's clock runs in real time: its deadline is then a real time, which the
        // notifier's shifted clock reaches sooner by every wait, as in production.
        passDepsOf(
          settings,
          {source, store, notifier},
          silentLogger,
          () => new Date(startMs + Date.now() - started),
        ),
      );
      const calls = slack.accepted().slice(seen);
      seen = slack.accepted().length;
      const posts = calls.filter(c => c.method === 'chat.postMessage');
      for (const c of posts) {
        if (c.thread_ts === null) continue;
        const id = notificationIdOf(c) ?? '';
        if (/\/roster-\d+$/.test(id)) for (const n of rosterNames(c)) named.add(n);
        else if (id.endsWith('/opened')) named.add(openingName(c) ?? id);
      }
      passes.push({
        pass: i + 1,
        topLevel: posts.filter(c => c.thread_ts === null).length,
        inThread: posts.filter(c => c.thread_ts !== null).length,
        named: named.size,
        updates: calls.filter(c => c.method === 'chat.update').length,
        deferred: summary.notificationsDeferred,
        pending: summary.notificationsPending,
        realSeconds: (Date.now() - started) / 1000,
      });
      if (summary.errors.length > 0) {
        console.error(
          `pass ${i + 1}: ${summary.errors.length} errors, e.g. ${summary.errors[0]?.message}`,
        );
      }
      if (summary.notificationsPending === 0 && summary.notificationsDeferred === 0) break;
    }
    const counts = new Map<string, number>();
    for (const c of slack.accepted()) {
      if (c.method !== 'chat.postMessage') continue;
      const id = notificationIdOf(c) ?? '(none)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const openings = [...counts.keys()].filter(id => /\/opened$/.test(id)).length;
    return {passes, twice: [...counts.values()].filter(n => n > 1).length, openings};
  } finally {
    await slack.close();
  }
}

async function main(): Promise<void> {
  const ca = await createTestCa();
  const nowMs = Date.now();
  const server = await startFleetApiServer(
    {
      cronJobs: CRONJOBS,
      jobsPerCronJob: 2,
      failingShare: FAILING_SHARE,
      pageSize: 500,
      now: new Date(nowMs),
    },
    {cert: ca.serverCertPem, key: ca.serverKeyPem, caPem: ca.caCertPem},
  );
  try {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'storm-bench-kube-'));
    const kubeconfig = await server.writeKubeconfig(path.join(dir, 'kubeconfig'), 'bench');
    for (const threshold of [5, null]) {
      const result = await run(threshold, kubeconfig, nowMs);
      console.log(
        `\n${CRONJOBS.toLocaleString('en')} CronJobs, ${Math.round(CRONJOBS * FAILING_SHARE).toLocaleString('en')} failing at once, STORM_THRESHOLD=${threshold ?? 'off'}:`,
      );
      console.log(
        '| pass | top-level | in a thread | named in the thread | updates | deferred | still owed | real time |',
      );
      console.log(
        '| ---: | --------: | ----------: | ------------------: | ------: | -------: | ---------: | --------: |',
      );
      for (const p of result.passes) {
        console.log(
          `| ${p.pass} | ${p.topLevel} | ${p.inThread} | ${p.named} | ${p.updates} | ${p.deferred} | ${p.pending} | ${p.realSeconds.toFixed(1)} s |`,
        );
      }
      console.log(
        `openings announced: ${result.openings}; messages posted more than once: ${result.twice}`,
      );
    }
  } finally {
    await server.close();
    await ca.cleanup();
  }
}

await main();
