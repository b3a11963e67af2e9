/**
 * The settings of the `slackActions` function, read by `parseConfig`: the app's signing secret
 * (`SLACK_SIGNING_SECRET`, from Secret Manager when deployed) and who may act
 * (`SLACK_ACTION_USERGROUPS`).
 */
import {ConfigError} from './core/errors.js';

/** The `slackActions` function's settings. */
export interface SlackActionsConfig {
  /** Null: not set (the watcher alone needs none; `slackActions` refuses to start without). */
  signingSecret: string | null;
  /** User group IDs (`S0123…`) whose members may act; null: anyone in the workspace. */
  usergroups: string[] | null;
}

type Env = Record<string, string | undefined>;

const USERGROUP = /^S[A-Z0-9]{2,}$/;

/** Reads the `slackActions` settings; throws `ConfigError` naming the bad one. */
export function slackActionsFrom(env: Env): SlackActionsConfig {
  const secret = env.SLACK_SIGNING_SECRET?.trim() ?? '';
  // Slack's signing secrets are 32 hex digits; the secret itself is never echoed.
  if (secret !== '' && !/^[0-9a-f]{32}$/i.test(secret)) {
    throw new ConfigError(
      `SLACK_SIGNING_SECRET must be the app's signing secret (32 hex digits, under Basic Information in the app's settings); the value set has ${secret.length} characters`,
    );
  }
  const raw = env.SLACK_ACTION_USERGROUPS?.trim() ?? '';
  const usergroups = raw === '' ? null : raw.split(',').map(g => g.trim());
  const bad = usergroups?.find(g => !USERGROUP.test(g));
  if (bad !== undefined) {
    throw new ConfigError(
      `SLACK_ACTION_USERGROUPS must be user group IDs separated by commas (S…, from the group's URL or usergroups.list), e.g. SLACK_ACTION_USERGROUPS=S0ONCALL01,S0SRE00002; got "${bad}"`,
    );
  }
  return {signingSecret: secret === '' ? null : secret, usergroups};
}
