/**
 * The neutral message model: what a notification says, before any renderer decides how it
 * looks. Each detection fills it from its incident (detections/<kind>/messages.ts); Slack
 * Block Kit (render-slack.ts) and the console (render-console.ts) render it. Plain types and
 * the lengths every renderer keeps; nothing here imports a detection.
 */
import type {Subject} from '../incident-base.js';
import type {ClusterRef} from '../model.js';

/** A piece of text with a meaning a renderer may show in its own way. */
export type Segment =
  /** Words and values shown as they are. */
  | {type: 'text'; text: string}
  /** A name or an expression, shown literally (Slack: inline code). */
  | {type: 'code'; text: string}
  /** A point in time: `iso` is `2024-05-01T14:03:07Z`; a renderer may add how long ago. */
  | {type: 'time'; iso: string; epochMs: number; slackFormat?: string}
  /** A link with a label. */
  | {type: 'link'; url: string; label: string};

/** Text made of segments, read in order. */
export type Text = Segment[];

/** A labelled value: `Cluster: prod-eu`. */
export interface Field {
  label: string;
  value: Text;
}

/** A link with a label. */
export type Link = Extract<Segment, {type: 'link'}>;

/** What the message announces; a renderer may colour it. */
export type Tone =
  'failing' | 'unreadable' | 'missed' | 'stuck' | 'warning' | 'resolved' | 'recovered';

/** One message, as every renderer sees it. Renderers show the parts in this order. */
export interface Message {
  tone: Tone;
  /** The headline, marked and cut to TITLE_MAX_CHARS; null for a thread reply. */
  title: string | null;
  /** A paragraph before everything else (a thread reply's one line). */
  lead: Text | null;
  fields: Field[];
  /** Why it failed: `Reason: BackoffLimitExceeded`. */
  reason: Field | null;
  /** More of why, e.g. what the Pods say. */
  details: Field[];
  /** The failure message, shown quoted; already cut. */
  quote: string | null;
  links: Link[];
  /** Small print after everything else. */
  notes: Text[];
  /** One line for notifications and clients that show no layout; already cut. */
  summary: string;
  /** How long the incident lasted, when the message is about a closed one and it is known. */
  durationMs: number | null;
  /**
   * Slack mention markup (`<!subteam^S0123>`), validated where it was configured and sent
   * unescaped; only opening messages have one.
   */
  mention?: string | null;
  /** A failed container's last log lines, shown as a block of code, or why there are none. */
  log?: LogBlock | null;
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
  | {kind: 'opened'; post: Message}
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
  | {kind: 'recovered'; post: Message};

/**
 * What building a message needs besides the notification. `NotificationContext` (ports.ts)
 * fits it; it is restated here because the core imports nothing outside it.
 */
export interface MessageContext {
  cluster: ClusterRef;
  subject: Subject;
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
/** Cap on the summary: Slack advises keeping `text` short; it only feeds notifications. */
export const SUMMARY_MAX_CHARS = 1000;
