/**
 * Durations for people, shared by the catalogues: the two largest units, truncated (never
 * rounded up, so "2h 5m" means at least 2h 5m); a zero second unit is left out (`2h`, not
 * `2h 0m`): it reads cleaner and says the same. Under one second is zero of the smallest
 * unit. A negative or non-finite duration (clock skew between runs, unreadable timestamps) is
 * shown as zero rather than thrown: a message with a wrong-looking duration is better than none.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The names of days, hours, minutes and seconds in one language. */
export interface DurationUnits {
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** Between the two units: a space in English, nothing in Japanese. */
  separator: string;
}

/** `ms` in the two largest units, e.g. `2h 5m` or `2時間5分`. */
export function formatDurationIn(ms: number, names: DurationUnits): string {
  const units: Array<[string, number]> = [
    [names.day, DAY_MS],
    [names.hour, HOUR_MS],
    [names.minute, MINUTE_MS],
    [names.second, SECOND_MS],
  ];
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  const index = units.findIndex(([, size]) => total >= size);
  const largest = units[index];
  if (largest === undefined) return `0${names.second}`;
  const [unit, size] = largest;
  const count = Math.floor(total / size);
  const next = units[index + 1];
  if (next === undefined) return `${count}${unit}`;
  const nextCount = Math.floor((total - count * size) / next[1]);
  return nextCount === 0
    ? `${count}${unit}`
    : `${count}${unit}${names.separator}${nextCount}${next[0]}`;
}
