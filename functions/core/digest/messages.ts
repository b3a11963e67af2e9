/**
 * The daily digest as a neutral message (messages/model.ts): a title, then one list per part —
 * open now, opened and closed in the last 24 hours, flapping — each cut to what one Slack
 * section holds, saying how many were left out. Rendered like every message. Pure.
 */
import type {Incident} from '../incident.js';
import type {Message, Section, Text} from '../messages/model.js';
import {COMMON_WORDS} from '../messages/catalogue.js';
import {code, cutToWidth, marked, message, text, time} from '../messages/pieces.js';
import type {Tone} from '../messages/model.js';
import type {DigestContent, DigestItem} from './content.js';
import {DIGEST_WORDS} from './words.js';

// Fifteen lines of about 150 characters (time tokens included) stay within a Slack section's
// 3,000; past that the list says how many more there are.
const LINES_PER_SECTION = 15;
// Names come from clusters: long ones are cut so a line stays one line.
const NAME_MAX_CHARS = 80;

const TONE_OF_KIND: Record<Incident['kind'], Tone> = {
  failing: 'failing',
  missed: 'missed',
  'running-too-long': 'stuck',
  'cluster-unreadable': 'unreadable',
  'slower-than-usual': 'warning',
  'finished-too-fast': 'warning',
};

function nameOf(item: Pick<DigestItem, 'cluster' | 'namespace' | 'name'>): Text {
  const cluster = cutToWidth(item.cluster, NAME_MAX_CHARS);
  if (item.namespace === null || item.name === null) return [code(cluster)];
  return [
    code(cutToWidth(`${item.namespace}/${item.name}`, NAME_MAX_CHARS)),
    text(` · ${cluster}`),
  ];
}

function sectionOf(title: string, lines: Text[], more: (n: number) => string): Section {
  const left = lines.length - LINES_PER_SECTION;
  return {
    title,
    lines: lines.slice(0, LINES_PER_SECTION),
    more: left > 0 ? more(left) : null,
  };
}

/** The digest of one channel. */
export function digestMessage(content: DigestContent): Message {
  const common = COMMON_WORDS[content.language];
  const w = DIGEST_WORDS[content.language];
  const nowMs = Date.parse(content.at);
  const kind = (item: DigestItem) => w.kinds[item.kind];
  const line = (item: DigestItem, words: Text): Text =>
    marked(TONE_OF_KIND[item.kind], [...nameOf(item), text(': '), ...words]);
  const sections: Section[] = [
    sectionOf(
      w.sections.open(content.open.length),
      content.open.map(item =>
        line(
          item,
          w.openLine(
            kind(item),
            common.duration(Math.max(0, nowMs - Date.parse(item.openedAt))),
            item.acknowledged,
            item.snoozedUntil === null || item.snoozedUntil === 'recovery'
              ? item.snoozedUntil
              : time(item.snoozedUntil, common),
          ),
        ),
      ),
      w.more,
    ),
    sectionOf(
      w.sections.opened(content.opened.length),
      content.opened.map(item =>
        line(item, [text(w.openedLine(kind(item))), ...time(item.openedAt, common)]),
      ),
      w.more,
    ),
    sectionOf(
      w.sections.closed(content.closed.length),
      content.closed.map(item => {
        const lasted =
          item.closedAt === null ? null : Date.parse(item.closedAt) - Date.parse(item.openedAt);
        const words = w.closedLine(
          kind(item),
          lasted === null || !Number.isFinite(lasted) ? null : common.duration(lasted),
        );
        return marked('resolved', [...nameOf(item), text(`: ${words}`)]);
      }),
      w.more,
    ),
    sectionOf(
      w.sections.flapping(content.flapping.length),
      content.flapping.map(f => [...nameOf(f), text(`: ${w.flappingLine(f.incidents)}`)]),
      w.more,
    ),
    sectionOf(
      w.sections.successShare,
      content.successShare.map(n => [
        code(cutToWidth(n.namespace, NAME_MAX_CHARS)),
        text(
          ` · ${cutToWidth(n.cluster, NAME_MAX_CHARS)}: ${w.successLine(
            // Rounded down: 99.6% is not "100%" while one run in 250 failed.
            Math.floor((100 * n.succeeded) / n.runs),
            n.succeeded,
            n.runs,
          )}`,
        ),
      ]),
      w.more,
    ),
  ].map(s => (s.lines.length === 0 ? {...s, lines: [[text(w.none)]]} : s));
  const title = marked('digest', [text(w.title(content.date, content.open.length))]);
  return message('digest', {title, summary: title, sections});
}
