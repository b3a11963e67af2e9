/**
 * The "Runs blocked" field of a Job running too long under `Forbid`, around the cap. The
 * detector counts the due times it blocked no further than `MISSED_RUNS_CAP` (101: the
 * controller's own "more than 100"), so a count of 101 means "more than 100", as the suspended
 * headline and the missed-runs field already say; 100 is exactly 100. Expected field lines are
 * written out by hand, in both languages.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {RunningTooLongIncident} from '../../functions/core/detections/running-too-long/incident.js';
import {MISSED_RUNS_CAP} from '../../functions/core/incident.js';
import type {Language} from '../../functions/core/messages/languages.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {context, notification} from '../support/notification-fixtures.js';

function stuck(
  blockedRuns: number,
  language: Language,
  suspended: boolean,
): RunningTooLongIncident {
  return {
    kind: 'running-too-long',
    id: 'running-too-long:ju',
    job: 'backup-1',
    jobUid: 'ju',
    manual: false,
    startedAt: '2024-05-01T10:00:00Z',
    openedAt: '2024-05-01T11:00:00Z',
    limitMs: 3_600_000,
    limitFrom: 'schedule',
    podDetail: null,
    blockedRuns,
    ...(suspended ? {suspended: true as const} : {}),
    closedAt: null,
    ending: null,
    destination: {channel: null, language, mention: null, runbook: null},
  };
}

function blockedField(incident: RunningTooLongIncident): string | null {
  const built = buildMessages(notification('opened', incident), context());
  assert.ok(built.kind === 'opened');
  const fields = built.post.fields.map(f => `${f.label}: ${plainOf(f.value)}`);
  return fields.find(f => f.startsWith('Runs blocked') || f.startsWith('ブロック')) ?? null;
}

describe('runs blocked around the cap of 101', () => {
  it('the cap is the one the detector counts to', () => assert.equal(MISSED_RUNS_CAP, 101));

  const cases: Array<[number, Language, string | null]> = [
    [0, 'en', null],
    [1, 'en', 'Runs blocked: 1'],
    [100, 'en', 'Runs blocked: 100'],
    [101, 'en', 'Runs blocked: more than 100'],
    [0, 'ja', null],
    [1, 'ja', 'ブロックされた実行: 1回'],
    [100, 'ja', 'ブロックされた実行: 100回'],
    [101, 'ja', 'ブロックされた実行: 100回超'],
  ];
  for (const [count, language, want] of cases) {
    for (const suspended of [false, true]) {
      it(`${count} blocked, ${language}${suspended ? ', suspended' : ''}`, () =>
        assert.equal(blockedField(stuck(count, language, suspended)), want));
    }
  }
});
