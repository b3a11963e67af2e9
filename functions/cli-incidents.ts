/**
 * The CLI's commands for operators without Slack: `incidents` lists the open incidents the
 * state holds (kind, CronJob, opened, age, who acknowledged or snoozed it, channel) as a table
 * or `--json`; `ack NS/NAME` and `snooze NS/NAME DURATION` do what the message's controls do,
 * through the same outbox (`actOnIncident`), so the Slack message changes too.
 */
import {userInfo} from 'node:os';
import {parseArgs} from 'node:util';
import {CLI_OPTIONS, parseConfig, type Config} from './config.js';
import type {ActionChoice} from './core/actions/decide-action.js';
import {incidentRows, incidentsTable, type IncidentRow} from './core/actions/incident-list.js';
import {ConfigError, describeError} from './core/errors.js';
import {openIncidents, type SubjectRecord} from './core/incident.js';
import type {ClusterRef} from './core/model.js';
import {TextLogger} from './logger.js';
import type {ClusterSource, IncidentStore} from './ports.js';
import {actOnIncident} from './slack-actions.js';
import {createIncidentStore, createNotifier} from './wiring.js';

/** The commands of this module. */
export const INCIDENT_COMMANDS = ['incidents', 'ack', 'snooze'] as const;
export type IncidentCommand = (typeof INCIDENT_COMMANDS)[number];

export const INCIDENTS_USAGE = `
  incidents               List open incidents: kind, CronJob, opened, age, who acknowledged
                          or snoozed it (Slack user ID), channel. --json for JSON.
  ack NS/NAME             Acknowledge the CronJob's open incidents, as the Slack button does
                          (the message changes too). --undo takes it back.
  snooze NS/NAME FOR      Snooze them for FOR (30m, 4h, 1d; at most 7d), until "recovery",
                          or "end" a snooze. Options: --kind KIND (one incident),
                          --cluster NAME (when several clusters have that CronJob),
                          --by WHO (default cli:$USER; a Slack user ID shows as a mention).
`;

// The CLI waits for Slack as long as a pass's notifier would for one message.
const CLI_DELIVERY_BUDGET_MS = 30_000;
// A snooze from the command line may cover a weekend; longer is the `ignore` annotation's job.
const MAX_SNOOZE_MS = 7 * 24 * 3_600_000;

const OWN_OPTIONS = {
  kind: {type: 'string'},
  cluster: {type: 'string'},
  by: {type: 'string'},
  undo: {type: 'boolean'},
} as const;
const SHARED = ['kubeconfig', 'context', 'state', 'state-dir', 'json', 'namespace'] as const;

/** A snooze length from the command line: `30m`, `4h`, `1d`, `1h30m`; null when not one. */
export function parseSnoozeFor(text: string): number | null {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (match === null || text === '') return null;
  const [, d = '0', h = '0', m = '0'] = match;
  const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000;
  return ms > 0 && ms <= MAX_SNOOZE_MS ? ms : null;
}

interface Found {
  ref: ClusterRef;
  record: SubjectRecord;
}

/** Every record with an open incident, per cluster the configuration names. */
async function openRecords(source: ClusterSource, store: IncidentStore): Promise<Found[]> {
  const listing = await source.clusters();
  const found: Found[] = [];
  for (const {ref} of listing.clusters) {
    const usage = {reads: 0, writes: 0};
    try {
      const state = await store.loadCluster(ref.id, usage);
      for (const record of state.attention) {
        if (openIncidents(record).length > 0) found.push({ref, record});
      }
    } finally {
      // Releases what `loadCluster` holds (the file store's lock): acting updates alone.
      await store.finishCluster(ref.id, usage);
    }
  }
  return found;
}

/** Runs `incidents`, `ack` or `snooze`; resolves to the exit code. */
export async function incidentsMain(
  command: IncidentCommand,
  argv: string[],
  env: Record<string, string | undefined>,
  clusterSource: (config: Config) => Promise<ClusterSource>,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(SHARED.map(flag => [flag, CLI_OPTIONS[flag]])),
        ...OWN_OPTIONS,
      },
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
  } catch (error) {
    process.stderr.write(`error: ${describeError(error)} (see --help)\n`);
    return 2;
  }
  const {values, positionals, tokens} = parsed;
  // What `parseConfig` reads: the shared flags, without the positionals and this module's own.
  const skipped = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'positional') skipped.add(token.index);
    if (token.kind === 'option' && token.name in OWN_OPTIONS) {
      skipped.add(token.index);
      if (token.value !== undefined && !token.inlineValue) skipped.add(token.index + 1);
    }
  }
  const sharedOnly = argv.filter((_, i) => !skipped.has(i));
  try {
    const config = parseConfig(env, sharedOnly, 'status');
    const store = createIncidentStore(config);
    const found = await openRecords(await clusterSource(config), store);
    const now = new Date();
    if (command === 'incidents') {
      if (positionals.length > 0) throw new ConfigError('incidents takes no arguments');
      const rows: IncidentRow[] = found.flatMap(f => incidentRows(f.ref.name, [f.record], now));
      process.stdout.write(
        config.json ? `${JSON.stringify(rows, null, 2)}\n` : incidentsTable(rows),
      );
      return 0;
    }
    const [target, length] = positionals;
    if (target === undefined || !/^[^/]+\/[^/]+$/.test(target)) {
      throw new ConfigError(`${command} needs the CronJob as NAMESPACE/NAME, e.g. batch/backup`);
    }
    const choice = choiceOf(command, length, values.undo === true, now);
    const matches = found.filter(
      f =>
        f.record.subject.type === 'cronjob' &&
        `${f.record.subject.namespace}/${f.record.subject.name}` === target &&
        (values.cluster === undefined || f.ref.name === values.cluster),
    );
    if (matches.length === 0) {
      process.stderr.write(`error: ${target} has no open incident\n`);
      return 1;
    }
    if (matches.length > 1) {
      throw new ConfigError(
        `${target} has open incidents in ${matches.map(m => m.ref.name).join(', ')}: name one with --cluster`,
      );
    }
    const [{ref, record}] = matches as [Found];
    const incidents = openIncidents(record).filter(
      i => values.kind === undefined || i.kind === values.kind,
    );
    if (incidents.length === 0) {
      throw new ConfigError(`${target} has no open ${values.kind} incident`);
    }
    const by = values.by ?? `cli:${userInfo().username}`;
    const deps = {
      store,
      notifier: createNotifier(config),
      logger: new TextLogger(),
      now: () => new Date(),
    };
    let failed = false;
    for (const incident of incidents) {
      const incidentRef = {cluster: ref, key: target, kind: incident.kind, id: incident.id};
      const result = await actOnIncident(
        deps,
        incidentRef,
        {choice, by, at: now},
        CLI_DELIVERY_BUDGET_MS,
      );
      const said = {
        recorded: 'done',
        unchanged: 'nothing to change: it already is so',
        closed: 'it closed meanwhile',
      }[result.outcome.type];
      process.stdout.write(`${incident.kind} ${incident.id}: ${said}\n`);
      for (const error of result.deliveryErrors) {
        failed = true;
        process.stderr.write(`warning: ${error.message}\n`);
      }
    }
    return failed ? 1 : 0;
  } catch (error) {
    const prefix = error instanceof ConfigError ? 'configuration error' : 'error';
    process.stderr.write(`${prefix}: ${describeError(error)}\n`);
    return 1;
  }
}

function choiceOf(
  command: 'ack' | 'snooze',
  length: string | undefined,
  undo: boolean,
  now: Date,
): ActionChoice {
  if (command === 'ack') return {type: undo ? 'unacknowledge' : 'acknowledge'};
  if (undo || length === 'end') return {type: 'unsnooze'};
  if (length === 'recovery') return {type: 'snooze', until: 'recovery'};
  const ms = length === undefined ? null : parseSnoozeFor(length);
  if (ms === null) {
    throw new ConfigError(
      `snooze needs how long: 30m, 4h, 1d (at most 7d), "recovery" or "end"; got "${length ?? ''}"`,
    );
  }
  return {type: 'snooze', until: new Date(now.getTime() + ms)};
}
