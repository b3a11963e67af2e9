/**
 * The storm's roster: when the parent's compact list had to stop at "and N more", the thread
 * starts with every member listed, a few hundred a message, right after the parent. Slack's
 * pace (about one message a second per channel) lets a pass post a few hundred members' own
 * messages; with the roster, a thousand-CronJob outage names every CronJob in its thread in
 * the first pass, and each one's own message follows as the pace allows.
 *
 * Pages are cut from the members in a fixed order (by namespace, then name), so page `n` is
 * the same message whenever it is rendered: posting it again after an attempt in doubt is
 * looked for by its id first, like every message (slack-notifier.ts).
 */
import type {StormMember, StormSend, StormState} from '../incident.js';
import type {Message, Section, Text} from '../messages/model.js';
import {code, message, text} from '../messages/pieces.js';
import {STORM_WORDS, type StormWords} from './words.js';

/**
 * The longest list in one section, as Slack counts it escaped: a section holds 3,000
 * characters, and its title and the "and N more" line need the rest.
 */
export const LIST_MAX_CHARS = 2400;
/** Lines in the parent's compact list: a screenful; the roster has every member. */
export const STORM_LIST_MAX_LINES = 25;
/** Sections in one roster message: about 500 members, well inside Slack's 50 blocks. */
export const ROSTER_SECTIONS_PER_PAGE = 10;

/** How long `value` is once Slack escaped it. */
export function escapedLength(value: string): number {
  return value.replace(/&/g, '&amp;').replace(/[<>]/g, '&lt;').length;
}

/** How wide a line is in Slack's count: code is shown between backticks. */
function widthOf(line: Text): number {
  return (
    1 + line.reduce((n, s) => n + escapedLength(s.type === 'code' ? `\`${s.text}\`` : plain(s)), 0)
  );
}

function plain(s: Text[number]): string {
  if (s.type === 'link') return s.label;
  if (s.type === 'time') return s.plain;
  return s.type === 'user' ? `<@${s.id}>` : s.text;
}

/** What a member is counted under: `failing: OOMKilled`, `missed runs`. */
function whatOf(m: StormMember, words: StormWords): string {
  return m.reason === null ? words.kind[m.kind] : `${words.kind[m.kind]}: ${m.reason}`;
}

/** One line of the compact list: `✅ batch/db-backup · failing: OOMKilled`. */
function lineOf(m: StormMember, words: StormWords): Text {
  return [
    text(m.recoveredAt === null ? '' : '✅ '),
    code(`${m.namespace}/${m.name}`),
    text(` · ${whatOf(m, words)}`),
  ];
}

/** The parent's compact list: open members first, each group by name, cut with "and N more". */
export function compactList(members: StormMember[], words: StormWords): {list: Text; cut: boolean} {
  const sorted = [...members].sort(
    (a, b) =>
      Number(a.recoveredAt !== null) - Number(b.recoveredAt !== null) || a.key.localeCompare(b.key),
  );
  const out: Text = [];
  let used = 0;
  let shown = 0;
  for (const m of sorted) {
    const line = lineOf(m, words);
    const width = widthOf(line);
    const rest = sorted.length - shown - 1;
    const tail = rest === 0 ? 0 : escapedLength(`\n${words.more(rest)}`);
    if (shown >= STORM_LIST_MAX_LINES || used + width + tail > LIST_MAX_CHARS) break;
    out.push(text('\n'), ...line);
    used += width;
    shown++;
  }
  const cut = shown < sorted.length;
  if (cut) out.push(text(`\n${words.more(sorted.length - shown)}`));
  return {list: out, cut};
}

/** True when the parent's list is cut short, so the thread starts with the roster. */
export function needsRoster(storm: StormState): boolean {
  return compactList(storm.members, STORM_WORDS[storm.destination.language ?? 'en']).cut;
}

/** One section of the roster: members of one namespace, as many as fit. */
interface RosterSection {
  namespace: string;
  members: StormMember[];
}

/** The roster's sections, in order: by namespace, then name; a namespace may span several. */
function rosterSections(storm: StormState, words: StormWords): RosterSection[] {
  const sorted = [...storm.members].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
  const sections: RosterSection[] = [];
  let current: RosterSection | null = null;
  let used = 0;
  for (const m of sorted) {
    const width = widthOf(rosterLine(m, words));
    const title = escapedLength(m.namespace) + 3;
    if (
      current === null ||
      current.namespace !== m.namespace ||
      used + width > LIST_MAX_CHARS - title
    ) {
      current = {namespace: m.namespace, members: []};
      sections.push(current);
      used = 0;
    }
    current.members.push(m);
    used += width;
  }
  return sections;
}

/** A roster line: `db-backup · failing: OOMKilled`, the namespace being the section's title. */
function rosterLine(m: StormMember, words: StormWords): Text {
  return [text(m.recoveredAt === null ? '' : '✅ '), code(m.name), text(` · ${whatOf(m, words)}`)];
}

/** How many roster messages the storm's thread starts with; 0 when the parent lists all. */
export function rosterPageCount(storm: StormState): number {
  if (!needsRoster(storm)) return 0;
  const words = STORM_WORDS[storm.destination.language ?? 'en'];
  return Math.ceil(rosterSections(storm, words).length / ROSTER_SECTIONS_PER_PAGE);
}

/** The roster messages a storm owes once its parent is posted, in order. */
export function rosterSends(storm: StormState, now: Date): StormSend[] {
  const pages = rosterPageCount(storm);
  return Array.from({length: pages}, (_, i) => ({
    id: `${storm.id}/roster-${i + 1}`,
    kind: 'roster' as const,
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    page: i + 1,
  }));
}

/** Roster message `page` (1-based) as the storm now stands; null past the last page. */
export function rosterMessage(storm: StormState, page: number): Message | null {
  const words = STORM_WORDS[storm.destination.language ?? 'en'];
  const all = rosterSections(storm, words);
  const pages = Math.ceil(all.length / ROSTER_SECTIONS_PER_PAGE);
  const mine = all.slice((page - 1) * ROSTER_SECTIONS_PER_PAGE, page * ROSTER_SECTIONS_PER_PAGE);
  if (page < 1 || mine.length === 0) return null;
  const before = all
    .slice(0, (page - 1) * ROSTER_SECTIONS_PER_PAGE)
    .reduce((n, s) => n + s.members.length, 0);
  const listed = mine.reduce((n, s) => n + s.members.length, 0);
  const lead = [text(words.roster(before + 1, before + listed, storm.members.length, page, pages))];
  const sections: Section[] = mine.map(s => ({
    title: s.namespace,
    lines: s.members.map(m => rosterLine(m, words)),
    more: null,
  }));
  return message(storm.finishedAt === null ? 'failing' : 'resolved', {
    lead,
    summary: lead,
    sections,
  });
}
