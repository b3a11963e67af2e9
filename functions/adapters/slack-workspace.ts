/**
 * `SlackWorkspace` with `@slack/web-api` (`auth.test`, `usergroups.users.list`) and a plain
 * `fetch` to a click's `response_url`. The workspace's ID is asked once per instance (it never
 * changes for a token); a user group's members are kept for MEMBERS_TTL_MS, so a click costs no
 * Slack call of its own in the common case and someone removed from a group loses the right to
 * act within a minute.
 */
import type {WebClient} from '@slack/web-api';
import {NotifyError} from '../core/errors.js';
import type {SlackWorkspace} from '../ports.js';
import {classifySlackError} from './slack-errors.js';

/** How long a user group's members are trusted before they are asked again. */
export const MEMBERS_TTL_MS = 60_000;

/**
 * The only origin a `response_url` may point to: Slack's. Anything else in a payload would
 * make this function post wherever a payload said (it is signed by Slack, but one check more
 * costs nothing). `allowedOrigin` adds one for tests and proxies (the `SLACK_API_URL` origin).
 */
const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

/** Options of `WebSlackWorkspace`. */
export interface SlackWorkspaceOptions {
  /** Another origin `response_url`s may point to (a local Slack in tests); default none. */
  allowedOrigin?: string | null;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** The bot token's workspace, through the Web API. */
export class WebSlackWorkspace implements SlackWorkspace {
  readonly #client: WebClient;
  readonly #allowedOrigin: string | null;
  readonly #now: () => number;
  #teamId: Promise<string> | null = null;
  readonly #members = new Map<string, {atMs: number; ids: Promise<string[]>}>();

  constructor(client: WebClient, options: SlackWorkspaceOptions = {}) {
    this.#client = client;
    this.#allowedOrigin = options.allowedOrigin ?? null;
    this.#now = options.now ?? Date.now;
  }

  teamId(deadline: Date): Promise<string> {
    this.#teamId ??= this.#call('auth.test', deadline, async () => {
      const answer = await this.#client.auth.test();
      if (typeof answer.team_id !== 'string' || answer.team_id === '') {
        throw new NotifyError('SLACK_BAD_RESPONSE', 'auth.test answered no team_id', true);
      }
      return answer.team_id;
    }).catch((error: unknown) => {
      this.#teamId = null;
      throw error;
    });
    return this.#teamId;
  }

  usergroupMembers(usergroup: string, deadline: Date): Promise<string[]> {
    const cached = this.#members.get(usergroup);
    if (cached !== undefined && this.#now() - cached.atMs < MEMBERS_TTL_MS) return cached.ids;
    const ids = this.#call('usergroups.users.list', deadline, async () => {
      const answer = await this.#client.usergroups.users.list({usergroup});
      return answer.users ?? [];
    }).catch((error: unknown) => {
      this.#members.delete(usergroup);
      throw error;
    });
    this.#members.set(usergroup, {atMs: this.#now(), ids});
    return ids;
  }

  async respond(responseUrl: string, message: {text: string}, deadline: Date): Promise<void> {
    const url = new URL(responseUrl);
    if (url.origin !== SLACK_HOOKS_ORIGIN && url.origin !== this.#allowedOrigin) {
      throw new NotifyError(
        'SLACK_RESPONSE_URL',
        `a click's response_url points to ${url.origin}, not Slack: not answered`,
        false,
      );
    }
    const remaining = Math.max(1, deadline.getTime() - Date.now());
    let answer: Response;
    try {
      answer = await fetch(url, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: false,
          text: message.text,
        }),
        signal: AbortSignal.timeout(remaining),
      });
    } catch (error) {
      throw new NotifyError('SLACK_RESPONSE_URL', 'the ephemeral answer was not delivered', true, {
        cause: error,
      });
    }
    await answer.body?.cancel();
    if (!answer.ok) {
      throw new NotifyError(
        'SLACK_RESPONSE_URL',
        `the ephemeral answer was refused: HTTP ${answer.status}`,
        answer.status >= 500,
      );
    }
  }

  /** One Web API call, given up at the deadline, its failure said the adapter's way. */
  async #call<T>(method: string, deadline: Date, send: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new NotifyError('SLACK_TIMEOUT', `Slack did not answer ${method} in time`, true)),
        Math.max(1, deadline.getTime() - Date.now()),
      );
    });
    try {
      return await Promise.race([send(), expired]);
    } catch (error) {
      throw classifySlackError(error, {method, channel: '', token: this.#client.token ?? ''}).error;
    } finally {
      clearTimeout(timer);
    }
  }
}
