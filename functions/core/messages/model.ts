/**
 * The neutral message model: what a notification says, before any renderer decides how it
 * looks. Each detection fills it from its incident (detections/<kind>/messages.ts); Slack
 * Block Kit (render-slack.ts) and the console (render-console.ts) render it. Plain types and
 * the lengths every renderer keeps; nothing here imports a detection.
 */
import type {Subject} from '../incident-base.js';
import type {ClusterRef} from '../model.js';
import type {RecentRun} from '../run-history.js';

/** A piece of text with a meaning a renderer may show in its own way. */
export type Segment =
  /** Words and values shown as they are. */
  | {type: 'text'; text: string}
  /** A name or an expression, shown literally (Slack: inline code). */
  | {type: 'code'; text: string}
  /**
   * A point in time. Slack shows it live in each reader's own zone and language (`slackFormat`,
   * a date-token template); `plain` is the same time in words, in UTC, for every other place
   * (the console, a client that cannot show the token).
   */
  | {type: 'time'; epochMs: number; plain: string; slackFormat: string}
  /** A link with a label. */
  | {type: 'link'; url: string; label: string}
  /** A person, by their Slack user ID (`U0123…`): Slack shows their name. */
  | {type: 'user'; id: string};

/** Text made of segments, read in order. */
export type Text = Segment[];

/** A labelled value: `Cluster: prod-eu`. */
export interface Field {
  label: string;
  value: Text;
}

/** A link with a label. */
export type Link = Extract<Segment, {type: 'link'}>;

/**
 * A control under a message, all in one row: links (Runbook, Logs, Console) and, on an open
 * incident's opening message, the interactive ones (acknowledge, snooze), whose `value` names
 * the incident (core/actions/ids.ts). A renderer that cannot take a click leaves those out.
 */
export type Action =
  | {type: 'link'; id: 'logs' | 'console' | 'runbook'; url: string; label: string}
  | {type: 'button'; id: 'acknowledge' | 'unacknowledge'; label: string; value: string}
  | {type: 'menu'; id: 'snooze'; label: string; options: MenuOption[]};

/** One choice of a menu: what it says and the value a click sends. */
export interface MenuOption {
  label: string;
  value: string;
}

/** What the message announces; a renderer may colour it. */
export type Tone =
  'failing' | 'unreadable' | 'missed' | 'stuck' | 'warning' | 'resolved' | 'recovered' | 'digest';

/**
 * A titled list (the daily digest's open incidents, what flapped): its lines, already cut to
 * what one Slack section holds, and what was left out said in `more` ("and 4 more").
 */
export interface Section {
  title: string;
  lines: Text[];
  more: string | null;
}

/** One message, as every renderer sees it. Renderers show the parts in this order. */
export interface Message {
  tone: Tone;
  /**
   * The headline: what, the cause and where, marked. Cut to TITLE_MAX_CHARS (its text parts);
   * null for a one-line message (a thread reply, a failed-and-recovered FYI).
   */
  title: Text | null;
  /** A paragraph right under the title (a thread reply's or a one-line message's one line). */
  lead: Text | null;
  fields: Field[];
  /** Why it failed: `Reason: BackoffLimitExceeded`. */
  reason: Field | null;
  /** More of why, e.g. what the Pods say. */
  details: Field[];
  /** The failure message, shown quoted; already cut. */
  quote: string | null;
  /** Shell commands worth copying (`kubectl -n ns logs job/x`), one a line; already cut. */
  commands: string[];
  /** Buttons, in this order. */
  actions: Action[];
  /** Small print after everything else. */
  notes: Text[];
  /**
   * One line for notifications (what a phone shows) and clients that show no layout; its text
   * parts already cut.
   */
  summary: Text;
  /** How long the incident lasted, when the message is about a closed one and it is known. */
  durationMs: number | null;
  /**
   * Slack mention markup (`<!subteam^S0123>`), validated where it was configured and sent
   * unescaped; only opening messages have one.
   */
  mention?: string | null;
  /** A failed container's last log lines, shown as a block of code, or why there are none. */
  log?: LogBlock | null;
  /** Lists after the fields, each under its title (the daily digest). */
  sections?: Section[];
  /** The CronJob's recent runs, shown as small print under the fields; cards only. */
  recentRuns?: RecentRunsLine | null;
}

/** A CronJob's recent runs in one line: `Recent runs: ✅ ✅ ❌ ⏰ ✅ · usually 12m`. */
export interface RecentRunsLine {
  label: string;
  /** A mark per run, newest last: ✅ succeeded, ❌ failed, ⏰ missed. */
  strip: string;
  /** The median duration of the successful runs, in words; null when none has one. */
  usual: string | null;
}

/** The log excerpt part of a message. */
export interface LogBlock {
  title: string;
  /** The lines as read (masked), or null when they could not be read. */
  text: string | null;
  /** Small print: lines left out, or why there is no excerpt. */
  notes: string[];
}

/** Every message one notification may need; which of them is sent is the adapter's call. */
export type NotificationMessages =
  | {
      kind: 'opened';
      post: Message;
      /**
       * When the opening continues another incident's thread (a Job that ran too long, then
       * failed): `post` replaces that thread's opening message and this one line is posted in
       * the thread.
       */
      reply?: Message;
    }
  | {
      kind: 'closed';
      /** Replaces the opening message, so the channel shows the incident resolved. */
      update: Message;
      /** Posted in the opening message's thread. */
      reply: Message;
      /** Posted on its own when the opening message was never delivered (no thread). */
      standalone: Message;
      /**
       * Closed quietly (muted): only the reply is sent, and nothing at all when there is no
       * thread to reply in.
       */
      quiet?: boolean;
    }
  | {kind: 'recovered'; post: Message}
  /** A reminder about an open incident: only ever a reply in its opening's thread. */
  | {kind: 'reminder'; reply: Message}
  | {
      kind: 'acted';
      /** Replaces the opening message, so the channel shows who acknowledged or snoozed it. */
      update: Message;
      /**
       * Posted in the opening message's thread; null when it was done on a storm's parent for
       * every member: the storm's thread has the one reply (core/storms/).
       */
      reply: Message | null;
    };

/**
 * What building a message needs besides the notification. `NotificationContext` (ports.ts)
 * fits it; it is restated here because the core imports nothing outside it.
 */
export interface MessageContext {
  cluster: ClusterRef;
  subject: Subject;
  /** The CronJob's recent runs as its record holds them, oldest first; absent: none shown. */
  recentRuns?: readonly RecentRun[];
}

/** The longest title: Slack's header limit, kept by every renderer so titles read the same. */
export const TITLE_MAX_CHARS = 150;
/**
 * Our own cap on the failure message: a Job condition or a container's termination message
 * can be kilobytes (a stack trace); the channel needs the gist, the logs link has the rest.
 * Well under Slack's 3,000-character section so the reason line and quoting fit too.
 */
export const FAILURE_MESSAGE_MAX_CHARS = 1500;
/** What the Pods say is secondary to the failure message: half its room. */
export const DETAIL_MAX_CHARS = FAILURE_MESSAGE_MAX_CHARS / 2;
/** Cap on any single short value (names, reasons): cluster names come from configuration. */
export const VALUE_MAX_CHARS = 200;
/** Cap on the summary: a phone shows about two lines of it; the message has the rest. */
export const SUMMARY_MAX_CHARS = 300;
/** Cap on one command: a CronJob name is at most 52 characters, a namespace 63. */
export const COMMAND_MAX_CHARS = 300;
