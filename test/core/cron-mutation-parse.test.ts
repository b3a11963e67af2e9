/**
 * robfig/cron v3's parser on input its own tables leave out: numbers Go's `strconv.Atoi`
 * refuses, `@every` with the durations Go's `time.ParseDuration` reads (signs, fractions,
 * missing units, overflow) and robfig's `Every` (below a second is a second), and the field
 * count message. Each expectation follows from the Go function named next to it.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {CronParseError, parseStandard, parseWithSeconds} from '../../functions/core/cron/parse.js';
import {compileSchedule} from '../../functions/core/schedule.js';

function refusal(schedule: string): string {
  try {
    parseStandard(schedule);
  } catch (error) {
    assert.ok(error instanceof CronParseError, String(error));
    assert.equal(error.code, 'CRON_PARSE');
    assert.equal(error.name, 'CronParseError');
    return error.message;
  }
  assert.fail(`${schedule} was accepted`);
}

function everySecondsOf(schedule: string): number {
  const parsed = parseStandard(schedule);
  assert.equal(parsed.kind, 'every');
  return parsed.kind === 'every' ? parsed.delaySeconds : Number.NaN;
}

describe('numbers: strconv.Atoi, then robfig’s bounds', () => {
  // Atoi takes an optional sign and decimal digits only: no hex, no exponent, no empty text.
  const invalid: [string, string][] = [
    ['0x10 * * * *', '0x10'],
    ['1e1 * * * *', '1e1'],
    ['-5 * * * *', ''],
    ['5- * * * *', ''],
    ['1.5 * * * *', '1.5'],
    ['0 0 * 1/x *', 'x'],
  ];
  for (const [schedule, text] of invalid) {
    it(`refuses ${schedule}: "${text}" is no integer`, () => {
      assert.match(
        refusal(schedule),
        new RegExp(`failed to parse int from ${text}: .*invalid syntax`),
      );
    });
  }
  it('a sign is part of an integer: +5 is 5', () => {
    const parsed = parseStandard('+5 * * * *');
    assert.ok(parsed.kind === 'spec' && parsed.minute.values[5] === true);
  });
  it('more digits than a 64-bit integer holds are out of range', () => {
    assert.match(
      refusal('99999999999999999999 * * * *'),
      /failed to parse int from 99999999999999999999: .*value out of range/,
    );
  });
  it('a field count names what it found', () => {
    assert.equal(refusal('   '), 'expected exactly 5 fields, found 0: []');
    assert.equal(refusal('1 2 3'), 'expected exactly 5 fields, found 3: [1 2 3]');
    const compiled = compileSchedule('\t', null);
    assert.ok(!compiled.ok && compiled.problem.includes('does not have five fields'));
  });
  it('robfig’s seconds parser: the day of the week may be left out', () => {
    const parsed = parseWithSeconds('0 30 9 * *');
    assert.ok(parsed.kind === 'spec');
    if (parsed.kind !== 'spec') return;
    assert.equal(parsed.dayOfWeek.star, true);
    assert.deepEqual(
      parsed.dayOfWeek.values.flatMap((on, v) => (on ? [v] : [])),
      [0, 1, 2, 3, 4, 5, 6],
    );
  });
});

describe('@every: time.ParseDuration, then robfig’s Every', () => {
  const delays: [string, number][] = [
    ['@every 90s', 90],
    ['@every +90s', 90],
    // Every: a duration below one second, negative ones included, is one second.
    ['@every -5m', 1],
    ['@every -0s', 1],
    ['@every 0', 1],
    ['@every .5s', 1],
    ['@every 1.s', 1],
    ['@every 1.5m', 90],
    ['@every 1h30m', 5400],
    ['@every 1.9s', 1],
    ['@every 2500ms', 2],
    ['@every 1000000us', 1],
    ['@every 1000000µs', 1],
    ['@every 3000000000ns', 3],
  ];
  for (const [schedule, seconds] of delays) {
    it(`${schedule} runs every ${seconds}s`, () => assert.equal(everySecondsOf(schedule), seconds));
  }
  const refused: [string, RegExp][] = [
    ['@every .s', /time: invalid duration "\.s"/],
    ['@every s', /time: invalid duration "s"/],
    ['@every -', /time: invalid duration "-"/],
    ['@every 5', /time: missing unit in duration "5"/],
    ['@every 5s3', /time: missing unit in duration "5s3"/],
    ['@every 5d', /time: unknown unit "d" in duration "5d"/],
    ['@every 9999999999999999999h', /time: invalid duration "9999999999999999999h"/],
    ['@every 2562048h', /time: invalid duration "2562048h"/],
  ];
  for (const [schedule, message] of refused) {
    it(`refuses ${schedule}`, () => {
      const text = refusal(schedule);
      assert.match(text, message);
      assert.match(text, new RegExp(`^failed to parse duration ${schedule}: `));
    });
  }
  it('the largest duration Go holds (2562047h47m16.854775807s) is read', () => {
    assert.equal(everySecondsOf('@every 2562047h47m16.854775807s'), 9223372036);
  });
});

describe('TZ= prefixes', () => {
  // robfig trims what follows the prefix (strings.TrimSpace), so a descriptor may follow.
  it('TZ=Europe/Paris @daily is a daily run at Paris midnight', () => {
    const parsed = parseStandard('TZ=Europe/Paris @daily');
    assert.ok(parsed.kind === 'spec' && parsed.zone === 'Europe/Paris');
  });
  it('CRON_TZ=UTC with two spaces before @every', () => {
    assert.equal(everySecondsOf('CRON_TZ=UTC  @every 5m'), 300);
  });

  // robfig slices up to the first space, which is not there, and panics; the watcher refuses.
  for (const schedule of ['TZ=UTC', 'CRON_TZ=Europe/Paris']) {
    it(`refuses ${schedule}`, () => {
      assert.equal(refusal(schedule), `provided bad location: no schedule after ${schedule}`);
    });
  }
});

describe('the rest of what robfig and Go read', () => {
  it('empty members of a comma list are skipped (strings.FieldsFunc)', () => {
    for (const schedule of ['5,,6 * * * *', ',5,6, * * * *']) {
      const parsed = parseStandard(schedule);
      assert.ok(parsed.kind === 'spec');
      if (parsed.kind !== 'spec') return;
      assert.deepEqual(
        parsed.minute.values.flatMap((on, v) => (on ? [v] : [])),
        [5, 6],
        schedule,
      );
    }
  });
  it('six fields are one too many for the standard parser', () => {
    assert.equal(refusal('0 0 1 1 * *'), 'expected exactly 5 fields, found 6: [0 0 1 1 * *]');
  });
  it('a zone Go cannot load', () => {
    assert.equal(
      refusal('TZ=Mars/Olympus 0 * * * *'),
      'provided bad location Mars/Olympus: unknown time zone Mars/Olympus',
    );
  });
  it('white space after the schedule that follows a prefix is trimmed too', () => {
    const parsed = parseStandard('TZ=UTC @daily \t');
    assert.ok(parsed.kind === 'spec' && parsed.zone === 'UTC');
  });
  const delays: [string, number][] = [
    // A fraction of several digits: 0.75 minutes.
    ['@every 0.75m', 45],
    // Go keeps 18 digits of a fraction (then it would overflow) and multiplies in floating
    // point: 0.999999999999999999 s reads as a whole second.
    ['@every 2.9999999999999999999999s', 3],
    // The most negative duration Go holds, -2⁶³ ns, whole or summed from a fraction; Every
    // makes it one second.
    ['@every -9223372036854775808ns', 1],
    ['@every -9223372036854775.808us', 1],
  ];
  for (const [schedule, seconds] of delays) {
    it(`${schedule} runs every ${seconds}s`, () => assert.equal(everySecondsOf(schedule), seconds));
  }
  for (const schedule of ['@every 9223372036854775808ns', '@every -9223372036854775808ns1ns']) {
    it(`refuses ${schedule}: beyond a 64-bit duration`, () => {
      assert.match(refusal(schedule), /time: invalid duration/);
    });
  }
});
