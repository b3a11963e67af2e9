/**
 * The `slackActions` function's handler as the entry module builds it: its own store and
 * notifier (built on first use, like the watcher's), and the workspace through the bot token.
 * Both functions share one package and one entry module, so this is registered in every
 * instance; one deployed as `slackActions` without its secrets fails at start-up, any other
 * answers 503 until they are set.
 */
import type {Request, Response} from '@google-cloud/functions-framework';
import type {Config} from './config.js';
import {ConfigError} from './core/errors.js';
import type {Logger} from './logger.js';
import type {SlackWorkspace} from './ports.js';
import {createSlackActionsHandler} from './slack-actions.js';
import {createIncidentStore, createNotifier, lazily} from './wiring.js';

/** The name of the entry point, as `--target` and Cloud Run functions call it. */
export const SLACK_ACTIONS_TARGET = 'slackActions';

/** What is missing for `slackActions` to work; null when nothing is. */
export function slackActionsMissing(config: Config): string | null {
  if (config.slackActions.signingSecret === null) {
    return 'SLACK_SIGNING_SECRET is not set: slackActions cannot tell a click from Slack from a forgery';
  }
  if (config.slack === null) {
    return 'SLACK_BOT_TOKEN is not set: slackActions cannot learn its workspace or update messages';
  }
  return null;
}

/** The workspace through the bot token, its client loaded on first use. */
function createSlackWorkspace(slack: NonNullable<Config['slack']>): SlackWorkspace {
  const workspace = lazily(async (): Promise<SlackWorkspace> => {
    const {createSlackClient} = await import('./adapters/slack-notifier.js');
    const {WebSlackWorkspace} = await import('./adapters/slack-workspace.js');
    const client = createSlackClient({token: slack.token, apiUrl: slack.apiUrl});
    // A local Slack (SLACK_API_URL) also answers clicks' response_url in tests.
    const allowedOrigin = slack.apiUrl === null ? null : new URL(slack.apiUrl).origin;
    return new WebSlackWorkspace(client, {allowedOrigin});
  });
  return {
    teamId: async (...args) => (await workspace()).teamId(...args),
    usergroupMembers: async (...args) => (await workspace()).usergroupMembers(...args),
    respond: async (...args) => (await workspace()).respond(...args),
  };
}

/** The handler `index.ts` registers as `slackActions`. */
export function slackActionsEntry(
  config: Config,
  logger: Logger,
  target: string | undefined = process.env.FUNCTION_TARGET,
): (req: Request, res: Response) => Promise<void> {
  const missing = slackActionsMissing(config);
  const slack = config.slack;
  const secret = config.slackActions.signingSecret;
  if (missing !== null || slack === null || secret === null) {
    if (target === SLACK_ACTIONS_TARGET) throw new ConfigError(missing ?? 'not configured');
    return async (_req, res) => {
      logger.log('ERROR', `slackActions is not configured: ${missing}`);
      res.status(503).end();
    };
  }
  return createSlackActionsHandler(
    {signingSecret: secret, usergroups: config.slackActions.usergroups, language: config.language},
    {
      store: createIncidentStore(config),
      notifier: createNotifier(config),
      workspace: createSlackWorkspace(slack),
      logger,
      now: () => new Date(),
    },
  );
}
