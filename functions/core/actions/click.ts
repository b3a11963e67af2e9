/**
 * What a Slack click asks for, read from its `block_actions` payload (already verified as
 * Slack's): who, from which workspace, on which incident, to do what, and where to answer.
 * Pure; anything that is not one of our controls on one of our messages is refused here.
 */
import {isObject} from '../json.js';
import type {ActionChoice} from './decide-action.js';
import {
  controlOf,
  decodeIncidentRef,
  SNOOZE_CHOICES,
  SNOOZE_END_VALUE,
  snoozeChoiceOf,
  type IncidentRef,
} from './ids.js';

/** A click on one of our controls. */
export interface Click {
  teamId: string;
  userId: string;
  ref: IncidentRef;
  choice: ActionChoice;
  /**
   * When it happened: Slack's `action_ts` (so the same payload twice asks for the same
   * snooze), or the time it arrived when Slack's is missing or more than 5 minutes off.
   */
  at: Date;
  /** Where ephemeral answers to the person go; null when the payload had none. */
  responseUrl: string | null;
}

/** Why a payload is not a click we act on. */
export type ClickProblem =
  'not-block-actions' | 'malformed' | 'unknown-action' | 'unknown-incident';

/** Slack's own bound on a request's age; a click time further from ours is not trusted. */
const CLICK_SKEW_MS = 5 * 60_000;

/** The click a `block_actions` payload carries (arrived `now`), or why it is not one of ours. */
export function readClick(
  payload: unknown,
  now: Date,
): {ok: true; click: Click} | {ok: false; problem: ClickProblem} {
  if (!isObject(payload)) return {ok: false, problem: 'malformed'};
  if (payload['type'] !== 'block_actions') return {ok: false, problem: 'not-block-actions'};
  const team = payload['team'];
  const user = payload['user'];
  const actions = payload['actions'];
  if (!isObject(team) || !isObject(user) || !Array.isArray(actions)) {
    return {ok: false, problem: 'malformed'};
  }
  const teamId = team['id'];
  const userId = user['id'];
  if (typeof teamId !== 'string' || typeof userId !== 'string' || userId === '') {
    return {ok: false, problem: 'malformed'};
  }
  const action = actions.find(
    (a): a is Record<string, unknown> =>
      isObject(a) && typeof a['action_id'] === 'string' && controlOf(a['action_id']) !== null,
  );
  if (action === undefined) return {ok: false, problem: 'unknown-action'};
  const control = controlOf(String(action['action_id']));
  const stamped = slackTime(action['action_ts']);
  const at =
    stamped !== null && Math.abs(stamped.getTime() - now.getTime()) <= CLICK_SKEW_MS
      ? stamped
      : now;
  let choice: ActionChoice;
  let refValue: unknown;
  switch (control) {
    case 'acknowledge':
    case 'unacknowledge':
      choice = {type: control};
      refValue = action['value'];
      break;
    case 'snooze': {
      const selected = action['selected_option'];
      const value = isObject(selected) ? selected['value'] : undefined;
      if (typeof value !== 'string') return {ok: false, problem: 'malformed'};
      if (value === SNOOZE_END_VALUE) choice = {type: 'unsnooze'};
      else {
        const snooze = snoozeChoiceOf(value);
        if (snooze === null) return {ok: false, problem: 'unknown-action'};
        const lasts = SNOOZE_CHOICES[snooze];
        choice = {
          type: 'snooze',
          until: lasts === null ? 'recovery' : new Date(at.getTime() + lasts),
        };
      }
      // A menu has no value of its own: the incident is named by the button beside it.
      refValue = siblingButtonValue(payload['message'], action['block_id']);
      break;
    }
    case null:
      return {ok: false, problem: 'unknown-action'};
  }
  const ref = typeof refValue === 'string' ? decodeIncidentRef(refValue) : null;
  if (ref === null) return {ok: false, problem: 'unknown-incident'};
  const responseUrl = payload['response_url'];
  return {
    ok: true,
    click: {
      teamId,
      userId,
      ref,
      choice,
      at,
      responseUrl: typeof responseUrl === 'string' && responseUrl !== '' ? responseUrl : null,
    },
  };
}

/** A Slack `action_ts` (`1772414700.123456`) as a time; null when it is not one. */
function slackTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{9,11}(\.\d+)?$/.test(value)) return null;
  return new Date(Math.round(Number(value) * 1000));
}

/** The value of our acknowledge (or unacknowledge) button in the clicked message's block. */
function siblingButtonValue(message: unknown, blockId: unknown): unknown {
  if (!isObject(message) || !Array.isArray(message['blocks'])) return undefined;
  for (const block of message['blocks']) {
    if (!isObject(block) || block['type'] !== 'actions') continue;
    if (typeof blockId === 'string' && block['block_id'] !== blockId) continue;
    const elements = Array.isArray(block['elements']) ? block['elements'] : [];
    for (const element of elements) {
      if (!isObject(element) || typeof element['action_id'] !== 'string') continue;
      const control = controlOf(element['action_id']);
      if (control === 'acknowledge' || control === 'unacknowledge') return element['value'];
    }
  }
  return undefined;
}
