/**
 * The words of every message, one catalogue per language. message.ts decides what a message
 * says and in which order; a catalogue only says it. Sentences are whole functions of their
 * values, so a language can order them as it needs; values arrive already cut, and `Text`
 * values (names shown as code, times) are placed, never reworded.
 *
 * Adding a language: write one more object of type `Catalogue` (a missing entry is a compile
 * error) and add it to `CATALOGUES`.
 */
import {en} from './catalogue-en.js';
import {ja} from './catalogue-ja.js';
import type {LogUnavailable} from './incident.js';
import type {FailingEnd, Text} from './message.js';

/** The words of the messages about a failing CronJob. */
export interface FailingWords {
  /** `job backup-28578000` or `manual run backup-manual-x7k2p`. */
  run(job: string, manual: boolean): string;
  /** A run as a field value: its name (code), marked when started by hand. */
  runValue(job: Text[number], manual: boolean): Text;
  /** `<run> at <time>`. */
  latestFailureValue(run: Text, at: Text): Text;
  /** `3 failed runs`. */
  failedRuns(count: number): string;
  openedTitle(cronJob: string): string;
  openedSummary(p: {cronJob: string; cluster: string; reason: string; run: string}): string;
  /** `Resolved after 2h 5m` (or `Closed …` when nothing fixed it); no duration when unknown. */
  endedPhrase(end: FailingEnd, duration: string | null): string;
  /** `Resolved after 2h 5m`, however it ended. */
  resolvedPhrase(duration: string | null): string;
  /** `<phrase>: <cronJob>`. */
  resolvedTitle(phrase: string, cronJob: string): string;
  resolvedSummary(p: {
    phrase: string;
    cronJob: string;
    cluster: string;
    failedRuns: string;
    end: FailingEnd;
  }): string;
  /** The thread reply: `Resolved after 2h 5m, 3 failed runs, fixed by job X`. */
  closingLine(p: {phrase: string; failedRuns: string; end: FailingEnd}): string;
  recoveredTitle(cronJob: string): string;
  recoveredSummary(p: {
    cronJob: string;
    cluster: string;
    failedAt: string;
    reason: string;
    recoveredAt: string;
    end: FailingEnd;
    duration: string | null;
  }): string;
  /** The `Recovered by` value; `fixedBy` is the fixing run's value when a run fixed it. */
  recoveredBy(end: FailingEnd, fixedBy: Text): Text;
  /** After a run's name when its Job was deleted before it could be read. */
  goneMark: string;
  /** Why a failure has no detail: its Job was deleted, and the likely cause. */
  goneNote(cause: 'failed-jobs-history-limit' | 'ttl-after-finished' | 'unknown'): string;
  /** A note when a failure's time is approximate (the Job had no usable time for it). */
  approximateTime: string;
}

/** The words of the messages about runs that did not start. */
export interface MissedWords {
  /** `3 missed runs`, or `more than 100 missed runs` when capped. */
  missedRuns(count: number, capped: boolean): string;
  neverStarted: string;
  openedTitle(cronJob: string): string;
  /** `Did not start at 09:00 JST, due `0 9 * * *` in Asia/Tokyo; last started 1d 2h ago`. */
  openedLine(p: {
    due: string;
    schedule: string;
    timeZone: string;
    lastStarted: string | null;
  }): string;
  openedSummary(p: {cronJob: string; cluster: string; due: string; count: string}): string;
  closedTitle(cronJob: string, duration: string | null): string;
  /** The reply: how long no run started, and why it closed. */
  closingLine(p: {
    suspended: boolean;
    deleted: boolean;
    duration: string | null;
    count: string;
  }): string;
  recoveredTitle(cronJob: string): string;
}

/** The words of the messages about a Job running too long. */
export interface StuckWords {
  openedTitle(cronJob: string): string;
  openedLine(p: {job: string; runningFor: string}): string;
  openedSummary(p: {cronJob: string; cluster: string; job: string; runningFor: string}): string;
  /** The limit and where it comes from. */
  limit(duration: string, from: 'annotation' | 'schedule'): string;
  closedTitle(cronJob: string, ran: string | null): string;
  closingLine(p: {
    job: string;
    ran: string | null;
    outcome: 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown';
    reason: string | null;
  }): string;
  recoveredTitle(cronJob: string): string;
}

/** The words of the messages about a cluster the watcher cannot read. */
export interface ClusterWords {
  /** `3 failed reads`. */
  failedReads(count: number): string;
  /** What the read failed with, from the error's code and message. */
  why(code: string, message: string): string;
  openedTitle(cluster: string): string;
  openedSummary(p: {cluster: string; since: string; failedReads: string; why: string}): string;
  /** What an unreadable cluster means for the CronJobs on it. */
  whileUnreadable: string;
  /** `Cluster readable again after 2h 5m, 3 failed reads` (the line arrives unmarked). */
  closingLine(duration: string | null, failedReads: string): string;
  /** `<marked closing line>: <cluster>`. */
  closedTitle(line: string, cluster: string): string;
  closedSummary(p: {line: string; cluster: string; since: string}): string;
}

/** Every word of every message in one language. */
export interface Catalogue {
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
  labels: {
    cluster: string;
    cronJob: string;
    failedRun: string;
    failedAt: string;
    schedule: string;
    failedRuns: string;
    latestFailure: string;
    recoveredBy: string;
    recoveredAt: string;
    failingFor: string;
    unreadableSince: string;
    failedReads: string;
    reason: string;
    latestReason: string;
    pods: string;
    why: string;
    job: string;
    dueAt: string;
    missedRuns: string;
    lastStarted: string;
    startedAt: string;
    limit: string;
    blockedRuns: string;
  };
  links: {cronJob: string; logsOf(job: string): string; runbook: string};
  /** The log excerpt of a failed run (`cronjob-watcher/log-lines`). */
  log: {
    /** What the excerpt is: the container and its Pod. */
    title(container: string, pod: string): string;
    /** Said when older lines were left out to fit. */
    cut: string;
    /** Why there is no excerpt; `detail` is the error as the cluster said it, or null. */
    unavailable(reason: LogUnavailable['reason'], detail: string | null): string;
  };
  /** The thread reply when `cronjob-watcher/ignore` closes an open incident. */
  mutedLine: string;
  /** `Recovered at <time>`. */
  recoveredAt(at: Text): Text;
  failing: FailingWords;
  cluster: ClusterWords;
  missed: MissedWords;
  stuck: StuckWords;
}

/** The languages messages can be written in (`MESSAGE_LANGUAGE`, `cronjob-watcher/language`). */
export const LANGUAGES = ['en', 'ja'] as const;

/** A language messages can be written in. */
export type Language = (typeof LANGUAGES)[number];

/** Every catalogue, by language. */
export const CATALOGUES: Record<Language, Catalogue> = {en, ja};

export {en, ja};
