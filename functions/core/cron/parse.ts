/**
 * The schedule grammar of robfig/cron v3, the parser the Kubernetes CronJob controller runs
 * (`cron.ParseStandard`): what it accepts, what each field means and the errors it gives,
 * reproduced rule for rule so a schedule means here what it means to the controller.
 *
 * - Five fields (minute hour day-of-month month day-of-week); each a comma list of `*`, `?`,
 *   `N`, `N-M`, any of them with `/step`. `N/step` is `N-max/step`. Months and days of the
 *   week may be named (`jan`, `Mon`; any case), also in ranges (`mon-fri`, `Mon/2`).
 * - `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` (exactly
 *   so, lower case) and `@every <Go duration>`.
 * - An optional `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix.
 * - Day of month and day of week: a field written with `*` or `?` (and no step above 1) is
 *   unrestricted; when neither is, a day matches if either does.
 */
import {loadLocation} from './zone.js';

/** The values a field allows, and whether it was written with an unrestricted `*` or `?`. */
export interface FieldSet {
  /** `values[v]` is true when the field allows `v`. */
  values: readonly boolean[];
  star: boolean;
}

/** A calendar schedule (robfig's `SpecSchedule`). */
export interface SpecSchedule {
  kind: 'spec';
  second: FieldSet;
  minute: FieldSet;
  hour: FieldSet;
  dayOfMonth: FieldSet;
  month: FieldSet;
  dayOfWeek: FieldSet;
  /** IANA zone name; `UTC` when none was given (the controller's zone on GKE). */
  zone: string;
}

/** `@every`: a fixed delay after the previous run (robfig's `ConstantDelaySchedule`). */
export interface ConstantDelaySchedule {
  kind: 'every';
  /** The delay in whole seconds, at least 1. */
  delaySeconds: number;
}

export type CronSchedule = SpecSchedule | ConstantDelaySchedule;

/** A schedule robfig refuses, with robfig's reason. */
export class CronParseError extends Error {
  readonly code = 'CRON_PARSE';
  constructor(message: string) {
    super(message);
    this.name = 'CronParseError';
  }
}

/** A field's bounds and names (robfig's `bounds`). */
export interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const SECONDS: Bounds = {min: 0, max: 59};
const MINUTES: Bounds = {min: 0, max: 59};
const HOURS: Bounds = {min: 0, max: 23};
const DAYS_OF_MONTH: Bounds = {min: 1, max: 31};
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DAYS_OF_WEEK: Bounds = {
  min: 0,
  max: 6,
  names: {sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6},
};

// Go's `strings.Fields` splits on Unicode white space (`unicode.IsSpace`): this set, which
// differs from JavaScript's `\s` (U+0085 in, U+FEFF out).
const GO_SPACE =
  '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_FIELDS = new RegExp(`[^${GO_SPACE}]+`, 'gu');
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'gu');

function goFields(text: string): string[] {
  return text.match(GO_FIELDS) ?? [];
}

/** Go's `strconv.Atoi` then robfig's non-negative check. */
function parseNumber(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    throw new CronParseError(`failed to parse int from ${text}: invalid syntax`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new CronParseError(`failed to parse int from ${text}: value out of range`);
  }
  if (value < 0) throw new CronParseError(`negative number (${value}) not allowed: ${text}`);
  return value;
}

function parseNumberOrName(text: string, bounds: Bounds): number {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? parseNumber(text);
}

function bits(min: number, max: number, step: number): boolean[] {
  const values: boolean[] = [];
  for (let v = min; v <= max; v += step) values[v] = true;
  return values;
}

/** One range of a field (robfig's `getRange`): `*`, `?`, `N`, `N-M`, each with `/step`. */
export function parseRange(expression: string, bounds: Bounds): FieldSet {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  const low = lowAndHigh[0] ?? '';
  if (low === '*' || low === '?') {
    // robfig reads nothing after a leading `*`: `*-5` is `*`.
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseNumberOrName(low, bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseNumberOrName(lowAndHigh[1] ?? '', bounds);
    else throw new CronParseError(`too many hyphens: ${expression}`);
  }
  let step: number;
  if (rangeAndStep.length === 1) {
    step = 1;
  } else if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] ?? '');
    if (single) end = bounds.max;
    // `*/1` stays unrestricted; `*/2` does not (robfig issue 70).
    if (step > 1) star = false;
  } else {
    throw new CronParseError(`too many slashes: ${expression}`);
  }
  if (start < bounds.min) {
    throw new CronParseError(
      `beginning of range (${start}) below minimum (${bounds.min}): ${expression}`,
    );
  }
  if (end > bounds.max) {
    throw new CronParseError(`end of range (${end}) above maximum (${bounds.max}): ${expression}`);
  }
  if (start > end) {
    throw new CronParseError(
      `beginning of range (${start}) beyond end of range (${end}): ${expression}`,
    );
  }
  if (step === 0) {
    throw new CronParseError(`step of range should be a positive number: ${expression}`);
  }
  return {values: bits(start, end, step), star};
}

/** A whole field (robfig's `getField`): ranges joined by commas; empty ones are skipped. */
export function parseField(field: string, bounds: Bounds): FieldSet {
  const values: boolean[] = [];
  let star = false;
  for (const expression of field.split(',').filter(e => e !== '')) {
    const range = parseRange(expression, bounds);
    range.values.forEach((allowed, v) => {
      if (allowed) values[v] = true;
    });
    star ||= range.star;
  }
  return {values, star};
}

function only(value: number): FieldSet {
  return {values: bits(value, value, 1), star: false};
}

function all(bounds: Bounds): FieldSet {
  return {values: bits(bounds.min, bounds.max, 1), star: true};
}

function descriptor(text: string, zone: string): CronSchedule {
  const midnight = {second: only(0), minute: only(0), hour: only(0)};
  switch (text) {
    case '@yearly':
    case '@annually':
      return spec(
        {...midnight, dayOfMonth: only(1), month: only(1), dayOfWeek: all(DAYS_OF_WEEK)},
        zone,
      );
    case '@monthly':
      return spec(
        {...midnight, dayOfMonth: only(1), month: all(MONTHS), dayOfWeek: all(DAYS_OF_WEEK)},
        zone,
      );
    case '@weekly':
      return spec(
        {...midnight, dayOfMonth: all(DAYS_OF_MONTH), month: all(MONTHS), dayOfWeek: only(0)},
        zone,
      );
    case '@daily':
    case '@midnight':
      return spec(
        {
          ...midnight,
          dayOfMonth: all(DAYS_OF_MONTH),
          month: all(MONTHS),
          dayOfWeek: all(DAYS_OF_WEEK),
        },
        zone,
      );
    case '@hourly':
      return spec(
        {
          second: only(0),
          minute: only(0),
          hour: all(HOURS),
          dayOfMonth: all(DAYS_OF_MONTH),
          month: all(MONTHS),
          dayOfWeek: all(DAYS_OF_WEEK),
        },
        zone,
      );
  }
  const every = '@every ';
  if (text.startsWith(every)) {
    const nanoseconds = parseGoDuration(text.slice(every.length), text);
    return {kind: 'every', delaySeconds: everySeconds(nanoseconds)};
  }
  throw new CronParseError(`unrecognized descriptor: ${text}`);
}

function spec(fields: Omit<SpecSchedule, 'kind' | 'zone'>, zone: string): SpecSchedule {
  return {kind: 'spec', ...fields, zone};
}

/** robfig's `Every`: below a second is a second; the rest is cut to whole seconds. */
export function everySeconds(nanoseconds: bigint): number {
  const second = 1_000_000_000n;
  const atLeast = nanoseconds < second ? second : nanoseconds;
  return Number(atLeast / second);
}

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION_NS = (1n << 63n) - 1n;

/**
 * Go's `time.ParseDuration`, in nanoseconds: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns, us
 * (µs), ms, s, m, h, or a bare `0`. `spec` is for the message.
 */
export function parseGoDuration(text: string, spec: string): bigint {
  const invalid = () =>
    new CronParseError(`failed to parse duration ${spec}: time: invalid duration "${text}"`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const match = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest);
    const whole = match?.[1] ?? '';
    const fraction = match?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    rest = rest.slice(match?.[0].length ?? 0);
    const unitMatch = /^[^0-9.]*/.exec(rest);
    const unitText = unitMatch?.[0] ?? '';
    if (unitText === '') {
      throw new CronParseError(
        `failed to parse duration ${spec}: time: missing unit in duration "${text}"`,
      );
    }
    const unit = UNIT_NS[unitText];
    if (unit === undefined) {
      throw new CronParseError(
        `failed to parse duration ${spec}: time: unknown unit "${unitText}" in duration "${text}"`,
      );
    }
    rest = rest.slice(unitText.length);
    const overflow = () =>
      new CronParseError(`failed to parse duration ${spec}: time: invalid duration "${text}"`);
    let value = BigInt(whole === '' ? '0' : whole);
    if (value > (1n << 63n) / unit) throw overflow();
    value *= unit;
    if (fraction !== undefined && fraction !== '') {
      // Go keeps the fraction's digits while they fit, then multiplies in floating point.
      let digits = 0n;
      let scale = 1;
      for (const digit of fraction) {
        if (digits > (MAX_DURATION_NS - 9n) / 10n) break;
        digits = digits * 10n + BigInt(digit);
        scale *= 10;
      }
      value += BigInt(Math.trunc(Number(digits) * (Number(unit) / scale)));
      if (value > 1n << 63n) throw overflow();
    }
    total += value;
    if (total > 1n << 63n) throw overflow();
  }
  if (negative) return -total;
  if (total > MAX_DURATION_NS) throw invalid();
  return total;
}

/** Which fields a parser reads (robfig's `ParseOption`s that the two parsers here use). */
interface ParserOptions {
  /** A leading seconds field (robfig's `Second | … | DowOptional` test parser). */
  seconds: boolean;
}

function parseWith(schedule: string, options: ParserOptions): CronSchedule {
  if (schedule.length === 0) throw new CronParseError('empty spec string');
  let text = schedule;
  let zone = 'UTC';
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    const equals = text.indexOf('=');
    if (space < 0) {
      // robfig slices up to a space that is not there (and panics): refused here.
      throw new CronParseError(`provided bad location: no schedule after ${text}`);
    }
    const name = text.slice(equals + 1, space);
    const loaded = loadLocation(name);
    if (loaded === null) {
      throw new CronParseError(`provided bad location ${name}: unknown time zone ${name}`);
    }
    zone = loaded;
    text = text.slice(space).replace(GO_TRIM, '');
  }
  if (text.startsWith('@')) return descriptor(text, zone);
  let fields = goFields(text);
  const [min, max] = options.seconds ? [5, 6] : [5, 5];
  if (fields.length < min || fields.length > max) {
    const expected = min === max ? `exactly ${min}` : `${min} to ${max}`;
    throw new CronParseError(
      `expected ${expected} fields, found ${fields.length}: [${fields.join(' ')}]`,
    );
  }
  if (options.seconds && fields.length === 5) fields = [...fields, '*'];
  if (!options.seconds) fields = ['0', ...fields];
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return spec(
    {
      second: parseField(second, SECONDS),
      minute: parseField(minute, MINUTES),
      hour: parseField(hour, HOURS),
      dayOfMonth: parseField(dayOfMonth, DAYS_OF_MONTH),
      month: parseField(month, MONTHS),
      dayOfWeek: parseField(dayOfWeek, DAYS_OF_WEEK),
    },
    zone,
  );
}

/** robfig's `ParseStandard`, the controller's parser. Throws `CronParseError`. */
export function parseStandard(schedule: string): CronSchedule {
  return parseWith(schedule, {seconds: false});
}

/**
 * robfig's six-field parser (seconds first, day of week optional), which robfig's own
 * tests use; here only so those tests can be replayed as written.
 */
export function parseWithSeconds(schedule: string): CronSchedule {
  return parseWith(schedule, {seconds: true});
}
