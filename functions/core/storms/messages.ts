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
import {headline, message, oneLine, parseTime, text, time} from '../messages/pieces.js';
import {compactList, escapedLength, rosterMessage} from './roster.js';
import {recoveredCount} from './storm.js';
import {STORM_WORDS, type StormWords} from './words.js';

/** The incident kind a storm parent's controls name, so a click is known as one on a storm. */
export const STORM_CONTROL_KIND = 'storm';

/** What sending a storm's owed message takes: a post, a rewrite, or a rewrite and a reply. */
export type StormMessages =
  | {kind: 'opened'; post: Message}
  | {kind: 'progress'; update: Message}
  | {kind: 'acted'; update: Message; reply: Message}
  /**
   * A reply in the parent's thread: a roster page (storms/roster.ts; null: no such page) or a
   * reminder (storms/reminders.ts).
   */
  | {kind: 'reply'; reply: Message | null};

/** The longest value of a counted field (namespaces, kinds, reasons); Slack takes 2,000. */
export const STORM_FIELD_MAX_CHARS = 300;

/**
 * The items joined when they all fit in `max` (as Slack counts it), else as many as fit with
 * "and N more" after them. The whole list is tried first: its last item may be shorter than
 * the "and 1 more" that would stand for it.
 */
function listed(items: string[], max: number, words: StormWords): string {
  const sep = words.separator;
  const whole = items.join(sep);
  if (escapedLength(whole) <= max) return whole;
  const cut = (shown: number) =>
    [...items.slice(0, shown), words.more(items.length - shown)].join(sep);
  // All items with "and 0 more" are longer than the whole list, so this stops before them.
  let shown = 0;
  while (escapedLength(cut(shown + 1)) <= max) shown++;
  return cut(shown);
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

/**
 * The messages `send` owes for the storm as it stands. `cluster`: where the storm is, which
 * the parent's controls name; null draws none.
 */
export function buildStormMessages(
  send: StormSend,
  storm: StormState,
  cluster: ClusterRef | null,
): StormMessages {
  if (send.kind === 'roster') return {kind: 'reply', reply: rosterMessage(storm, send.page ?? 1)};
  if (send.kind === 'reminder') return {kind: 'reply', reply: stormReminder(storm, send)};
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

/** The storm's reminder: how long since it began, how many of its CronJobs are still open. */
export function stormReminder(storm: StormState, send: StormSend): Message {
  const language = storm.destination.language ?? 'en';
  const common = COMMON_WORDS[language];
  const opened = parseTime(storm.openedAt);
  const at = parseTime(send.createdAt);
  const age =
    opened === null || at === null
      ? common.unknownDuration
      : common.duration(Math.max(0, at - opened));
  const line = [text(STORM_WORDS[language].reminder(age, send.count ?? 0, storm.members.length))];
  return oneLine('failing', line);
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
  const list = compactList(storm.members, words);
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
    details: [{label: words.labels.cronJobs, value: list.list}],
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
    notes: [[text(list.cut ? words.inThreadWithList : words.inThread)]],
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
