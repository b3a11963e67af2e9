/**
 * Turns incident notifications into Slack messages (Block Kit blocks plus a plain-text
 * fallback) and into readable console text. Pure: no I/O, no clock, no SDK types — the
 * Slack adapter only sends what these functions return, and tests snapshot them.
 *
 * Choices made here, once:
 * - Durations show the two largest units, truncated (never rounded up, so "2h 5m" means at
 *   least 2h 5m): `45s`, `12m 5s`, `2h 5m`, `3d 4h`. A zero second unit is left out (`2h`,
 *   not `2h 0m`): it reads cleaner and says the same. Under one second is `0s`. A negative
 *   or non-finite duration (clock skew between runs, unreadable timestamps) is shown as
 *   `0s` rather than thrown: a message with a wrong-looking duration is better than none.
 * - Times are shown as ISO-8601 UTC to the second, followed by Slack's `{ago}` date token,
 *   which each reader's client renders live ("3 minutes ago").
 * - Values from the cluster or the configuration are escaped (`&`, `<`, `>`) in mrkdwn and
 *   in the fallback text (Slack parses both); header blocks are `plain_text`, which Slack
 *   shows literally, so they are not escaped.
 */
import {
  CRONJOB_DELETED_REASON,
  SUCCEEDED_JOB_GONE_REASON,
  type Incident,
  type PendingNotification,
  type RunRef,
} from './incident.js';
import type {ClusterRef} from './model.js';

/** A Block Kit `mrkdwn` text object. */
export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}

/** The Block Kit blocks this module produces. */
export type SlackBlock =
  | {type: 'header'; text: {type: 'plain_text'; text: string; emoji: true}}
  | {type: 'section'; text: MrkdwnText}
  | {type: 'section'; fields: MrkdwnText[]}
  | {type: 'context'; elements: MrkdwnText[]};

/** A Slack message: blocks for the channel, `text` for notifications and old clients. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/**
 * What formatting needs besides the incident. `NotificationContext` (ports.ts) fits it; it
 * is restated here because the core imports nothing outside it.
 */
export interface MessageContext {
  cluster: ClusterRef;
  namespace: string;
  name: string;
  schedule: string;
}

/** The messages one notification turns into; which of them is sent is the adapter's call. */
export type FormattedNotification =
  | {kind: 'opened'; post: SlackMessage}
  | {
      kind: 'closed';
      /** Replaces the opening message, so the channel shows the incident resolved. */
      update: SlackMessage;
      /** Posted in the opening message's thread. */
      reply: SlackMessage;
      /** Posted on its own when the opening message was never delivered (no thread). */
      standalone: SlackMessage;
    }
  | {kind: 'recovered'; post: SlackMessage};

/** Slack's limit on a section block's text. */
export const SECTION_TEXT_MAX_CHARS = 3000;
/** Slack's limit on each section field's text. */
export const FIELD_TEXT_MAX_CHARS = 2000;
/** Slack's limit on a header block's text. */
export const HEADER_TEXT_MAX_CHARS = 150;
/**
 * Our own cap on the failure message: a Job condition or a container's termination message
 * can be kilobytes (a stack trace); the channel needs the gist, the logs link has the rest.
 * Well under SECTION_TEXT_MAX_CHARS so the reason line and quoting always fit too.
 */
export const FAILURE_MESSAGE_MAX_CHARS = 1500;
/** Cap on any single short value (names, reasons): cluster names come from configuration. */
const VALUE_MAX_CHARS = 200;
/** Cap on the fallback text: Slack advises keeping `text` short; it only feeds notifications. */
const FALLBACK_TEXT_MAX_CHARS = 1000;

/**
 * Logs Explorer window around the failure: a failed run's pods log from their start, and a
 * run can be long (up to its activeDeadlineSeconds), so a day back covers most runs; ten
 * minutes after covers pods still terminating. The user can widen it in the console.
 */
const LOGS_WINDOW_BEFORE_MS = 24 * 3600_000;
const LOGS_WINDOW_AFTER_MS = 10 * 60_000;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UNITS: Array<[string, number]> = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
];

/** A duration with its two largest units: `45s`, `12m 5s`, `2h 5m`, `3d 4h` (see the header). */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  const index = UNITS.findIndex(([, size]) => total >= size);
  const largest = UNITS[index];
  if (largest === undefined) return '0s';
  const [unit, size] = largest;
  const count = Math.floor(total / size);
  const next = UNITS[index + 1];
  if (next === undefined) return `${count}${unit}`;
  const nextCount = Math.floor((total - count * size) / next[1]);
  return nextCount === 0 ? `${count}${unit}` : `${count}${unit} ${nextCount}${next[0]}`;
}

/** Escapes Slack's three control characters. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `value` and cuts it so the escaped text is at most `max` characters, never in the
 * middle of an entity or a surrogate pair; a cut text ends with `…`.
 */
export function escapeAndCap(value: string, max: number): string {
  const whole = escapeMrkdwn(value);
  if (whole.length <= max) return whole;
  let out = '';
  for (const char of value) {
    const piece = escapeMrkdwn(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

function cap(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const char of value) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** `2024-05-01T14:03:07Z`, or the raw text when it is not a time. */
function isoSeconds(iso: string | null): string {
  const ms = parseTime(iso);
  if (ms === null) return iso ?? 'unknown time';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** ISO UTC plus a live "N minutes ago" rendered by the reader's Slack client. */
function slackTime(iso: string | null): string {
  const ms = parseTime(iso);
  const shown = escapeMrkdwn(isoSeconds(iso));
  if (ms === null) return shown;
  return `${shown} (<!date^${Math.floor(ms / 1000)}^{ago}|UTC>)`;
}

/** Incident duration from the cluster's timestamps; null when either is missing. */
export function incidentDurationMs(incident: Incident): number | null {
  const opened = parseTime(incident.openedAt);
  const closed = parseTime(incident.closedAt);
  if (opened === null || closed === null) return null;
  return closed - opened;
}

function durationText(incident: Incident): string | null {
  const ms = incidentDurationMs(incident);
  return ms === null ? null : formatDuration(ms);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `job X` or `manual run X`, for a person to read. */
function runLabel(run: RunRef): string {
  return `${run.manual ? 'manual run' : 'job'} ${run.job}`;
}

function code(value: string): string {
  // Backticks cannot be escaped inside inline code; Kubernetes names never contain them,
  // anything else that does loses them rather than breaking the formatting.
  return `\`${escapeAndCap(value.replace(/`/g, "'"), VALUE_MAX_CHARS)}\``;
}

function field(label: string, value: string): MrkdwnText {
  return {type: 'mrkdwn', text: cap(`*${label}*\n${value}`, FIELD_TEXT_MAX_CHARS)};
}

function header(text: string): SlackBlock {
  return {
    type: 'header',
    text: {type: 'plain_text', text: cap(text, HEADER_TEXT_MAX_CHARS), emoji: true},
  };
}

function section(text: string): SlackBlock {
  return {type: 'section', text: {type: 'mrkdwn', text: cap(text, SECTION_TEXT_MAX_CHARS)}};
}

function fallback(text: string): string {
  return escapeAndCap(text, FALLBACK_TEXT_MAX_CHARS);
}

function fullName(context: MessageContext): string {
  return `${context.namespace}/${context.name}`;
}

/** Links into the Cloud Console, when the cluster's project and location are known. */
export interface ConsoleLinks {
  /** The CronJob's workload page. */
  cronJob: string;
  /** Logs Explorer, filtered to the pods of the failed Job, around its failure time. */
  logs: string;
}

/**
 * The Cloud Console links for a CronJob and one of its Jobs. Pods are found by their
 * `job-name` label, which GKE's logging agent records as `labels."k8s-pod/job-name"`; the
 * newer `batch.kubernetes.io/job-name` label is recorded with its dots turned into
 * underscores, so both are queried.
 */
export function consoleLinksOf(
  context: MessageContext,
  job: string,
  failedAt: string | null,
): ConsoleLinks | null {
  const {project, location, name: cluster} = context.cluster;
  if (project === null || location === null || project === '' || location === '') return null;
  const path = [location, cluster, context.namespace, context.name].map(encodeURIComponent);
  const cronJob =
    `https://console.cloud.google.com/kubernetes/cronjob/${path.join('/')}/details` +
    `?project=${encodeURIComponent(project)}`;
  const quoted = (value: string) => JSON.stringify(value);
  const query = [
    'resource.type="k8s_container"',
    `resource.labels.cluster_name=${quoted(cluster)}`,
    `resource.labels.namespace_name=${quoted(context.namespace)}`,
    `(labels."k8s-pod/job-name"=${quoted(job)} OR ` +
      `labels."k8s-pod/batch_kubernetes_io/job-name"=${quoted(job)})`,
  ].join('\n');
  let logs = `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)}`;
  const at = parseTime(failedAt);
  if (at !== null) {
    const from = isoSeconds(new Date(at - LOGS_WINDOW_BEFORE_MS).toISOString());
    const to = isoSeconds(new Date(at + LOGS_WINDOW_AFTER_MS).toISOString());
    logs += `;timeRange=${encodeURIComponent(`${from}/${to}`)}`;
  }
  logs += `?project=${encodeURIComponent(project)}`;
  return {cronJob, logs};
}

function linksBlock(context: MessageContext, run: RunRef): SlackBlock | null {
  const links = consoleLinksOf(context, run.job, run.at);
  if (links === null) return null;
  // Encoded URLs hold no `|` or `>`, so they are safe inside `<url|label>`.
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          `<${links.cronJob}|CronJob in Cloud Console> · ` +
          `<${links.logs}|Logs of ${escapeAndCap(run.job, VALUE_MAX_CHARS)}>`,
      },
    ],
  };
}

/** Reason (or "unknown reason") and the quoted failure message of the latest failure, capped. */
function reasonBlock(incident: Incident): SlackBlock {
  const run = incident.latestFailure;
  const label = run.jobUid === incident.openedBy.jobUid ? 'Reason' : 'Latest reason';
  const reason = escapeAndCap(run.reason ?? 'unknown reason', VALUE_MAX_CHARS);
  let text = `*${label}:* ${reason}`;
  if (run.detail !== null && run.detail.trim() !== '') {
    text += `\n*Pods:* ${escapeAndCap(run.detail.trim(), FAILURE_MESSAGE_MAX_CHARS / 2)}`;
  }
  if (run.message !== null && run.message.trim() !== '') {
    const quoted = escapeAndCap(run.message.trim(), FAILURE_MESSAGE_MAX_CHARS)
      .split('\n')
      .map(line => `>${line}`)
      .join('\n');
    text += `\n${quoted}`;
  }
  return section(text);
}

function openingFields(incident: Incident, context: MessageContext): MrkdwnText[] {
  const opened = incident.openedBy;
  const latest = incident.latestFailure;
  const fields = [
    field('Cluster', escapeAndCap(context.cluster.name, VALUE_MAX_CHARS)),
    field('CronJob', code(fullName(context))),
    field('Failed run', `${code(opened.job)}${opened.manual ? ' (manual run)' : ''}`),
    field('Failed at', slackTime(incident.openedAt)),
    field('Schedule', code(context.schedule)),
    field('Failed runs', String(incident.failedRuns)),
  ];
  if (latest.jobUid !== opened.jobUid) {
    fields.push(
      field(
        'Latest failure',
        `${code(latest.job)}${latest.manual ? ' (manual run)' : ''} at ${slackTime(latest.at)}`,
      ),
    );
  }
  return fields;
}

function withoutNull(blocks: Array<SlackBlock | null>): SlackBlock[] {
  return blocks.filter((b): b is SlackBlock => b !== null);
}

/** (a) The message that announces a new incident. */
export function formatOpened(incident: Incident, context: MessageContext): SlackMessage {
  const run = incident.openedBy;
  return {
    text: fallback(
      `🔴 CronJob ${fullName(context)} failed on ${context.cluster.name}: ` +
        `${run.reason ?? 'unknown reason'} (${runLabel(run)})`,
    ),
    blocks: withoutNull([
      header(`🔴 CronJob failing: ${fullName(context)}`),
      {type: 'section', fields: openingFields(incident, context)},
      reasonBlock(incident),
      linksBlock(context, incident.openedBy),
    ]),
  };
}

function wasDeleted(incident: Incident): boolean {
  return incident.closedBy?.reason === CRONJOB_DELETED_REASON;
}

function resolvedPhrase(incident: Incident): string {
  const duration = durationText(incident);
  const verb = wasDeleted(incident) ? 'Closed' : 'Resolved';
  return duration === null ? verb : `${verb} after ${duration}`;
}

/** How the incident ended: "fixed by job X", or "the CronJob was deleted". */
function endedBy(closedBy: RunRef | null): string {
  if (closedBy === null) return '';
  if (closedBy.reason === CRONJOB_DELETED_REASON) return 'the CronJob was deleted';
  if (closedBy.reason === SUCCEEDED_JOB_GONE_REASON) {
    return 'fixed by a later run (its Job was already deleted)';
  }
  return `fixed by ${runLabel(closedBy)}`;
}

/** (b) The opening message as it reads once the incident closed: resolved at the top. */
export function formatResolvedOpening(incident: Incident, context: MessageContext): SlackMessage {
  const opening = formatOpened(incident, context);
  const fixedBy = incident.closedBy === null ? '' : `, ${endedBy(incident.closedBy)}`;
  return {
    text: fallback(
      `✅ ${resolvedPhrase(incident)}: CronJob ${fullName(context)} on ` +
        `${context.cluster.name} (${plural(incident.failedRuns, 'failed run', 'failed runs')}` +
        `${fixedBy})`,
    ),
    blocks: [
      header(`✅ ${resolvedPhrase(incident)}: ${fullName(context)}`),
      ...opening.blocks.slice(1),
    ],
  };
}

/** The one-line summary of a closed incident: "Resolved after 2h 5m, 3 failed runs, fixed by job X". */
function closingLine(incident: Incident): string {
  const parts = [
    resolvedPhrase(incident),
    plural(incident.failedRuns, 'failed run', 'failed runs'),
  ];
  if (incident.closedBy !== null) parts.push(endedBy(incident.closedBy));
  return parts.join(', ');
}

/** (c) The reply in the opening message's thread. */
export function formatClosingReply(incident: Incident, _context: MessageContext): SlackMessage {
  const line = closingLine(incident);
  return {
    text: fallback(`✅ ${line}`),
    blocks: [
      section(`✅ ${escapeMrkdwn(line)}`),
      {
        type: 'context',
        elements: [{type: 'mrkdwn', text: `Recovered at ${slackTime(incident.closedAt)}`}],
      },
    ],
  };
}

function summaryMessage(
  incident: Incident,
  context: MessageContext,
  title: string,
  textLead: string,
): SlackMessage {
  const opened = incident.openedBy;
  const closedBy = incident.closedBy;
  const duration = durationText(incident);
  const fields = [
    field('Cluster', escapeAndCap(context.cluster.name, VALUE_MAX_CHARS)),
    field('CronJob', code(fullName(context))),
    field('Failed run', `${code(opened.job)}${opened.manual ? ' (manual run)' : ''}`),
    field('Failed at', slackTime(incident.openedAt)),
    field(
      'Recovered by',
      closedBy === null
        ? 'unknown run'
        : closedBy.reason === CRONJOB_DELETED_REASON
          ? 'nothing: the CronJob was deleted'
          : closedBy.job === ''
            ? 'a later run (its Job was already deleted)'
            : `${code(closedBy.job)}${closedBy.manual ? ' (manual run)' : ''}`,
    ),
    field('Recovered at', slackTime(incident.closedAt)),
    field('Failing for', duration ?? 'unknown'),
    field('Failed runs', String(incident.failedRuns)),
    field('Schedule', code(context.schedule)),
  ];
  const fixedBy =
    closedBy === null
      ? ''
      : closedBy.reason === CRONJOB_DELETED_REASON
        ? ' (the CronJob was deleted)'
        : closedBy.job === ''
          ? ' (by a run whose Job was already deleted)'
          : ` by ${runLabel(closedBy)}`;
  return {
    text: fallback(
      `${textLead} CronJob ${fullName(context)} on ${context.cluster.name} failed at ` +
        `${isoSeconds(incident.openedAt)} (${opened.reason ?? 'unknown reason'}) and recovered ` +
        `at ${isoSeconds(incident.closedAt)}${fixedBy}` +
        `${duration === null ? '' : `, after ${duration}`}`,
    ),
    blocks: withoutNull([
      header(`${title}: ${fullName(context)}`),
      {type: 'section', fields},
      reasonBlock(incident),
      linksBlock(context, opened),
    ]),
  };
}

/** (d) One message for an incident that opened and closed before anything was sent. */
export function formatRecovered(incident: Incident, context: MessageContext): SlackMessage {
  return summaryMessage(incident, context, '🟡 Failed and recovered', '🟡');
}

/**
 * A closing message that cannot thread (the opening message was never delivered): it says
 * both what failed and that it is resolved, like `formatRecovered`, titled as resolved.
 */
export function formatClosedStandalone(incident: Incident, context: MessageContext): SlackMessage {
  const duration = durationText(incident);
  return summaryMessage(
    incident,
    context,
    `✅ ${duration === null ? 'Resolved' : `Resolved after ${duration}`}`,
    '✅',
  );
}

/** Every message a notification may need, by kind. */
export function formatNotification(
  notification: PendingNotification,
  context: MessageContext,
): FormattedNotification {
  const incident = notification.incident;
  if (incident.subject === 'cluster') return formatClusterNotification(notification, context);
  switch (notification.kind) {
    case 'opened':
      return {kind: 'opened', post: formatOpened(incident, context)};
    case 'closed':
      return {
        kind: 'closed',
        update: formatResolvedOpening(incident, context),
        reply: formatClosingReply(incident, context),
        standalone: formatClosedStandalone(incident, context),
      };
    case 'recovered':
      return {kind: 'recovered', post: formatRecovered(incident, context)};
  }
}

/** "The watcher cannot see cluster X": what is wrong, since when, and what to check. */
function formatClusterOpened(incident: Incident, context: MessageContext): SlackMessage {
  const cluster = context.cluster.name;
  const cause = incident.latestFailure;
  const reason = `${cause.reason ?? 'unknown'}: ${cause.message ?? 'no detail'}`;
  return {
    text: fallback(
      `🟠 The watcher cannot read cluster ${cluster} since ${isoSeconds(incident.openedAt)} ` +
        `(${plural(incident.failedRuns, 'failed read', 'failed reads')}): ${reason}`,
    ),
    blocks: [
      header(`🟠 Watcher cannot see cluster ${cluster}`),
      {
        type: 'section',
        fields: [
          field('Cluster', escapeAndCap(context.cluster.id, VALUE_MAX_CHARS)),
          field('Unreadable since', slackTime(incident.openedAt)),
          field('Failed reads', String(incident.failedRuns)),
        ],
      },
      section(`*Why:* ${escapeAndCap(reason, FAILURE_MESSAGE_MAX_CHARS)}`),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'CronJob incidents on this cluster neither open nor close while it cannot be read.',
          },
        ],
      },
    ],
  };
}

function clusterClosingLine(incident: Incident): string {
  const duration = durationText(incident);
  return (
    `Cluster readable again${duration === null ? '' : ` after ${duration}`}, ` +
    plural(incident.failedRuns, 'failed read', 'failed reads')
  );
}

function formatClusterNotification(
  notification: PendingNotification,
  context: MessageContext,
): FormattedNotification {
  const incident = notification.incident;
  const opened = formatClusterOpened(incident, context);
  const line = `✅ ${clusterClosingLine(incident)}`;
  const closedSummary: SlackMessage = {
    text: fallback(
      `${line}: ${context.cluster.name} (unreadable since ${isoSeconds(incident.openedAt)})`,
    ),
    blocks: [header(`${line}: ${context.cluster.name}`), ...opened.blocks.slice(1, 3)],
  };
  switch (notification.kind) {
    case 'opened':
      return {kind: 'opened', post: opened};
    case 'closed':
      return {
        kind: 'closed',
        update: closedSummary,
        reply: {text: fallback(line), blocks: [section(escapeMrkdwn(line))]},
        standalone: closedSummary,
      };
    case 'recovered':
      return {kind: 'recovered', post: closedSummary};
  }
}

/** Turns mrkdwn into plain text: links as `label: url`, no live date tokens, no markup. */
function plainOf(mrkdwn: string): string {
  // Code spans first, so a `*` inside one (a cron schedule) is not taken for bold.
  const pieces = mrkdwn.split(/(`[^`\n]*`)/);
  return pieces
    .map((piece, i) => {
      if (i % 2 === 1) return piece.slice(1, -1);
      return piece
        .replace(/ \(<!date\^[^>]*>\)/g, '')
        .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
        .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2: $1')
        .replace(/<(https?:[^|>]+)>/g, '$1')
        .replace(/\*([^*\n]+)\*/g, '$1')
        .replace(/^>/gm, '  | ');
    })
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * A readable plain-text rendering of a message, for the console notifier: the header, then
 * `Label: value` lines, the reason and quoted message, and links — no JSON.
 */
export function renderConsole(message: SlackMessage): string {
  const lines: string[] = [];
  for (const block of message.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(block.text.text, '─'.repeat(Math.min(block.text.text.length, 60)));
        break;
      case 'section':
        if ('fields' in block) {
          for (const f of block.fields) {
            const [label = '', ...value] = plainOf(f.text).split('\n');
            lines.push(`${label}: ${value.join(' ')}`);
          }
        } else {
          lines.push(plainOf(block.text.text));
        }
        break;
      case 'context':
        for (const element of block.elements) {
          lines.push(...plainOf(element.text).split(' · '));
        }
        break;
    }
  }
  if (lines.length === 0) lines.push(plainOf(message.text));
  return lines.join('\n');
}
