/**
 * The words every detection's messages share, one object per language (words-en.ts,
 * words-ja.ts): durations, counts, times, the labels of fields several kinds show, links.
 * Each detection's own sentences live in its slice (detections/<kind>/words.ts). Sentences
 * are whole functions of their values, so a language can order them as it needs; values
 * arrive already cut, and `Text` values (names shown as code, times) are placed, never reworded.
 */
import type {Text} from './model.js';

/** The words shared by every kind's messages, in one language. */
export interface CommonWords {
  /** A duration for people: `45s`, `12m 5s`, `2h 5m`. */
  duration(ms: number): string;
  /** A count as a field value. */
  count(n: number): string;
  /**
   * How Slack shows a time to each reader, in their own zone: a Slack date-token format
   * (`{date_num} {time_secs}`); null shows the UTC time with how long ago it was.
   */
  slackDateFormat: string | null;
  unknownTime: string;
  unknownReason: string;
  /** A duration that cannot be computed (unreadable timestamps). */
  unknownDuration: string;
  /** Labels of the fields more than one kind shows. */
  labels: {
    cluster: string;
    cronJob: string;
    schedule: string;
    pods: string;
    job: string;
  };
  links: {cronJob: string; logsOf(job: string): string; runbook: string};
  /** A run as a field value: its name (code), marked when started by hand. */
  runValue(job: Text[number], manual: boolean): Text;
  /** The thread reply when `cronjob-watcher/ignore` closes an open incident. */
  mutedLine: string;
}

/** The words one detection's messages read: the common ones, and its own as `own`. */
export type WordsOf<W> = CommonWords & {own: W};
