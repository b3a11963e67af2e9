/**
 * The words every detection's messages share, one object per language (words-en.ts,
 * words-ja.ts): durations, counts, times, the labels of fields several kinds show, buttons.
 * Each detection's own sentences live in its slice (detections/<kind>/words.ts). Sentences
 * are whole functions of their values, so a language can order them as it needs; values
 * arrive already cut, and `Text` values (names shown as code, times) are placed, never reworded.
 */
import type {Text} from './model.js';

/** How often a schedule is due, when that fits in a few words (`describeSchedule`). */
export type Cadence =
  | {type: 'minutes'; step: number}
  | {type: 'hourly'; minute: number}
  | {type: 'daily'; time: string}
  | {type: 'weekly'; day: number; time: string};

/** The words shared by every kind's messages, in one language. */
export interface CommonWords {
  /** A duration for people: `45s`, `12m 5s`, `2h 5m`. */
  duration(ms: number): string;
  /** A count as a field value. */
  count(n: number): string;
  /**
   * How Slack shows a time to each reader, in their own zone and language: a Slack date-token
   * template (`{date_short_pretty} at {time}`).
   */
  slackTimeFormat: string;
  /** The same time in words, in UTC, where no live token works: `Mar 2, 01:06 UTC`. */
  plainTime(ms: number): string;
  unknownTime: string;
  unknownReason: string;
  /** A duration that cannot be computed (unreadable timestamps). */
  unknownDuration: string;
  /** A time that never happened: "Last success: never". */
  never: string;
  /** Labels of the fields more than one kind shows. */
  labels: {
    job: string;
    lastSuccess: string;
    nextRun: string;
    /** Label of what one container or Pod says: `Container main`. */
    container(name: string): string;
    pod(name: string): string;
  };
  /** `due every hour`, `due every day at 02:00`; `zone` only when it is not UTC. */
  cadence(cadence: Cadence, zone: string | null): string;
  /** A schedule with no short words: `schedule 45 9 1 * *` (the schedule arrives as code). */
  schedule(schedule: Text, zone: string | null): Text;
  /** The buttons' labels. */
  actions: {logs: string; console: string; runbook: string};
  /** A run as a value: its name (code), marked when started by hand. */
  runValue(job: Text[number], manual: boolean): Text;
  /** The thread reply when `cronjob-watcher/ignore` closes an open incident. */
  mutedLine: string;
  /** The note on an opening held for a maintenance window (`start`, `end`: times). */
  maintenanceNote(start: Text, end: Text): Text;
  /** The recent-runs line of a card: its label, and the median of the successful runs. */
  recentRuns: {label: string; usually(duration: string): string};
}

/** The words one detection's messages read: the common ones, and its own as `own`. */
export type WordsOf<W> = CommonWords & {own: W};
