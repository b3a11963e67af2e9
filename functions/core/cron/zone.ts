/**
 * Wall clocks in an IANA time zone, with the arithmetic of Go's `time` package: robfig/cron's
 * `Next` walks a schedule with `time.Date`, `AddDate`, `Add` and `Truncate`, and its answers on
 * daylight-saving days follow from how those resolve a wall time that does not exist or that
 * occurs twice. The zone data is the runtime's (ICU via `Intl`), read once per zone and month
 * and kept, so a pass over thousands of CronJobs asks `Intl` only a few hundred times per zone.
 */

/** A wall-clock reading in some zone. `month` is 1-12, `weekday` 0 (Sunday) to 6. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const SECOND_MS = 1000;
const HOUR_MS = 3600 * SECOND_MS;
// Offsets change at most twice a year; probing every 6 hours finds each change (none happen
// twice within 6 hours), and a bisection then places it to the second.
const PROBE_MS = 6 * HOUR_MS;
// The unit the offsets are read and kept in: about a month of probes per `Intl` batch.
const CHUNK_MS = 32 * 24 * HOUR_MS;

/** A zone's offsets: `Intl` read once per chunk, then a lookup in a handful of entries. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, {startMs: number[]; offsetMs: number[]}>();
  private lastIndex = Number.NaN;
  private lastChunk: {startMs: number[]; offsetMs: number[]} | undefined;

  constructor(zone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset (wall minus UTC) in force at `ms`. */
  offsetAt(ms: number): number {
    const index = Math.floor(ms / CHUNK_MS);
    let chunk = index === this.lastIndex ? this.lastChunk : this.chunks.get(index);
    if (chunk === undefined) {
      chunk = this.readChunk(index);
      if (this.chunks.size > 4096) this.chunks.clear();
      this.chunks.set(index, chunk);
    }
    this.lastIndex = index;
    this.lastChunk = chunk;
    let offset = chunk.offsetMs[0] ?? 0;
    for (let i = 1; i < chunk.startMs.length; i++) {
      if ((chunk.startMs[i] ?? Infinity) > ms) break;
      offset = chunk.offsetMs[i] ?? offset;
    }
    return offset;
  }

  private readChunk(index: number): {startMs: number[]; offsetMs: number[]} {
    const begin = index * CHUNK_MS;
    const startMs = [begin];
    const offsetMs = [this.ask(begin)];
    let previousMs = begin;
    let previous = offsetMs[0] ?? 0;
    for (let probe = begin + PROBE_MS; probe <= begin + CHUNK_MS; probe += PROBE_MS) {
      const offset = this.ask(probe);
      if (offset !== previous) {
        let low = previousMs;
        let high = probe;
        while (high - low > SECOND_MS) {
          const middle = low + Math.floor((high - low) / 2 / SECOND_MS) * SECOND_MS;
          if (this.ask(middle) === previous) low = middle;
          else high = middle;
        }
        if (high < begin + CHUNK_MS) {
          startMs.push(high);
          offsetMs.push(offset);
        }
        previous = offset;
      }
      previousMs = probe;
    }
    return {startMs, offsetMs};
  }

  private ask(ms: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(ms)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return wall - Math.floor(ms / SECOND_MS) * SECOND_MS;
  }
}

const zones = new Map<string, ZoneOffsets | null>();

// Every zone of the tz database is a path whose parts begin with a capital letter
// (`America/New_York`, `Etc/GMT+5`, `EST5EDT`). `Intl` also takes UTC offsets (`+05:00`) and
// names in any case, which Go has no file for.
const TZ_FILE_NAME = /^[A-Z][^/]*(?:\/[A-Z][^/]*)*$/;

/** UTC and the names Go reads as UTC without a file (`loadLocation`): no offsets to read. */
function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === '' || zone === 'Local';
}

/**
 * The zone's name as Go's `time.LoadLocation` would accept it, or null. Go reads the tz
 * database's file names, so case matters (`asia/tokyo` is refused) — `Intl` is laxer and
 * is only asked whether the zone exists. `""` is UTC in Go; `Local` is the controller's own
 * zone, UTC on GKE.
 */
export function loadLocation(name: string): string | null {
  if (name === '' || name === 'UTC' || name === 'Local') return 'UTC';
  if (zones.has(name)) return zones.get(name) === null ? null : name;
  let offsets: ZoneOffsets | null = null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', {timeZone: name}).resolvedOptions().timeZone;
    const wrongCase = resolved !== name && resolved.toLowerCase() === name.toLowerCase();
    offsets =
      wrongCase || !TZ_FILE_NAME.test(name) || /\s/.test(name) ? null : new ZoneOffsets(name);
  } catch {
    offsets = null;
  }
  if (zones.size > 1024) zones.clear();
  zones.set(name, offsets);
  return offsets === null ? null : name;
}

/** The offset (wall minus UTC, in ms) of `zone` at the instant `ms`. */
export function offsetAt(zone: string, ms: number): number {
  if (isUtc(zone)) return 0;
  const offsets = zones.get(zone) ?? (loadLocation(zone) === null ? null : zones.get(zone));
  if (offsets === undefined || offsets === null) throw new RangeError(`unknown zone ${zone}`);
  return offsets.offsetAt(ms);
}

const DAY_MS = 24 * HOUR_MS;

/** The wall clock of `zone` at the instant `ms` (whole seconds). */
export function civilOf(zone: string, ms: number): Civil {
  const wall = ms + offsetAt(zone, ms);
  const days = Math.floor(wall / DAY_MS);
  let rest = wall - days * DAY_MS;
  const hour = Math.floor(rest / HOUR_MS);
  rest -= hour * HOUR_MS;
  const minute = Math.floor(rest / 60_000);
  const second = Math.floor((rest - minute * 60_000) / SECOND_MS);
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  // 1970-01-01 was a Thursday.
  const weekday = (((days + 4) % 7) + 7) % 7;
  return {year, month, day, hour, minute, second, weekday};
}

/**
 * Go's `time.Date(year, month, day, hour, minute, second, 0, zone)`: out-of-range fields
 * carry over (13 months is a year and a month), and a wall time the zone skips or repeats
 * resolves as Go resolves it — the offset in force at the wall time read as UTC, checked
 * once against the offset in force at the instant that gives. (In New York a skipped 02:30
 * becomes 01:30 EST, a repeated 01:30 the first, EDT one.)
 */
export function dateIn(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = offsetAt(zone, wall);
  if (guess === 0) return wall;
  return wall - offsetAt(zone, wall - guess);
}
