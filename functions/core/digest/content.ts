/**
 * What a channel's daily digest says, from the stored records: the incidents open now (their
 * age, kind, whether someone acknowledged them), what opened and closed in the last 24 hours
 * (with how long it lasted), and the CronJobs that flapped (3 or more incidents in 7 days, from
 * each record's open incidents and history), and, for each namespace it names, the share of
 * successful runs over 7 days (from each record's run history, run-history.ts: finished runs,
 * at most the history's 20 per CronJob; missed due times are not runs). A channel gets a digest
 * when it has an incident open or had one in the last 24 hours. Pure.
 */
import {lastingSnooze} from '../actions/quiet.js';
import {openIncidents, type Incident, type SubjectRecord} from '../incident.js';
import type {Language} from '../messages/languages.js';

/** Look-back of the digest's "last 24 hours". */
export const DIGEST_DAY_MS = 24 * 3600_000;
/** Look-back of flapping: a week. */
export const FLAP_WINDOW_MS = 7 * DIGEST_DAY_MS;
// Three incidents in a week is a pattern, not bad luck: the threshold.
export const FLAP_MIN_INCIDENTS = 3;

/** One incident as the digest lists it. */
export interface DigestItem {
  cluster: string;
  /** Null for the cluster's own incident. */
  namespace: string | null;
  name: string | null;
  kind: Incident['kind'];
  openedAt: string;
  closedAt: string | null;
  acknowledged: boolean;
  /**
   * An open incident's snooze that lasts at the digest's time: until when (ISO-8601), or
   * `recovery`; null when none lasts (or the incident is closed).
   */
  snoozedUntil: string | null;
}

/** A CronJob with many incidents in a week. */
export interface FlappingItem {
  cluster: string;
  namespace: string;
  name: string;
  incidents: number;
}

/** Finished runs of one namespace's CronJobs over 7 days, and how many succeeded. */
export interface NamespaceRuns {
  cluster: string;
  namespace: string;
  succeeded: number;
  runs: number;
}

/** A record as the digest reads it: which cluster (by name) it is in. */
export interface DigestSource {
  cluster: string;
  record: SubjectRecord;
}

/** One channel's digest of one day. */
export interface DigestContent {
  /** Null: the configured `SLACK_CHANNEL`. */
  channel: string | null;
  language: Language;
  /** The local date it is for, and when it was built. */
  date: string;
  at: string;
  open: DigestItem[];
  opened: DigestItem[];
  closed: DigestItem[];
  flapping: FlappingItem[];
  /** The namespaces it names, in name order. */
  successShare: NamespaceRuns[];
}

/** An incident nobody was told about (it opened and closed within a maintenance window). */
function neverAnnounced(incident: Incident): boolean {
  const window = incident.maintenance;
  return (
    window !== undefined &&
    incident.closedAt !== null &&
    Date.parse(incident.closedAt) < Date.parse(window.end)
  );
}

function itemOf(cluster: string, record: SubjectRecord, incident: Incident, now: Date): DigestItem {
  const subject = record.subject;
  return {
    cluster,
    namespace: subject.type === 'cronjob' ? subject.namespace : null,
    name: subject.type === 'cronjob' ? subject.name : null,
    kind: incident.kind,
    openedAt: incident.openedAt,
    closedAt: incident.closedAt,
    acknowledged: incident.acknowledged !== undefined,
    snoozedUntil: lastingSnooze(incident, now)?.until ?? null,
  };
}

const byOpening = (a: DigestItem, b: DigestItem) =>
  a.openedAt.localeCompare(b.openedAt) ||
  `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(`${b.cluster}/${b.namespace}/${b.name}`);

/**
 * Every channel's digest for `date`, built at `now`, in channel order (the configured channel
 * first). `language`: `MESSAGE_LANGUAGE`, for a channel none of whose incidents names one.
 */
export function digestContents(
  sources: readonly DigestSource[],
  date: string,
  now: Date,
  language: Language,
): DigestContent[] {
  const nowMs = now.getTime();
  const byChannel = new Map<string | null, DigestContent>();
  const contentOf = (incident: Incident): DigestContent => {
    const channel = incident.destination?.channel ?? null;
    let content = byChannel.get(channel);
    if (content === undefined) {
      content = {
        channel,
        language: incident.destination?.language ?? language,
        date,
        at: now.toISOString(),
        open: [],
        opened: [],
        closed: [],
        flapping: [],
        successShare: [],
      };
      byChannel.set(channel, content);
    }
    return content;
  };
  const within = (iso: string | null, ms: number) =>
    iso !== null && nowMs - Date.parse(iso) < ms && Date.parse(iso) <= nowMs;
  const runsByNamespace = new Map<string, NamespaceRuns>();
  for (const {cluster, record} of sources) {
    if (record.subject.type !== 'cronjob') continue;
    const key = `${cluster}\u0000${record.subject.namespace}`;
    const totals = runsByNamespace.get(key) ?? {
      cluster,
      namespace: record.subject.namespace,
      succeeded: 0,
      runs: 0,
    };
    for (const run of record.runs) {
      if (run.outcome === 'missed' || !within(run.startedAt ?? run.scheduledAt, FLAP_WINDOW_MS)) {
        continue;
      }
      totals.runs++;
      if (run.outcome === 'succeeded') totals.succeeded++;
    }
    runsByNamespace.set(key, totals);
  }
  for (const {cluster, record} of sources) {
    const open = openIncidents(record);
    for (const incident of open) {
      const content = contentOf(incident);
      content.open.push(itemOf(cluster, record, incident, now));
      if (within(incident.openedAt, DIGEST_DAY_MS)) {
        content.opened.push(itemOf(cluster, record, incident, now));
      }
    }
    const closed = record.history.filter(i => !neverAnnounced(i));
    for (const incident of closed) {
      if (!within(incident.closedAt, DIGEST_DAY_MS)) continue;
      const content = contentOf(incident);
      const item = itemOf(cluster, record, incident, now);
      if (within(incident.openedAt, DIGEST_DAY_MS)) content.opened.push(item);
      content.closed.push(item);
    }
    const subject = record.subject;
    if (subject.type !== 'cronjob') continue;
    // Told where its newest incident went: the channel the CronJob reports to now.
    const lately = [...open, ...closed]
      .filter(i => within(i.openedAt, FLAP_WINDOW_MS))
      .sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
    const latest = lately.at(-1);
    if (lately.length >= FLAP_MIN_INCIDENTS && latest !== undefined) {
      const {namespace, name} = subject;
      contentOf(latest).flapping.push({cluster, namespace, name, incidents: lately.length});
    }
  }
  const contents = [...byChannel.values()].filter(
    c => c.open.length + c.opened.length + c.closed.length > 0,
  );
  for (const c of contents) {
    const named = new Set(
      [...c.open, ...c.opened, ...c.closed, ...c.flapping].flatMap(i =>
        i.namespace === null ? [] : [`${i.cluster}\u0000${i.namespace}`],
      ),
    );
    c.successShare = [...named]
      .flatMap(key => {
        const totals = runsByNamespace.get(key);
        return totals === undefined || totals.runs === 0 ? [] : [totals];
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.cluster.localeCompare(b.cluster));
    c.open.sort(byOpening);
    c.opened.sort(byOpening);
    c.closed.sort(byOpening);
    c.flapping.sort((a, b) => b.incidents - a.incidents || a.name.localeCompare(b.name));
  }
  return contents.sort((a, b) => (a.channel ?? '').localeCompare(b.channel ?? ''));
}
