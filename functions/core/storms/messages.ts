/**
 * The storm parent as a neutral message (messages/model.ts): what is going on (how many
 * CronJobs, where, counted by kind and reason), how far it is over ("9 of 23 recovered", then
 * "all recovered after 2h 5m") and a compact list of the CronJobs, open ones first, cut to
 * Slack's limits with "and N more". While any member is open it carries the Acknowledge and
 * Snooze controls, which act on every open member (storms/actions.ts), and says who used them.
 * The renderers show it like any other message.
 */
import {withControlsFor} from '../actions/messages.js';
import {encodeIncidentRef} from '../actions/ids.js';
import {STORM_KEY_PREFIX, type StormMember, type StormSend, type StormState} from '../incident.js';
import {COMMON_WORDS} from '../messages/catalogue.js';
import type {ClusterRef} from '../model.js';
import type {Field, Message, Text} from '../messages/model.js';
import {code, headline, message, oneLine, parseTime, text, time} from '../messages/pieces.js';
import {recoveredCount} from './storm.js';
import {STORM_WORDS, type StormWords} from './words.js';

/** The incident kind a storm parent's controls name, so a click is known as one on a storm. */
export const STORM_CONTROL_KIND = 'storm';

/** What sending a storm's owed message takes: a post, a rewrite, or a rewrite and a reply. */
export type StormMessages =
  | {kind: 'opened'; post: Message}
  | {kind: 'progress'; update: Message}
  | {kind: 'acted'; update: Message; reply: Message};

/**
 * The longest compact list, as Slack counts it escaped: its section holds 3,000 characters,
 * and the label and the "and N more" line need the rest.
 */
export const STORM_LIST_MAX_CHARS = 2400;
/** Lines in the compact list: a screenful; the thread has every member. */
export const STORM_LIST_MAX_LINES = 25;
/** The longest value of a counted field (namespaces, kinds, reasons); Slack takes 2,000. */
export const STORM_FIELD_MAX_CHARS = 300;

/** How long `value` is once Slack escaped it. */
function escapedLength(value: string): number {
  return value.replace(/&/g, '&amp;').replace(/[<>]/g, '&lt;').length;
}

/** Items joined while they fit in `max`, then "and N more". */
function listed(items: string[], max: number, words: StormWords): string {
  const sep = words.separator;
  let out = '';
  for (const [i, item] of items.entries()) {
    const next = out === '' ? item : `${out}${sep}${item}`;
    const rest = items.length - i - 1;
    const tail = rest === 0 ? '' : `${sep}${words.more(rest)}`;
    if (escapedLength(next + tail) > max) {
      return out === '' ? words.more(items.length) : `${out}${sep}${words.more(items.length - i)}`;
    }
    out = next;
  }
  return out;
}

/** Counts of `keyOf` over the members, largest first (then by name), as `item (n)`. */
function counted(
  members: StormMember[],
  keyOf: (m: StormMember) => string | null,
  words: StormWords,
): string[] {
  const counts = new Map<string, number>();
  for (const m of members) {
    const key = keyOf(m);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([item, n]) => words.counted(item, n));
}

/** One line of the compact list: `✅ batch/db-backup · failing: OOMKilled`. */
function lineOf(m: StormMember, words: StormWords): Text {
  const what = m.reason === null ? words.kind[m.kind] : `${words.kind[m.kind]}: ${m.reason}`;
  return [
    text(m.recoveredAt === null ? '' : '✅ '),
    code(`${m.namespace}/${m.name}`),
    text(` · ${what}`),
  ];
}

/** The compact list: open members first, each group by name, cut with "and N more". */
function compactList(members: StormMember[], words: StormWords): Text {
  const sorted = [...members].sort(
    (a, b) =>
      Number(a.recoveredAt !== null) - Number(b.recoveredAt !== null) || a.key.localeCompare(b.key),
  );
  const out: Text = [];
  let used = 0;
  let shown = 0;
  for (const m of sorted) {
    const line = lineOf(m, words);
    // Code is shown between backticks: two characters more.
    const width =
      1 +
      line.reduce((n, s) => n + escapedLength(s.type === 'code' ? `\`${s.text}\`` : plain(s)), 0);
    const rest = sorted.length - shown - 1;
    const tail = rest === 0 ? 0 : escapedLength(`\n${words.more(rest)}`);
    if (shown >= STORM_LIST_MAX_LINES || used + width + tail > STORM_LIST_MAX_CHARS) break;
    out.push(text('\n'), ...line);
    used += width;
    shown++;
  }
  if (shown < sorted.length) out.push(text(`\n${words.more(sorted.length - shown)}`));
  return out;
}

function plain(s: Text[number]): string {
  if (s.type === 'link') return s.label;
  if (s.type === 'time') return s.plain;
  return s.type === 'user' ? `<@${s.id}>` : s.text;
}

/**
 * The messages `send` owes for the storm as it stands. `cluster`: where the storm is, which
 * the parent's controls name; null draws none.
 */
export function buildStormMessages(
  send: StormSend,
  storm: StormState,
  cluster: ClusterRef | null,
): StormMessages {
  const parent = buildStormMessage(storm, cluster);
  switch (send.kind) {
    case 'opened':
      return {kind: 'opened', post: parent};
    case 'progress':
      return {kind: 'progress', update: parent};
    case 'acted':
      if (send.action === undefined)
        throw new Error(`${send.id}: an acted message without its action`);
      return {
        kind: 'acted',
        update: parent,
        reply: stormActionReply(storm, send.action, send.count ?? 0),
      };
  }
}

/** The storm thread's one reply to an action on its parent (or to its snooze ending). */
export function stormActionReply(
  storm: StormState,
  event: NonNullable<StormSend['action']>,
  count: number,
): Message {
  const language = storm.destination.language ?? 'en';
  const w = STORM_WORDS[language].acted;
  const who: Text = [{type: 'user', id: event.by}];
  let line: Text;
  switch (event.type) {
    case 'acknowledged':
      line = w.acknowledged(who, count);
      break;
    case 'unacknowledged':
      line = w.unacknowledged(who, count);
      break;
    case 'snoozed':
      line =
        event.until === 'recovery'
          ? w.snoozedUntilRecovery(who, count)
          : w.snoozed(who, time(event.until, COMMON_WORDS[language]), count);
      break;
    case 'unsnoozed':
      line = w.unsnoozed(who, count);
      break;
    case 'snooze-ended':
      line = w.snoozeEnded(who, count);
      break;
  }
  return oneLine(storm.finishedAt === null ? 'failing' : 'resolved', line);
}

/** The storm's parent message, as it stands; `cluster` as for `buildStormMessages`. */
export function buildStormMessage(storm: StormState, cluster: ClusterRef | null = null): Message {
  const language = storm.destination.language ?? 'en';
  const words = STORM_WORDS[language];
  const common = COMMON_WORDS[language];
  const count = storm.members.length;
  const recovered = recoveredCount(storm);
  const finished = storm.finishedAt !== null;
  const opened = parseTime(storm.openedAt);
  const ended = parseTime(storm.finishedAt);
  const durationMs = opened === null || ended === null ? null : Math.max(0, ended - opened);
  const tone = finished ? 'resolved' : 'failing';
  const field = (label: string, items: string[]): Field[] =>
    items.length === 0 ? [] : [{label, value: [text(listed(items, STORM_FIELD_MAX_CHARS, words))]}];
  const namespaces = counted(storm.members, m => m.namespace, words);
  const parent = message(tone, {
    title: headline(
      tone,
      [text(finished ? words.titleRecovered(count) : words.title(count))],
      storm.clusterName,
    ),
    lead: [
      text(
        finished
          ? words.allRecovered(durationMs === null ? null : common.duration(durationMs))
          : words.progress(recovered, count),
      ),
    ],
    fields: [
      ...field(words.labels.clusters, [storm.clusterName]),
      ...field(words.labels.namespaces, namespaces),
      ...field(
        words.labels.kinds,
        counted(storm.members, m => words.kind[m.kind], words),
      ),
      ...field(
        words.labels.reasons,
        counted(storm.members, m => m.reason, words),
      ),
    ],
    details: [{label: words.labels.cronJobs, value: compactList(storm.members, words)}],
    actions:
      storm.destination.runbook === null
        ? []
        : [
            {
              type: 'link',
              id: 'runbook',
              url: storm.destination.runbook,
              label: common.actions.runbook,
            },
          ],
    notes: [[text(words.inThread)]],
    summary: [
      text(
        finished
          ? words.summaryRecovered(
              count,
              storm.clusterName,
              durationMs === null ? null : common.duration(durationMs),
            )
          : words.summary(count, storm.clusterName, recovered),
      ),
    ],
    durationMs,
    mention: storm.destination.mention,
  });
  if (finished) return parent;
  const value =
    cluster === null
      ? null
      : encodeIncidentRef({
          cluster,
          key: `${STORM_KEY_PREFIX}${storm.id}`,
          kind: STORM_CONTROL_KIND,
          id: storm.id,
        });
  return withControlsFor(parent, storm, value, common, language);
}
