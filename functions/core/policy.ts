/**
 * Per-CronJob settings: the `cronjob-watcher/*` annotations of a CronJob, the `ROUTES` of the
 * configuration and its defaults, turned into one typed `Policy` per subject, every pass.
 * Pure. A malformed annotation is ignored for that CronJob only (its default applies) and
 * reported as a `PolicyProblem`; nothing here throws on what a cluster holds.
 */
import type {AnnotationSetting, Check} from './annotations.js';
import type {BasePolicy} from './detector.js';
import {
  DEFAULT_DETECTION_SETTINGS,
  DETECTIONS,
  type DetectionSettings,
} from './detections/registry.js';
import type {Destination, IncidentKind} from './incident.js';
import {recordKeyOf, CLUSTER_RECORD_KEY} from './incident.js';
import {LANGUAGES, type Language} from './messages/languages.js';
import {mostSpecificRoute} from './routes.js';
import {DEFAULT_REMINDERS_MS, parseReminders} from './reminders.js';
import {
  maintenanceRouteFor,
  parseMaintenance,
  type MaintenanceRoute,
  type MaintenanceSpec,
} from './maintenance.js';
import type {CronJobInfo} from './model.js';

export {parseDurationMs} from './annotations.js';

/**
 * Settings that shape decisions for one subject: the configuration's thresholds and, for a
 * CronJob, what its annotations say (`policiesOf` builds it every pass). An absent setting is
 * its default: not ignored, the configured channel and language, each detection's default.
 */
export type Policy = BasePolicy & Partial<DetectionSettings>;

/** The policy with nothing set but the cluster's threshold. */
export function defaultPolicy(clusterDownAfter: number): Policy {
  return {clusterDownAfter, ...DEFAULT_DETECTION_SETTINGS};
}

/** Every annotation the watcher reads starts with this. */
export const ANNOTATION_PREFIX = 'cronjob-watcher/';

/**
 * A Slack channel ID (`C…`, `G…`, `D…`) or a channel name with or without `#` (Slack's own
 * rules for names: lowercase, digits, `-`, `_`, `.`, at most 80 characters).
 */
export const SLACK_CHANNEL_PATTERN = /^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,})$/;

// What Slack turns into a notification: a user (`U…`, or `W…` on Enterprise Grid), a user
// group (`<!subteam^S…>` with an optional label), `@here`, `@channel`, `@everyone`. Anything
// else in the annotation would be posted as literal markup or could ping people it should not.
const MENTION_PATTERN =
  /^(<@[UW][A-Z0-9]{2,20}>|<!subteam\^S[A-Z0-9]{2,20}(\|[^<>|]{1,80})?>|<!here>|<!channel>|<!everyone>)$/;
// Mentions that notify everyone in a channel (or workspace), not the people who own a job.
const BROADCAST_MENTIONS = new Set(['<!here>', '<!channel>', '<!everyone>']);
// A direct message's ID: an annotation must not send a CronJob's alerts into someone's DMs.
const DIRECT_MESSAGE_ID = /^D[A-Z0-9]{8,}$/;

/**
 * What the operator lets a CronJob's annotations do. Whoever may edit a CronJob writes its
 * annotations; only the operator writes the configuration, so an annotation may choose among
 * what the configuration allows, never more.
 */
export interface AnnotationTrust {
  /**
   * The channels `slack-channel` may name (`SLACK_ALLOWED_CHANNELS`, plus the channels of
   * `ROUTES` and `SLACK_CHANNEL`, which are the operator's); null: any channel but a DM.
   */
  allowedChannels: ReadonlySet<string> | null;
  /** `ALLOW_BROADCAST_MENTIONS`: `<!here>`, `<!channel>`, `<!everyone>` in `mention`. */
  broadcastMentions: boolean;
}

/** What annotations may do when the configuration says nothing: any channel but a DM, no broadcast. */
export const DEFAULT_TRUST: AnnotationTrust = {allowedChannels: null, broadcastMentions: false};

/** The trust the configuration gives: its allowed channels joined by its own. */
export function annotationTrustOf(settings: {
  /** `SLACK_ALLOWED_CHANNELS`; null when unset. */
  allowedChannels: readonly string[] | null;
  broadcastMentions: boolean;
  routes: readonly ChannelRoute[];
  /** `SLACK_CHANNEL`; null without Slack. */
  slackChannel: string | null;
}): AnnotationTrust {
  const operators = [
    ...settings.routes.map(r => r.channel),
    ...(settings.slackChannel === null ? [] : [settings.slackChannel]),
  ];
  return {
    allowedChannels:
      settings.allowedChannels === null
        ? null
        : new Set([...settings.allowedChannels, ...operators]),
    broadcastMentions: settings.broadcastMentions,
  };
}

/** Why the configuration does not let an annotation have this (parsed) value; null: it does. */
function untrusted(name: string, value: unknown, trust: AnnotationTrust): string | null {
  if (name === 'slack-channel' && typeof value === 'string') {
    if (DIRECT_MESSAGE_ID.test(value)) {
      return 'is a direct message (D…): an annotation may not send alerts to one';
    }
    if (trust.allowedChannels !== null && !trust.allowedChannels.has(value)) {
      return 'is not a channel this deployment allows annotations to name (SLACK_ALLOWED_CHANNELS, by ID)';
    }
  }
  if (name === 'mention' && typeof value === 'string' && !trust.broadcastMentions) {
    const broadcast = value.split(' ').find(t => BROADCAST_MENTIONS.has(t));
    if (broadcast !== undefined) {
      return `${broadcast} notifies the whole channel: allowed only when the deployment sets ALLOW_BROADCAST_MENTIONS=true`;
    }
  }
  return null;
}
// More people than this in one alert is a broadcast, not a mention.
const MAX_MENTIONS = 10;
// A runbook URL longer than this is not a link a person wrote; it would crowd the message.
export const RUNBOOK_MAX_CHARS = 1000;
// Annotation values are echoed in the summary: enough to recognise one, no more.
const VALUE_ECHO_MAX_CHARS = 80;

/** The settings every CronJob's annotations can give, whatever detections run. */
type CommonSettings = {
  /** `ignore: "true"`: no incident of any kind, nothing sent. */
  ignore: boolean;
  /** `slack-channel` as written (ID or name). */
  channel: string | null;
  /** `mention`: Slack mention markup, sent unescaped in opening messages. */
  mention: string | null;
  /** `runbook`: an https URL. */
  runbook: string | null;
  /** `language`: overrides `MESSAGE_LANGUAGE`. */
  language: Language | null;
  /** `maintenance`: overrides `MAINTENANCE`. */
  maintenance: MaintenanceSpec | null;
  /** `reminders`: overrides `REMINDERS` (no offsets: `off`). */
  reminders: readonly number[] | null;
};

/** The settings one CronJob's annotations can give: the common ones and each detection's. */
export type CronJobSettings = CommonSettings & DetectionSettings;

/** Settings of a CronJob without annotations. */
export const NO_SETTINGS: CronJobSettings = {
  ignore: false,
  channel: null,
  mention: null,
  runbook: null,
  language: null,
  maintenance: null,
  reminders: null,
  ...DEFAULT_DETECTION_SETTINGS,
};

/** A malformed annotation: ignored for its CronJob, reported once per pass. */
export interface PolicyProblem {
  cluster: string;
  namespace: string;
  name: string;
  /** The full annotation key, e.g. `cronjob-watcher/log-lines`. */
  annotation: string;
  /** The value, cut to a recognisable length. */
  value: string;
  problem: string;
}

/** Parsed annotations: the settings and what was wrong with the rest. */
export interface ParsedSettings {
  settings: CronJobSettings;
  problems: Array<{annotation: string; value: string; problem: string}>;
}

function parseIgnore(raw: string): Check<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return {ok: true, value: true};
  if (v === 'false') return {ok: true, value: false};
  return {ok: false, problem: 'must be "true" or "false"'};
}

function parseChannel(raw: string): Check<string> {
  const v = raw.trim();
  return SLACK_CHANNEL_PATTERN.test(v)
    ? {ok: true, value: v}
    : {ok: false, problem: 'must be a Slack channel ID (C0123456789) or name (#cronjobs)'};
}

function parseMention(raw: string): Check<string> {
  const tokens = raw
    .trim()
    .split(/\s+/)
    .filter(t => t !== '');
  if (tokens.length === 0) return {ok: false, problem: 'is empty'};
  if (tokens.length > MAX_MENTIONS) {
    return {ok: false, problem: `names ${tokens.length} mentions; at most ${MAX_MENTIONS}`};
  }
  const bad = tokens.find(t => !MENTION_PATTERN.test(t));
  if (bad !== undefined) {
    return {
      ok: false,
      problem:
        'must be Slack mentions: <@U0123ABCD> (a user), <!subteam^S0123ABCD> (a user group), <!here>, <!channel> or <!everyone>',
    };
  }
  return {ok: true, value: tokens.join(' ')};
}

function parseRunbook(raw: string): Check<string> {
  const v = raw.trim();
  if (v.length > RUNBOOK_MAX_CHARS) {
    return {ok: false, problem: `is longer than ${RUNBOOK_MAX_CHARS} characters`};
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return {ok: false, problem: 'is not a URL (an https:// link is expected)'};
  }
  if (url.protocol !== 'https:' || /\s/.test(v)) {
    return {ok: false, problem: 'must be an https:// URL'};
  }
  // `href` is percent-encoded: no `|`, `<` or `>` that would break Slack's link markup.
  return {ok: true, value: url.href.replace(/\|/g, '%7C')};
}

function parseLanguage(raw: string): Check<Language> {
  const v = raw.trim().toLowerCase();
  const found = LANGUAGES.find(l => l === v);
  return found === undefined
    ? {ok: false, problem: `must be one of ${LANGUAGES.join(', ')}`}
    : {ok: true, value: found};
}

const COMMON_ANNOTATIONS: readonly AnnotationSetting[] = [
  {name: 'slack-channel', field: 'channel', parse: parseChannel},
  {name: 'ignore', field: 'ignore', parse: parseIgnore},
  {name: 'mention', field: 'mention', parse: parseMention},
  {name: 'runbook', field: 'runbook', parse: parseRunbook},
  {name: 'language', field: 'language', parse: parseLanguage},
  {name: 'maintenance', field: 'maintenance', parse: parseMaintenance},
  {name: 'reminders', field: 'reminders', parse: parseReminders},
];

/** Every annotation the watcher reads: the common ones, then each detection's. */
const ANNOTATION_TABLE: readonly AnnotationSetting[] = [
  ...COMMON_ANNOTATIONS,
  ...DETECTIONS.flatMap(d => d.settings.annotations),
];

/** The annotations (without the prefix); one several detections read is listed once. */
export const ANNOTATIONS: readonly string[] = [...new Set(ANNOTATION_TABLE.map(a => a.name))];

function echo(value: string): string {
  return value.length > VALUE_ECHO_MAX_CHARS ? `${value.slice(0, VALUE_ECHO_MAX_CHARS)}…` : value;
}

/**
 * The settings of one CronJob from its annotations (only `cronjob-watcher/*` keys are read).
 * An unknown key under the prefix is reported too: it is most likely a typo of a known one;
 * so is a value `trust` does not allow (a channel outside the allowed ones, a broadcast).
 */
export function parseAnnotations(
  annotations: Readonly<Record<string, string>>,
  trust: AnnotationTrust = DEFAULT_TRUST,
): ParsedSettings {
  const settings: CronJobSettings = {...NO_SETTINGS};
  const problems: ParsedSettings['problems'] = [];
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const raw = annotations[key] ?? '';
    const name = key.slice(ANNOTATION_PREFIX.length);
    const known = ANNOTATION_TABLE.find(a => a.name === name);
    if (known === undefined) {
      problems.push({
        annotation: key,
        value: echo(raw),
        problem: `is not a setting (known: ${ANNOTATIONS.join(', ')})`,
      });
      continue;
    }
    const result = known.parse(raw);
    const refused = result.ok ? untrusted(name, result.value, trust) : result.problem;
    if (refused === null && result.ok) Object.assign(settings, {[known.field]: result.value});
    else if (refused !== null) problems.push({annotation: key, value: echo(raw), problem: refused});
  }
  return {settings, problems};
}

/** One `ROUTES` entry: a cluster and/or namespace (null = any) routed to a channel. */
export interface ChannelRoute {
  cluster: string | null;
  namespace: string | null;
  channel: string;
}

/** `ROUTES` parsed, or what is wrong with it (the configuration turns it into a ConfigError). */
export type ParsedRoutes = {ok: true; routes: ChannelRoute[]} | {ok: false; problem: string};

// A cluster name as people see it (GKE names, kube context names) and a namespace (DNS-1123
// label), each or `*`.
const ROUTE_CLUSTER = /^(\*|[A-Za-z0-9][A-Za-z0-9._@:-]{0,99})$/;
const ROUTE_NAMESPACE = /^(\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/;

/** Parses `prod/payments=C0PAY12345,*\/data=C0DATA1234`: `<cluster>/<namespace>=<channel>`. */
export function parseRoutes(raw: string): ParsedRoutes {
  const routes: ChannelRoute[] = [];
  const seen = new Set<string>();
  for (const entry of raw.split(',').map(e => e.trim())) {
    if (entry === '') continue;
    const m = /^([^/=]+)\/([^/=]+)=([^=]+)$/.exec(entry);
    if (m === null) {
      return {ok: false, problem: `"${entry}" is not <cluster>/<namespace>=<channel>`};
    }
    const [, cluster = '', namespace = '', channel = ''] = m.map(p => p.trim());
    if (!ROUTE_CLUSTER.test(cluster)) {
      return {ok: false, problem: `"${entry}": "${cluster}" is not a cluster name or *`};
    }
    if (!ROUTE_NAMESPACE.test(namespace)) {
      return {ok: false, problem: `"${entry}": "${namespace}" is not a namespace name or *`};
    }
    if (!SLACK_CHANNEL_PATTERN.test(channel)) {
      return {
        ok: false,
        problem: `"${entry}": "${channel}" is not a Slack channel ID (C0123456789) or name (#cronjobs)`,
      };
    }
    const key = `${cluster}/${namespace}`;
    if (seen.has(key)) return {ok: false, problem: `${key} is routed twice`};
    seen.add(key);
    routes.push({
      cluster: cluster === '*' ? null : cluster,
      namespace: namespace === '*' ? null : namespace,
      channel,
    });
  }
  return {ok: true, routes};
}

/**
 * The routed channel of a CronJob (`namespace`) or of the cluster itself (`namespace` null),
 * null when no route matches. The most specific route wins: cluster and namespace, then the
 * namespace on any cluster (a team owns a namespace everywhere), then the whole cluster, then
 * `*\/*`. A cluster's own messages match only routes for any namespace.
 */
export function routeFor(
  routes: readonly ChannelRoute[],
  cluster: string,
  namespace: string | null,
): string | null {
  return mostSpecificRoute(routes, cluster, namespace)?.channel ?? null;
}

/** What the configuration says for every subject. */
export interface PolicyDefaults {
  clusterDownAfter: number;
  /** `MESSAGE_LANGUAGE`. */
  language: Language;
  /** `ROUTES`. */
  routes: readonly ChannelRoute[];
  /** CronJob detections turned off (`DETECTIONS`); default none. */
  disabled?: readonly IncidentKind[];
  /** What annotations may do (`annotationTrustOf`); default `DEFAULT_TRUST`. */
  trust?: AnnotationTrust;
  /** `MAINTENANCE`; default none. */
  maintenance?: readonly MaintenanceRoute[];
  /** `REMINDERS` (no offsets: off); default `DEFAULT_REMINDERS_MS`. */
  reminders?: readonly number[];
}

/** Every subject's policy for one cluster's pass, and the annotations that were ignored. */
export interface ClusterPolicies {
  policyOf(subjectKey: string): Policy;
  problems: PolicyProblem[];
}

/** Where a subject's messages go: annotation, else route, else `SLACK_CHANNEL` (null). */
function destinationOf(
  settings: CronJobSettings,
  defaults: PolicyDefaults,
  cluster: string,
  namespace: string | null,
): Destination {
  return {
    channel: channelOf(settings, defaults.routes, cluster, namespace),
    language: settings.language ?? defaults.language,
    mention: settings.mention,
    runbook: settings.runbook,
  };
}

/**
 * The channel a subject's annotation or the routes name, in that order; null: the configured
 * `SLACK_CHANNEL`.
 */
export function channelOf(
  settings: Pick<CronJobSettings, 'channel'>,
  routes: readonly ChannelRoute[],
  cluster: string,
  namespace: string | null,
): string | null {
  return settings.channel ?? routeFor(routes, cluster, namespace);
}

/**
 * The policy of a subject from its settings and the configuration. `timeZone`: the CronJob's
 * (`spec.timeZone`), in which its maintenance window is read; null: UTC, the controller's own
 * zone on GKE (and the cluster's own subject).
 */
export function policyFrom(
  settings: CronJobSettings,
  defaults: PolicyDefaults,
  cluster: string,
  namespace: string | null,
  timeZone: string | null = null,
): Policy {
  const {
    ignore: _i,
    channel: _c,
    mention: _m,
    runbook: _r,
    language: _l,
    maintenance: _w,
    reminders: _n,
    ...detection
  } = settings;
  const window =
    settings.maintenance ?? maintenanceRouteFor(defaults.maintenance ?? [], cluster, namespace);
  return {
    clusterDownAfter: defaults.clusterDownAfter,
    ignore: settings.ignore,
    destination: destinationOf(settings, defaults, cluster, namespace),
    ...detection,
    disabled: defaults.disabled ?? [],
    reminders: settings.reminders ?? defaults.reminders ?? DEFAULT_REMINDERS_MS,
    ...(window === null ? {} : {maintenance: {spec: window, timeZone: timeZone ?? 'UTC'}}),
  };
}

/**
 * Parses every CronJob's annotations once for this pass. The cluster's own record and a
 * subject without a CronJob (gone) get the configuration's defaults.
 */
export function policiesOf(
  cluster: string,
  cronJobs: readonly CronJobInfo[],
  defaults: PolicyDefaults,
): ClusterPolicies {
  const byKey = new Map<string, Policy>();
  const problems: PolicyProblem[] = [];
  for (const cronJob of cronJobs) {
    const parsed = parseAnnotations(cronJob.annotations, defaults.trust);
    const {namespace, name} = cronJob;
    for (const p of parsed.problems) problems.push({cluster, namespace, name, ...p});
    byKey.set(
      recordKeyOf(namespace, name),
      policyFrom(parsed.settings, defaults, cluster, namespace, cronJob.timeZone),
    );
  }
  const clusterPolicy = policyFrom(NO_SETTINGS, defaults, cluster, null);
  return {
    policyOf: key =>
      byKey.get(key) ??
      (key === CLUSTER_RECORD_KEY
        ? clusterPolicy
        : policyFrom(NO_SETTINGS, defaults, cluster, key.split('/')[0] ?? null)),
    problems,
  };
}
