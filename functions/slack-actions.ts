/**
 * The `slackActions` function: Slack POSTs a click on an opening message's Acknowledge button
 * or Snooze menu here. The request is checked (Slack's signature over the raw body, the bot's
 * own workspace, one of our controls, the allowed user groups), the change is decided by the
 * pure core (core/actions/decide-action.ts) and recorded with the message update and thread
 * reply it owes in the record's outbox — one store transaction — then delivered by the same
 * outbox delivery a pass uses (delivery.ts), within what is left of the answer budget. Slack
 * wants an answer within 3 s and the function gets no CPU once it has answered, so whatever
 * is not delivered by then stays in the outbox and the next scheduled pass delivers it, with
 * the same exactly-once rules. If the change cannot be recorded, the person who clicked is
 * told (an ephemeral message) and nothing changes.
 *
 * `actOnIncident` is the same path without Slack's request around it: the CLI's `ack` and
 * `snooze` use it. A click on a storm's parent acts on every open member (core/storms/actions.ts):
 * the members are changed first, then the storm record, so a click that could not finish
 * (the store went away between the two) is finished by the same click again.
 */
import {randomUUID} from 'node:crypto';
import type {Request, Response} from '@google-cloud/functions-framework';
import {decideAction, type ActionChoice, type ActionOutcome} from './core/actions/decide-action.js';
import type {IncidentRef} from './core/actions/ids.js';
import {readClick, type Click} from './core/actions/click.js';
import {ephemeralAnswer, type ActedState, type EphemeralAnswer} from './core/actions/messages.js';
import {decideStormAction, type StormActionOutcome} from './core/storms/actions.js';
import {STORM_CONTROL_KIND} from './core/storms/messages.js';
import {describeError, StoreError} from './core/errors.js';
import {INCIDENT_KINDS} from './core/detections/registry.js';
import type {Destination, IncidentKind, SubjectRecord} from './core/incident.js';
import {COMMON_WORDS} from './core/messages/catalogue.js';
import type {Language} from './core/messages/languages.js';
import {renderSlack} from './core/messages/render-slack.js';
import {deliverCluster} from './delivery.js';
import type {Logger} from './logger.js';
import {isSignedBySlack} from './adapters/slack-signature.js';
import {PassState, type PassError} from './pass-state.js';
import type {IncidentStore, Notifier, SlackWorkspace, StoreUsage} from './ports.js';

/**
 * The time from a click's arrival to our answer. Slack gives up at 3 s; 2 s leaves room for
 * the network both ways and a cold instance's slower first steps.
 */
export const ANSWER_BUDGET_MS = 2_000;
/** An ephemeral answer may take this much of the rest of Slack's 3 s. */
const ANSWER_MARGIN_MS = 500;

/** What acting on an incident needs. */
export interface ActionDeps {
  store: IncidentStore;
  notifier: Notifier;
  logger: Logger;
  /** The decision clock; I/O deadlines use the real one. */
  now: () => Date;
}

/** What became of an action: the decision, and what delivering it left undone. */
export interface ActResult {
  outcome: ActionOutcome | StormActionOutcome;
  /** Failures while delivering (left in the outbox for the next pass). */
  deliveryErrors: PassError[];
  /** Messages sent now. */
  sent: number;
}

/**
 * Records `choice` by `by` on the referenced incident and delivers what it owes, giving up
 * delivering at `budgetMs` from now (the next pass finishes). Throws `StoreError` when the
 * change could not be recorded (then nothing changed).
 */
export async function actOnIncident(
  deps: ActionDeps,
  ref: IncidentRef,
  action: {choice: ActionChoice; by: string; at: Date},
  budgetMs: number,
): Promise<ActResult> {
  const startedMs = Date.now();
  const usage: StoreUsage = {reads: 0, writes: 0};
  if (ref.kind === STORM_CONTROL_KIND) return actOnStorm(deps, ref, action, budgetMs, usage);
  const kind = INCIDENT_KINDS.find(k => k === ref.kind);
  if (kind === undefined) {
    return {outcome: {type: 'closed', incident: null}, deliveryErrors: [], sent: 0};
  }
  const request = {kind: kind as IncidentKind, incidentId: ref.id, ...action};
  let outcome: ActionOutcome = {type: 'closed', incident: null};
  const record = await deps.store.update(
    ref.cluster.id,
    ref.key,
    current => {
      // Pure, and run again if a concurrent writer forces a retry: the last run is the one.
      outcome = decideAction(current, request, deps.now());
      return outcome.type === 'recorded' ? outcome.record : null;
    },
    usage,
    new Date(startedMs + budgetMs),
  );
  const decided = outcome as ActionOutcome;
  if (decided.type !== 'recorded' || record === null) {
    return {outcome: decided, deliveryErrors: [], sent: 0};
  }
  return deliverActed(deps, ref, new Map([[ref.key, record]]), decided, budgetMs, startedMs, usage);
}

/** Delivers what an action left in `records`' outboxes (and storms), within the budget. */
async function deliverActed(
  deps: ActionDeps,
  ref: IncidentRef,
  records: Map<string, SubjectRecord>,
  outcome: ActResult['outcome'],
  budgetMs: number,
  startedMs: number,
  usage: StoreUsage,
): Promise<ActResult> {
  const state = new PassState(
    {
      source: {clusters: () => Promise.resolve({clusters: [], failures: []})},
      store: deps.store,
      notifier: deps.notifier,
      logger: deps.logger,
      now: deps.now,
      namespaces: null,
      budgetMs: Math.max(0, budgetMs - (Date.now() - startedMs)),
      concurrency: 1,
      dryRun: false,
      clusterDownAfter: 1,
    },
    `action-${randomUUID()}`,
  );
  await deliverCluster(state, ref.cluster, records, usage, false, false);
  return {
    outcome,
    deliveryErrors: state.summary.errors,
    sent: state.summary.notificationsSent,
  };
}

/**
 * An action on a storm's parent: every open member as if its own control was clicked (its
 * message updated, no reply of its own), then the storm record, which owes the parent's
 * rewrite and the thread's one reply. Throws `StoreError` when a member or the storm could
 * not be recorded; a member recorded before that stays so, and the same click again finishes
 * the rest (what is already so is left alone).
 */
async function actOnStorm(
  deps: ActionDeps,
  ref: IncidentRef,
  action: {choice: ActionChoice; by: string; at: Date},
  budgetMs: number,
  usage: StoreUsage,
): Promise<ActResult> {
  const startedMs = Date.now();
  const deadline = new Date(startedMs + budgetMs);
  const request = {stormId: ref.id, ...action};
  const stored = await deps.store.update(ref.cluster.id, ref.key, () => null, usage, deadline);
  const planned = decideStormAction(stored, request, deps.now());
  if (planned.type !== 'recorded') return {outcome: planned, deliveryErrors: [], sent: 0};
  const members = await deps.store.updateMany(
    ref.cluster.id,
    planned.requests.map(({key, request: memberRequest}) => ({
      key,
      change: (current: SubjectRecord | null) => {
        const outcome = decideAction(current, memberRequest, deps.now());
        return outcome.type === 'recorded' ? outcome.record : null;
      },
    })),
    usage,
    deadline,
  );
  const failed = members.find(r => !r.ok);
  if (failed !== undefined && !failed.ok) {
    throw failed.error instanceof StoreError
      ? failed.error
      : new StoreError('UNAVAILABLE', describeError(failed.error), {cause: failed.error});
  }
  let outcome: StormActionOutcome = planned;
  const record = await deps.store.update(
    ref.cluster.id,
    ref.key,
    current => {
      outcome = decideStormAction(current, request, deps.now());
      return outcome.type === 'recorded' ? outcome.record : null;
    },
    usage,
    deadline,
  );
  const decided = outcome as StormActionOutcome;
  if (decided.type !== 'recorded' || record === null) {
    return {outcome: decided, deliveryErrors: [], sent: 0};
  }
  // The parent first (what the person who clicked looks at), then each member's message.
  const records = new Map<string, SubjectRecord>([[ref.key, record]]);
  for (const [i, {key}] of planned.requests.entries()) {
    const result = members[i];
    if (result?.ok && result.record !== null) records.set(key, result.record);
  }
  return deliverActed(deps, ref, records, decided, budgetMs, startedMs, usage);
}

/** Settings of the `slackActions` handler. */
export interface SlackActionsSettings {
  signingSecret: string;
  /** `SLACK_ACTION_USERGROUPS`: only their members may act; null: anyone in the workspace. */
  usergroups: string[] | null;
  /** The language of answers about no incident in particular. */
  language: Language;
  /** Default ANSWER_BUDGET_MS. */
  budgetMs?: number;
}

/** The HTTP handler of `slackActions`. `wallNow` checks request timestamps (tests pass theirs). */
export function createSlackActionsHandler(
  settings: SlackActionsSettings,
  deps: ActionDeps & {workspace: SlackWorkspace},
  wallNow: () => number = Date.now,
) {
  const budgetMs = settings.budgetMs ?? ANSWER_BUDGET_MS;
  const {logger, workspace} = deps;
  const arrivals = new WeakMap<Click, number>();
  const arrivalOf = (click: Click) => arrivals.get(click) ?? Date.now();
  return async (req: Request, res: Response): Promise<void> => {
    const arrivedMs = Date.now();
    const deadline = () => new Date(arrivedMs + budgetMs);
    if (req.method !== 'POST') {
      res.status(405).set('Allow', 'POST').end();
      return;
    }
    const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
    const signed = isSignedBySlack(
      settings.signingSecret,
      {
        timestamp: req.get('x-slack-request-timestamp'),
        signature: req.get('x-slack-signature'),
      },
      raw,
      wallNow(),
    );
    if (!signed) {
      // No detail: whoever sent it learns nothing about why.
      logger.log('WARNING', 'slackActions: a request without a valid Slack signature was refused');
      res.status(401).end();
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new URLSearchParams(raw.toString('utf8')).get('payload') ?? '');
    } catch {
      res.status(400).end();
      return;
    }
    const read = readClick(payload, deps.now());
    if (!read.ok) {
      logger.log('WARNING', `slackActions: not acted on (${read.problem})`);
      res.status(400).end();
      return;
    }
    const click = read.click;
    arrivals.set(click, arrivedMs);
    try {
      const team = await workspace.teamId(deadline());
      if (click.teamId !== team) {
        logger.log('WARNING', 'slackActions: a click from another workspace was refused', {
          team: click.teamId,
        });
        res.status(403).end();
        return;
      }
      if (!(await allowed(click, settings.usergroups, workspace, deadline()))) {
        logger.log('INFO', 'slackActions: refused, not in an allowed user group', {
          user: click.userId,
        });
        await answer(click, 'notAllowed', null, settings.language);
        res.status(200).end();
        return;
      }
    } catch (error) {
      logger.log('ERROR', 'slackActions: could not check the workspace or user groups', {
        error: describeError(error),
      });
      res.status(503).end();
      return;
    }
    const remaining = Math.max(0, arrivedMs + budgetMs - Date.now());
    let result: ActResult;
    try {
      result = await actOnIncident(
        deps,
        click.ref,
        {choice: click.choice, by: click.userId, at: click.at},
        remaining,
      );
    } catch (error) {
      logger.log('ERROR', 'slackActions: the change could not be recorded (or not in time)', {
        error: describeError(error),
        incident: click.ref.id,
      });
      // Given up at our deadline, a transaction may still commit: say only what is known.
      const late = error instanceof StoreError && error.code === 'DEADLINE';
      await answer(click, late ? 'notConfirmed' : 'notRecorded', null, settings.language);
      res.status(200).end();
      return;
    }
    const {outcome} = result;
    logger.log('INFO', `slackActions: ${click.choice.type} ${outcome.type}`, {
      user: click.userId,
      cluster: click.ref.cluster.name,
      record: click.ref.key,
      incident: click.ref.id,
      sent: result.sent,
    });
    for (const error of result.deliveryErrors) {
      logger.log('WARNING', `slackActions: left for the next pass: ${error.message}`, {
        code: error.code,
      });
    }
    if (outcome.type === 'unchanged') {
      const state = 'storm' in outcome ? outcome.storm : outcome.incident;
      await answer(click, 'unchanged', state, languageOf(state, settings));
    } else if (outcome.type === 'closed') {
      await answer(
        click,
        'closed',
        null,
        languageOf('incident' in outcome ? outcome.incident : null, settings),
      );
    }
    res.status(200).end();
  };

  /** Tells the person who clicked alone; a failure to do so is logged, never thrown. */
  async function answer(
    click: Click,
    what: EphemeralAnswer,
    incident: ActedState | null,
    language: Language,
  ): Promise<void> {
    if (click.responseUrl === null) return;
    const message = renderSlack(ephemeralAnswer(what, incident, COMMON_WORDS[language], language));
    try {
      // Within Slack's 3 s too: whatever the action left, a quarter second more at least.
      const until = Math.max(arrivalOf(click) + budgetMs + ANSWER_MARGIN_MS, Date.now() + 250);
      await workspace.respond(click.responseUrl, {text: message.text}, new Date(until));
    } catch (error) {
      logger.log('WARNING', 'slackActions: could not answer the person who clicked', {
        error: describeError(error),
      });
    }
  }
}

function languageOf(
  subject: {destination?: Destination | undefined} | null,
  settings: SlackActionsSettings,
): Language {
  return subject?.destination?.language ?? settings.language;
}

/** Whether the clicking user may act: anyone without user groups, else their members. */
async function allowed(
  click: Click,
  usergroups: string[] | null,
  workspace: SlackWorkspace,
  deadline: Date,
): Promise<boolean> {
  if (usergroups === null) return true;
  const members = await Promise.all(usergroups.map(g => workspace.usergroupMembers(g, deadline)));
  return members.some(ids => ids.includes(click.userId));
}
