/**
 * The schedule engine against the test tables of the code it reproduces: robfig/cron v3
 * (spec_test.go, parser_test.go, constantdelay_test.go) and the Kubernetes CronJob controller
 * (pkg/controller/cronjob utils_test.go, cronjob_controllerv2_test.go). The cases live in
 * test/fixtures/schedules/ as upstream wrote them; each test names its upstream test.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {nextActivation} from '../../functions/core/cron/next.js';
import {
  everySeconds,
  parseField,
  parseRange,
  parseStandard,
  parseWithSeconds,
  type CronSchedule,
  type FieldSet,
} from '../../functions/core/cron/parse.js';
import {
  compileSchedule,
  controllerRequeueAfterMs,
  mostRecentScheduleTime,
  type CompiledSchedule,
  type ScheduleState,
} from '../../functions/core/schedule.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/schedules/', import.meta.url));

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as T;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * robfig's test `getTime`, read independently of the code under test: Go layouts
 * "Mon Jan 2 15:04[:05[.000]] 2006" in the machine zone (UTC here) and
 * "2006-01-02T15:04:05-0700", optionally after "TZ=<zone> " (the zone the schedule then
 * follows). The weekday name is ignored, as Go's time.Parse ignores it.
 */
function goTime(value: string): {ms: number; zone: string | null} {
  let text = value;
  let zone: string | null = null;
  const prefixed = /^TZ=(\S+) (.*)$/.exec(text);
  if (prefixed !== null) {
    zone = prefixed[1] ?? null;
    text = prefixed[2] ?? '';
  }
  const cLike = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)? (\d{4})$/.exec(
    text,
  );
  if (cLike !== null) {
    const [, month, day, hour, minute, second, millis, year] = cLike;
    return {
      ms: Date.UTC(
        Number(year),
        MONTHS.indexOf(month ?? ''),
        Number(day),
        Number(hour),
        Number(minute),
        Number(second ?? 0),
        Number(millis ?? 0),
      ),
      zone,
    };
  }
  const iso = /^(.{19})([+-]\d{2})(\d{2})$/.exec(text);
  assert.ok(iso !== null, `cannot read ${value}`);
  return {ms: Date.parse(`${iso[1]}${iso[2]}:${iso[3]}`), zone};
}

function withZone(spec: string, zone: string | null): string {
  return zone === null || /^(CRON_)?TZ=/.test(spec) ? spec : `TZ=${zone} ${spec}`;
}

function valuesOf(field: FieldSet): number[] {
  return field.values.flatMap((allowed, v) => (allowed ? [v] : []));
}

describe('robfig/cron v3 spec_test.go', () => {
  const spec = fixture<{
    TestActivation: [string, string, boolean][];
    TestNext: [string, string, string][];
    TestNextWithTz: [string, string, string][];
    TestErrors: string[];
    TestSlash0NoHang: string[];
  }>('robfig-spec.json');

  for (const [time, schedule, expected] of spec.TestActivation) {
    it(`TestActivation ${schedule} at ${time}: ${expected}`, () => {
      const at = goTime(time).ms;
      const next = nextActivation(parseStandard(schedule), at - 1000);
      assert.equal(next === at, expected);
    });
  }
  for (const [time, schedule, expected] of spec.TestNext) {
    it(`TestNext ${schedule} after ${time}`, () => {
      const from = goTime(time);
      const next = nextActivation(parseWithSeconds(withZone(schedule, from.zone)), from.ms);
      assert.equal(next, expected === '' ? null : goTime(expected).ms);
    });
  }
  for (const [time, schedule, expected] of spec.TestNextWithTz) {
    it(`TestNextWithTz ${schedule} after ${time}`, () => {
      const next = nextActivation(parseStandard(`TZ=Asia/Kolkata ${schedule}`), goTime(time).ms);
      assert.equal(next, goTime(expected).ms);
    });
  }
  for (const schedule of [...spec.TestErrors, ...spec.TestSlash0NoHang]) {
    it(`TestErrors / TestSlash0NoHang refuses ${schedule}`, () => {
      assert.throws(() => parseStandard(schedule), {name: 'CronParseError'});
      const compiled = compileSchedule(schedule, null);
      assert.equal(compiled.ok, false);
    });
  }
});

interface RangeCase {
  expr: string;
  min: number;
  max: number;
  values?: number[];
  star?: boolean;
  err?: string;
}
interface ScheduleCase {
  parser: 'seconds' | 'standard';
  expr: string;
  fields?: ('all' | number[])[];
  zone?: string;
  everySeconds?: number;
  err?: string;
  test?: string;
}

describe('robfig/cron v3 parser_test.go and constantdelay_test.go', () => {
  const parser = fixture<{
    TestRange: RangeCase[];
    TestField: RangeCase[];
    TestParseScheduleErrors: ScheduleCase[];
    TestStandardSpecScheduleErrors: ScheduleCase[];
    TestParseSchedule: ScheduleCase[];
    TestConstantDelayNext: [string, string, string][];
  }>('robfig-parser.json');
  const parse = (c: ScheduleCase): CronSchedule =>
    c.parser === 'seconds' ? parseWithSeconds(c.expr) : parseStandard(c.expr);

  for (const c of parser.TestRange) {
    it(`TestRange ${c.expr} in ${c.min}-${c.max}`, () => {
      const bounds = {min: c.min, max: c.max};
      if (c.err !== undefined) {
        assert.throws(
          () => parseRange(c.expr, bounds),
          (e: Error) => e.message.includes(c.err ?? ''),
        );
        return;
      }
      const range = parseRange(c.expr, bounds);
      assert.deepEqual(valuesOf(range), c.values);
      assert.equal(range.star, c.star ?? false);
    });
  }
  for (const c of parser.TestField) {
    it(`TestField ${c.expr}`, () => {
      assert.deepEqual(valuesOf(parseField(c.expr, {min: c.min, max: c.max})), c.values);
    });
  }
  for (const c of [...parser.TestParseScheduleErrors, ...parser.TestStandardSpecScheduleErrors]) {
    it(`TestParseScheduleErrors ${c.parser} "${c.expr}": ${c.err}`, () => {
      assert.throws(
        () => parse(c),
        (e: Error) => e.message.includes(c.err ?? ''),
      );
    });
  }
  const bounds = [
    [0, 59],
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ] as const;
  for (const c of parser.TestParseSchedule) {
    it(`${c.test ?? 'TestParseSchedule'} ${c.parser} "${c.expr}"`, () => {
      const parsed = parse(c);
      if (c.everySeconds !== undefined) {
        assert.deepEqual(parsed, {kind: 'every', delaySeconds: c.everySeconds});
        return;
      }
      assert.equal(parsed.kind, 'spec');
      if (parsed.kind !== 'spec') return;
      assert.equal(parsed.zone, c.zone);
      const fields = [
        parsed.second,
        parsed.minute,
        parsed.hour,
        parsed.dayOfMonth,
        parsed.month,
        parsed.dayOfWeek,
      ];
      fields.forEach((field, i) => {
        const want = c.fields?.[i];
        const [min, max] = bounds[i] ?? [0, 0];
        const all = Array.from({length: max - min + 1}, (_, k) => min + k);
        assert.deepEqual(valuesOf(field), want === 'all' ? all : want, `field ${i}`);
        assert.equal(field.star, want === 'all', `star of field ${i}`);
      });
    });
  }
  for (const [time, delayNs, expected] of parser.TestConstantDelayNext) {
    it(`TestConstantDelayNext ${delayNs} ns after ${time}`, () => {
      const schedule: CronSchedule = {kind: 'every', delaySeconds: everySeconds(BigInt(delayNs))};
      assert.equal(nextActivation(schedule, goTime(time).ms), goTime(expected).ms);
    });
  }
});

interface KubernetesCase {
  name: string;
  schedule: string;
  timeZone?: string | null;
  createdAt: string;
  lastScheduleTime: string | null;
  startingDeadlineSeconds?: number | null;
  now: string;
}

function stateOf(c: KubernetesCase): ScheduleState {
  return {
    createdAt: new Date(c.createdAt),
    lastScheduleTime: c.lastScheduleTime === null ? null : new Date(c.lastScheduleTime),
    startingDeadlineSeconds: c.startingDeadlineSeconds ?? null,
  };
}

function compiled(schedule: string, timeZone: string | null = null): CompiledSchedule {
  const result = compileSchedule(schedule, timeZone);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.schedule;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const isoOf = (s: string | null) => (s === null ? null : new Date(s).toISOString());

describe('Kubernetes pkg/controller/cronjob', () => {
  const k8s = fixture<{
    TestMostRecentScheduleTime: (KubernetesCase & {
      includeStartingDeadline: boolean;
      expect: {earliest?: string; mostRecent: string | null; missed?: string; error: boolean};
    })[];
    TestNextScheduleTime: (KubernetesCase & {expect: string | null; error?: boolean})[];
    TestNextScheduleTimeDuration: (KubernetesCase & {requeueAfterMs: number})[];
    TestControllerV2SyncCronJob: (KubernetesCase & {
      start: string | null;
      requeueAfterMs: number | null;
      warnings: number;
    })[];
  }>('kubernetes-controller.json');

  for (const c of k8s.TestMostRecentScheduleTime) {
    it(`utils_test.go TestMostRecentScheduleTime: ${c.name}`, () => {
      const got = mostRecentScheduleTime(
        compiled(c.schedule),
        stateOf(c),
        new Date(c.now),
        c.includeStartingDeadline,
      );
      assert.equal(got.error !== null, c.expect.error);
      assert.equal(iso(got.mostRecent), isoOf(c.expect.mostRecent));
      if (c.expect.error) return;
      assert.equal(iso(got.earliest), isoOf(c.expect.earliest ?? null));
      assert.equal(got.missed, c.expect.missed);
    });
  }
  for (const c of k8s.TestNextScheduleTime) {
    it(`utils_test.go TestNextScheduleTime: ${c.name}`, () => {
      const got = mostRecentScheduleTime(compiled(c.schedule), stateOf(c), new Date(c.now), true);
      if (c.expect === 'any') assert.notEqual(got.mostRecent, null);
      else assert.equal(iso(got.mostRecent), isoOf(c.expect));
      assert.equal(got.error !== null, c.error ?? false);
    });
  }
  for (const c of k8s.TestNextScheduleTimeDuration) {
    it(`utils_test.go TestNextScheduleTimeDuration: ${c.name}`, () => {
      const got = controllerRequeueAfterMs(compiled(c.schedule), stateOf(c), new Date(c.now));
      assert.equal(got, c.requeueAfterMs);
    });
  }
  // The schedule part of the controller's syncCronJob: refuse what it cannot parse, start the
  // most recent unmet due time within the starting deadline, then requeue from the new state.
  for (const c of k8s.TestControllerV2SyncCronJob) {
    it(`cronjob_controllerv2_test.go TestControllerV2SyncCronJob: ${c.name}`, () => {
      const result = compileSchedule(c.schedule, c.timeZone ?? null);
      let warnings = c.schedule.includes('TZ') ? 1 : 0;
      if (!result.ok) {
        assert.deepEqual(
          {start: null, requeueAfterMs: null, warnings: 1},
          {
            start: c.start,
            requeueAfterMs: c.requeueAfterMs,
            warnings: c.warnings,
          },
        );
        return;
      }
      const now = new Date(c.now);
      const state = stateOf(c);
      const recent = mostRecentScheduleTime(result.schedule, state, now, true);
      const start = recent.mostRecent;
      if (start !== null && recent.missed === 'many') warnings += 1;
      const after = start === null ? state : {...state, lastScheduleTime: start};
      assert.deepEqual(
        {
          start: iso(start),
          requeueAfterMs: controllerRequeueAfterMs(result.schedule, after, now),
          warnings,
        },
        {start: isoOf(c.start), requeueAfterMs: c.requeueAfterMs, warnings: c.warnings},
      );
    });
  }
});
