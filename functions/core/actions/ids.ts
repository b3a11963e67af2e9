/**
 * What the interactive controls of an opening message carry, shared by the renderer that
 * draws them and the endpoint that reads a click: the action IDs, the snooze choices and the
 * incident reference in a button's `value`.
 */
import type {ClusterRef} from '../model.js';

/** Every action ID of ours starts with this; clicks on anything else are not ours to judge. */
export const ACTION_ID_PREFIX = 'cronjob-watcher:';

/** The controls an opening message carries, by the neutral model's id. */
export type ControlId = 'acknowledge' | 'unacknowledge' | 'snooze';

/** Slack `action_id` of a control. */
export function actionIdOf(id: ControlId): string {
  return `${ACTION_ID_PREFIX}${id}`;
}

/** The control an `action_id` names, or null when it is not one of ours. */
export function controlOf(actionId: string): ControlId | null {
  if (!actionId.startsWith(ACTION_ID_PREFIX)) return null;
  const id = actionId.slice(ACTION_ID_PREFIX.length);
  return id === 'acknowledge' || id === 'unacknowledge' || id === 'snooze' ? id : null;
}

/**
 * The snooze menu's choices, with how long each lasts (null: until the incident recovers).
 * Nothing longer than a day: a longer silence is the `ignore` annotation's job.
 */
export const SNOOZE_CHOICES = {
  '1h': 3_600_000,
  '4h': 4 * 3_600_000,
  '1d': 24 * 3_600_000,
  recovery: null,
} as const satisfies Record<string, number | null>;

/** One of the snooze menu's choices. */
export type SnoozeChoice = keyof typeof SNOOZE_CHOICES;

/** The snooze menu's value that ends a snooze early. */
export const SNOOZE_END_VALUE = 'end';

/** The choice a menu option's value names, or null. */
export function snoozeChoiceOf(value: string): SnoozeChoice | null {
  return Object.hasOwn(SNOOZE_CHOICES, value) ? (value as SnoozeChoice) : null;
}

/** Which incident a control acts on: its cluster, its record's key, its kind and id. */
export interface IncidentRef {
  cluster: ClusterRef;
  key: string;
  kind: string;
  id: string;
}

/** Slack's limit on a button's `value`. */
export const BUTTON_VALUE_MAX_CHARS = 2000;

/** The button value naming an incident; null when it would not fit Slack's limit. */
export function encodeIncidentRef(ref: IncidentRef): string | null {
  const {id, name, project, location} = ref.cluster;
  const value = JSON.stringify({
    v: 1,
    c: {id, name, project, location},
    k: ref.key,
    n: ref.kind,
    i: ref.id,
  });
  return value.length <= BUTTON_VALUE_MAX_CHARS ? value : null;
}

/** The incident a button value names, or null when it is not one of ours. */
export function decodeIncidentRef(value: string): IncidentRef | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  const c = o['c'];
  if (o['v'] !== 1 || typeof c !== 'object' || c === null) return null;
  const cluster = c as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
  const textOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (
    !text(cluster['id']) ||
    !text(cluster['name']) ||
    !textOrNull(cluster['project']) ||
    !textOrNull(cluster['location']) ||
    !text(o['k']) ||
    !text(o['n']) ||
    !text(o['i'])
  ) {
    return null;
  }
  return {
    cluster: {
      id: cluster['id'],
      name: cluster['name'],
      project: cluster['project'],
      location: cluster['location'],
    },
    key: o['k'],
    kind: o['n'],
    id: o['i'],
  };
}
