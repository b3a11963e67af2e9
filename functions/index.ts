/**
 * The Cloud Run functions of one package. `watchCronJobs`: Cloud Scheduler POSTs here every
 * few minutes; each request runs one pass and answers its summary as JSON. `slackActions`:
 * Slack POSTs a click on a message's Acknowledge or Snooze control (slack-actions.ts). Configuration is read and every client is built
 * once, when the instance starts, so a bad setting fails the deployment's start-up, not a
 * pass at 3 a.m.
 */
import * as functions from '@google-cloud/functions-framework';
import type {Request, Response} from '@google-cloud/functions-framework';
import {describeConfig, parseConfig, type Config} from './config.js';
import {limitRequestBodies} from './body-limit.js';
import {describeError} from './core/errors.js';
import {JsonLogger, type Logger} from './logger.js';
import {logMemory} from './memory.js';
import {runPass} from './pass.js';
import {SignalHold} from './signal-hold.js';
import {slackActionsEntry} from './slack-actions-entry.js';
import {createAdapters, passDepsOf, type Adapters} from './wiring.js';

/**
 * The HTTP handler for one configuration and set of adapters; `hold` holds SIGTERM/SIGINT while
 * a pass runs (see signal-hold.ts).
 */
export function createHandler(
  config: Config,
  adapters: Adapters,
  logger: Logger,
  now: () => Date = () => new Date(),
  hold: SignalHold = new SignalHold((message, fields) => logger.log('WARNING', message, fields)),
) {
  return async (req: Request, res: Response): Promise<void> => {
    // Cloud Scheduler POSTs to the URL itself; anything else is a mistake (or a scanner),
    // and must not run a pass.
    if (req.path !== '/') {
      res.status(404).json({error: 'not found: POST / runs a pass'});
      return;
    }
    if (req.method !== 'POST') {
      res.status(405).set('Allow', 'POST').json({error: 'POST to run a pass'});
      return;
    }
    const held = hold.begin();
    if (held === null) {
      res.status(503).json({error: 'the instance is stopping: no pass started'});
      return;
    }
    // The held signal is delivered once the answer has left (or the client has gone).
    res.once('finish', held.end);
    res.once('close', held.end);
    try {
      const summary = await runPass({
        ...passDepsOf(config, adapters, logger, now),
        signal: held.signal,
      });
      logMemory(logger);
      // 503 asks Cloud Scheduler to retry: the pass left work undone (store down, out of
      // time, stopped by SIGTERM). Unreadable clusters and undelivered messages are not
      // retried this way: they are reported, and the next scheduled pass picks them up.
      res.status(summary.complete && !summary.interrupted ? 200 : 503).json(summary);
    } catch (error) {
      logger.log('ERROR', 'pass failed', {error: describeError(error)});
      res.status(500).json({error: describeError(error)});
    }
  };
}

limitRequestBodies();
const logger = new JsonLogger();
const config = parseConfig(process.env);
if (config.slack === null) {
  logger.log('WARNING', 'SLACK_BOT_TOKEN is not set: notifications go to the log only');
}
logger.log('INFO', 'cronjob-watcher starting', describeConfig(config));
// Without a token, each message is one log entry (its text in a field), not lines of text
// between the JSON log lines.
const printed = {
  write: (text: string) =>
    logger.log('INFO', 'notification printed (SLACK_BOT_TOKEN is not set)', {text: text.trim()}),
};
functions.http('watchCronJobs', createHandler(config, createAdapters(config, printed), logger));
functions.http('slackActions', slackActionsEntry(config, logger));
