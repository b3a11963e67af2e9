/**
 * Prints notifications as readable text instead of sending them: the notifier used when no
 * Slack token is configured, and by the demo. It hands back a fake delivered message
 * (channel `console`, a counter as `ts`) so a closing message "threads" under its opening
 * one exactly as it would in Slack.
 */
import {buildMessages} from '../core/messages/build.js';
import {consoleTitleOf, renderConsole} from '../core/messages/render-console.js';
import type {
  DeliveredMessage,
  PendingNotification,
  StormSend,
  StormState,
} from '../core/incident.js';
import {buildStormMessages} from '../core/storms/messages.js';
import type {ClusterRef} from '../core/model.js';
import type {DigestPost, NotificationContext, Notifier, StormParent} from '../ports.js';

/** Where the console notifier writes; `process.stdout` fits. */
export interface TextSink {
  write(text: string): unknown;
}

/** The channel name given to messages "delivered" to the console. */
export const CONSOLE_CHANNEL = 'console';

/** Prints each notification as the Slack message(s) it would be. */
export class ConsoleNotifier implements Notifier {
  readonly #out: TextSink;
  #count = 0;

  constructor(options: {out?: TextSink} = {}) {
    this.#out = options.out ?? process.stdout;
  }

  async deliver(
    notification: PendingNotification,
    context: NotificationContext,
    _deadline: Date,
  ): Promise<DeliveredMessage | null> {
    const formatted = buildMessages(notification, context);
    switch (formatted.kind) {
      case 'opened': {
        const thread = context.thread;
        if (thread !== null) {
          this.#print(
            `Slack message ${thread.ts} updated`,
            `now titled: ${consoleTitleOf(formatted.post)}`,
          );
          this.#print(
            `Slack reply ${this.#nextTs()} in the thread of message ${thread.ts}`,
            renderConsole(formatted.reply ?? formatted.post),
          );
          return {...thread, incidentId: notification.incident.id};
        }
        if (context.storm !== undefined) {
          const ts = this.#nextTs();
          this.#print(
            `Slack reply ${ts} in the thread of message ${context.storm.ts}`,
            renderConsole(formatted.post),
          );
          return {
            incidentId: notification.incident.id,
            channel: context.storm.channel,
            ts,
            threadTs: context.storm.ts,
            storm: context.storm.id,
          };
        }
        const ts = this.#nextTs();
        const channel = notification.incident.destination?.channel;
        this.#print(
          `Slack message ${ts}${channel ? ` in ${channel}` : ''}`,
          renderConsole(formatted.post),
        );
        return {
          incidentId: notification.incident.id,
          channel: notification.incident.destination?.channel ?? CONSOLE_CHANNEL,
          ts,
        };
      }
      case 'recovered':
        this.#print(
          context.storm === undefined
            ? `Slack message ${this.#nextTs()}`
            : `Slack reply ${this.#nextTs()} in the thread of message ${context.storm.ts}`,
          renderConsole(formatted.post),
        );
        return null;
      case 'reminder':
        // Only ever in the opening's thread: without one there is nobody to remind.
        if (context.thread !== null) {
          this.#print(
            `Slack reply ${this.#nextTs()} in the thread of message ${context.thread.ts}`,
            renderConsole(formatted.reply),
          );
        }
        return null;
      case 'closed': {
        const thread = context.thread;
        if (thread === null) {
          if (formatted.quiet !== true) {
            this.#print(`Slack message ${this.#nextTs()}`, renderConsole(formatted.standalone));
          }
          return null;
        }
        if (formatted.quiet === true) {
          this.#print(
            `Slack reply ${this.#nextTs()} in the thread of message ${thread.threadTs ?? thread.ts}`,
            renderConsole(formatted.reply),
          );
          return null;
        }
        this.#print(
          `Slack message ${thread.ts} updated`,
          `now titled: ${consoleTitleOf(formatted.update)}`,
        );
        this.#print(
          `Slack reply ${this.#nextTs()} in the thread of message ${thread.threadTs ?? thread.ts}`,
          renderConsole(formatted.reply),
        );
        return null;
      }
      case 'acted': {
        const thread = context.thread;
        // Without an opening message there is nothing to change or to reply under.
        if (thread === null) return null;
        this.#print(`Slack message ${thread.ts} updated`, renderConsole(formatted.update));
        if (formatted.reply === null) return null;
        this.#print(
          `Slack reply ${this.#nextTs()} in the thread of message ${thread.threadTs ?? thread.ts}`,
          renderConsole(formatted.reply),
        );
        return null;
      }
    }
  }

  async postDigest(digest: DigestPost, _deadline: Date): Promise<{channel: string; ts: string}> {
    const ts = this.#nextTs();
    const channel = digest.channel ?? CONSOLE_CHANNEL;
    this.#print(
      `Slack message ${ts}${digest.channel ? ` in ${digest.channel}` : ''}`,
      renderConsole(digest.message),
    );
    return {channel, ts};
  }

  async deliverStorm(
    send: StormSend,
    storm: StormState,
    context: {cluster: ClusterRef},
    _deadline: Date,
  ): Promise<StormParent | null> {
    const messages = buildStormMessages(send, storm, context.cluster);
    if (messages.kind === 'opened') {
      const ts = this.#nextTs();
      const channel = storm.destination.channel;
      this.#print(
        `Slack message ${ts}${channel ? ` in ${channel}` : ''}`,
        renderConsole(messages.post),
      );
      return {channel: channel ?? CONSOLE_CHANNEL, ts};
    }
    if (storm.parent === null) return null;
    if (messages.kind === 'reply') {
      if (messages.reply !== null) {
        this.#print(
          `Slack reply ${this.#nextTs()} in the thread of message ${storm.parent.ts}`,
          renderConsole(messages.reply),
        );
      }
      return null;
    }
    this.#print(`Slack message ${storm.parent.ts} updated`, renderConsole(messages.update));
    if (messages.kind === 'acted') {
      this.#print(
        `Slack reply ${this.#nextTs()} in the thread of message ${storm.parent.ts}`,
        renderConsole(messages.reply),
      );
    }
    return null;
  }

  #nextTs(): string {
    this.#count++;
    return String(this.#count);
  }

  #print(title: string, body: string): void {
    this.#out.write(`\n── ${title} ──\n${body}\n`);
  }
}
