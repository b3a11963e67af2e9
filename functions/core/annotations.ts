/**
 * How an annotation becomes a setting: the shape every settings table has (the common one in
 * policy.ts, each detection's own in detections/<kind>/settings.ts) and the parsers more
 * than one of them uses. Pure; nothing here throws on what a cluster holds.
 */

/** A parsed value, or why the annotation's value is not one. */
export type Check<T> = {ok: true; value: T} | {ok: false; problem: string};

/** One annotation (its name without the prefix), the setting it fills and how it parses. */
export interface AnnotationSetting {
  name: string;
  /** A key of the settings it belongs to (its defaults have every key). */
  field: string;
  parse(raw: string): Check<unknown>;
}

/** Settings from annotations: what each annotation fills, and the defaults. */
export interface SettingsSpec<S extends Record<string, unknown>> {
  annotations: readonly AnnotationSetting[];
  /** The settings of a CronJob without these annotations. */
  defaults: S;
}

const UNIT_MS: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000};
// A silent-failure threshold beyond a year is a typo (`365d` is the longest sane one).
const MAX_DURATION_MS = 366 * 24 * 3600_000;

/** `90s`, `15m`, `2h`, `1h30m`, `1d`: whole units, largest first. */
export function parseDurationMs(raw: string): Check<number> {
  const v = raw.trim();
  const m = /^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?(?:(\d{1,9})s)?$/.exec(v);
  const bad = {ok: false as const, problem: 'must be a duration like 90s, 15m, 2h or 1h30m'};
  if (m === null || v === '') return bad;
  const [, d, h, min, s] = m;
  const ms =
    Number(d ?? 0) * UNIT_MS.d! +
    Number(h ?? 0) * UNIT_MS.h! +
    Number(min ?? 0) * UNIT_MS.m! +
    Number(s ?? 0) * UNIT_MS.s!;
  if (ms <= 0) return {ok: false, problem: 'must be longer than zero'};
  if (ms > MAX_DURATION_MS) return {ok: false, problem: 'must be at most 366d'};
  return {ok: true, value: ms};
}

/** `"on"` or `"off"`: a detection a CronJob can turn off. */
export function parseOnOff(raw: string): Check<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === 'on') return {ok: true, value: true};
  if (v === 'off') return {ok: true, value: false};
  return {ok: false, problem: 'must be "on" or "off"'};
}
