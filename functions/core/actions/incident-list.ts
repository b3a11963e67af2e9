/**
 * `cronjob-watcher incidents`: the open incidents of the stored records, for operators
 * without Slack, as rows (for `--json`) and a table. Pure: the records, the clusters' names
 * and `now` in; text out.
 */
import {openIncidents, type SubjectRecord} from '../incident.js';
import {quietedBy} from './quiet.js';

/** One open incident, as `incidents --json` prints it. */
export interface IncidentRow {
  cluster: string;
  /** `namespace/name`, or empty for the cluster's own incident. */
  cronJob: string;
  kind: string;
  id: string;
  openedAt: string;
  ageMs: number;
  /** Slack user ID (or the CLI's operator) and when; null when nobody acknowledged it. */
  acknowledged: {by: string; at: string} | null;
  /** Until when (`recovery`: until it closes) and by whom; null when no snooze lasts. */
  snoozed: {by: string; until: string; at: string} | null;
  /** Where its messages go: a channel ID or name, or null for the configured SLACK_CHANNEL. */
  channel: string | null;
}

/** The open incidents of `records` (of the cluster named `cluster`), oldest first. */
export function incidentRows(cluster: string, records: SubjectRecord[], now: Date): IncidentRow[] {
  const rows: IncidentRow[] = [];
  for (const record of records) {
    const subject = record.subject;
    const cronJob = subject.type === 'cronjob' ? `${subject.namespace}/${subject.name}` : '';
    for (const incident of openIncidents(record)) {
      const quiet = quietedBy(incident, now);
      const ack = incident.acknowledged;
      rows.push({
        cluster,
        cronJob,
        kind: incident.kind,
        id: incident.id,
        openedAt: incident.openedAt,
        ageMs: Math.max(0, now.getTime() - Date.parse(incident.openedAt)),
        acknowledged: ack === undefined ? null : {by: ack.by, at: ack.at},
        snoozed:
          quiet?.type === 'snoozed' ? {by: quiet.by, until: quiet.until, at: quiet.at} : null,
        channel: incident.destination?.channel ?? null,
      });
    }
  }
  return rows.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

/** An age for people: `3d 4h`, `2h 5m`, `7m`. */
function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes % 60}m`;
  return `${minutes}m`;
}

/** The rows as a table, one line each, columns aligned; a line saying so when there are none. */
export function incidentsTable(rows: IncidentRow[]): string {
  if (rows.length === 0) return 'No open incidents.\n';
  const header = ['CLUSTER', 'CRONJOB', 'KIND', 'OPENED', 'AGE', 'STATE', 'CHANNEL'];
  const lines = rows.map(r => [
    r.cluster,
    r.cronJob === '' ? '(cluster)' : r.cronJob,
    r.kind,
    r.openedAt.replace(/\.\d{3}Z$/, 'Z'),
    age(r.ageMs),
    [
      ...(r.acknowledged === null ? [] : [`acknowledged by ${r.acknowledged.by}`]),
      ...(r.snoozed === null
        ? []
        : [
            `snoozed by ${r.snoozed.by} until ${r.snoozed.until === 'recovery' ? 'it recovers' : r.snoozed.until}`,
          ]),
    ].join(', ') || '-',
    r.channel ?? '(default)',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => (l[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[format(header), ...lines.map(format)].join('\n')}\n`;
}
