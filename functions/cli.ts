#!/usr/bin/env node
/**
 * The command line: `cronjob-watcher status` shows every CronJob's latest run,
 * `cronjob-watcher check` runs one pass (the same pass the function runs) with local state.
 */
import {describeConfig, parseConfig, type Config} from './config.js';
import {ConfigError, describeError, WatcherError} from './core/errors.js';
import type {ClusterSnapshot} from './core/model.js';
import {statusJson, statusTable} from './core/status-report.js';
import {TextLogger} from './logger.js';
import {runPass, type PassSummary} from './pass.js';
import {createAdapters, createClusterSource, passDepsOf} from './wiring.js';

const USAGE = `Usage: cronjob-watcher <command> [options]

Commands:
  status   Show every CronJob's latest run and what it did.
  check    Run one pass: open and close incidents, send (or print) notifications.

Options (both commands):
  --kubeconfig FILE    kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME       kube context (default: the current context)
  --namespace NS       only this namespace; repeat for more (default: all)
  --json               print one JSON document on stdout

Options (check):
  --cluster-name NAME  name of the cluster in incidents and messages (default: the context)
  --state file|firestore   where incidents are kept (default: file)
  --state-dir DIR      directory of the file state (default: .cronjob-watcher)
  --dry-run            decide and print; write nothing, send nothing

Slack: set SLACK_BOT_TOKEN and SLACK_CHANNEL to send; without a token messages are printed.
GKE: set GKE_CLUSTERS or GKE_PROJECTS to read GKE clusters with Application Default Credentials.
`;

async function status(config: Config): Promise<number> {
  const source = createClusterSource(config);
  const {clusters, failures} = await source.clusters();
  const snapshots: ClusterSnapshot[] = [];
  let failed = failures.length > 0;
  for (const failure of failures)
    process.stderr.write(`error: ${failure.ref.name}: ${failure.message}\n`);
  for (const cluster of clusters) {
    try {
      snapshots.push(await cluster.reader.read({namespaces: config.namespaces}));
    } catch (error) {
      failed = true;
      process.stderr.write(`error: ${describeError(error)}\n`);
    }
  }
  // Nothing read: an empty document or table would claim the cluster has no CronJobs.
  if (failed && snapshots.length === 0) return 1;
  const doc = statusJson(snapshots);
  process.stdout.write(config.json ? `${JSON.stringify(doc, null, 2)}\n` : statusTable(doc));
  return failed ? 1 : 0;
}

function printSummary(summary: PassSummary): void {
  const lines = [
    `${summary.dryRun ? 'Dry run (nothing written or sent): ' : ''}${summary.cronJobsSeen} CronJob(s) in ${summary.clusters.length} cluster(s): ` +
      `${summary.opened} opened, ${summary.failedAgain} failed again, ${summary.closed} closed, ` +
      `${summary.recovered} failed and recovered, ${summary.stillOpen} still open` +
      `${summary.muted > 0 ? `, ${summary.muted} muted` : ''}.`,
    `Notifications: ${summary.notificationsSent} sent, ${summary.notificationsPending} pending. ` +
      `State: ${summary.store.reads} read(s), ${summary.store.writes} write(s).`,
  ];
  // What changed, by name: a dry run is asked for to see exactly this.
  for (const t of summary.transitions) {
    lines.push(
      `  ${t.kind}: ${t.cluster} ${t.namespace}/${t.name}${t.job ? ` (job ${t.job})` : ''}`,
    );
  }
  for (const p of summary.policyProblems) {
    lines.push(
      `annotation ignored: ${p.cluster} ${p.namespace}/${p.name}: ${p.annotation}=${JSON.stringify(p.value)} ${p.problem}`,
    );
  }
  for (const error of summary.errors) lines.push(`error [${error.code}]: ${error.message}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function check(config: Config): Promise<number> {
  const logger = new TextLogger(config.json ? 'WARNING' : 'INFO');
  logger.log('DEBUG', 'configuration', describeConfig(config));
  // With --json, stdout carries only the summary: printed messages go to stderr.
  const adapters = createAdapters(config, config.json ? process.stderr : process.stdout);
  const summary = await runPass(passDepsOf(config, adapters, logger));
  if (config.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else printSummary(summary);
  return summary.complete && summary.errors.every(e => e.scope === 'object') ? 0 : 1;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const config = parseConfig(env, rest);
    if (command === 'status') return await status(config);
    if (command === 'check') return await check(config);
    process.stderr.write(`error: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (error) {
    const prefix = error instanceof ConfigError ? 'configuration error' : 'error';
    process.stderr.write(`${prefix}: ${describeError(error)}\n`);
    return error instanceof WatcherError ? 1 : 70;
  }
}

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exitCode = 70;
  },
);
