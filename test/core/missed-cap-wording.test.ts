/**
 * The wording of missed runs around the cap. The detector counts due times no further than
 * `MISSED_RUNS_CAP` (101: the controller's own threshold is "more than 100"), so a count of 100
 * is exactly 100 and only 101 means "more than 100". Every message that says the count — the
 * opening's field, the closing reply and card, the recovered line — says the same, in both
 * languages; one missed run has no count field on the opening (the headline already says it).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {MissedIncident} from '../../functions/core/detections/missed/incident.js';
import {MISSED_RUNS_CAP} from '../../functions/core/incident.js';
import type {Language} from '../../functions/core/messages/languages.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {messageOf} from '../support/notification-fixtures.js';

function missed(missedRuns: number, language: Language): MissedIncident {
  return {
    kind: 'missed',
    id: 'missed:cj-uid@2024-05-01T10:00:00.000Z',
    openedAt: '2024-05-01T10:00:00.000Z',
    closedAt: null,
    ending: null,
    schedule: '* * * * *',
    timeZone: 'UTC',
    firstDueAt: '2024-05-01T10:00:00.000Z',
    latestDueAt: '2024-05-01T11:40:00.000Z',
    missedRuns,
    lastStartedAt: '2024-05-01T09:59:00.000Z',
    destination: {channel: null, language, mention: null, runbook: null},
  };
}

function closed(missedRuns: number, language: Language): MissedIncident {
  return {
    ...missed(missedRuns, language),
    closedAt: '2024-05-01T12:00:00.000Z',
    ending: {type: 'started', at: '2024-05-01T12:00:00.000Z'},
  };
}

const text = (...parts: Parameters<typeof messageOf>) => renderConsole(messageOf(...parts));

describe('missed runs around the cap of 101', () => {
  it('the cap is the controller’s threshold plus one', () => assert.equal(MISSED_RUNS_CAP, 101));

  const cases: Array<{
    count: number;
    language: Language;
    /** The opening's count field line; null: no such field. */
    field: string | null;
    /** How the closing and recovered messages say the count. */
    phrase: string;
  }> = [
    {count: 1, language: 'en', field: null, phrase: '(1 missed run)'},
    {count: 2, language: 'en', field: 'Missed runs: 2', phrase: '(2 missed runs)'},
    {count: 100, language: 'en', field: 'Missed runs: 100', phrase: '(100 missed runs)'},
    {
      count: 101,
      language: 'en',
      field: 'Missed runs: more than 100',
      phrase: '(more than 100 missed runs)',
    },
    {count: 1, language: 'ja', field: null, phrase: '（未起動1回）'},
    {count: 2, language: 'ja', field: '未起動の回数: 2回', phrase: '（未起動2回）'},
    {count: 100, language: 'ja', field: '未起動の回数: 100回', phrase: '（未起動100回）'},
    {count: 101, language: 'ja', field: '未起動の回数: 100回超', phrase: '（未起動100回超）'},
  ];
  for (const c of cases) {
    it(`${c.count} missed, ${c.language}`, () => {
      const lines = text('opened', missed(c.count, c.language), 'post').split('\n');
      const label = c.language === 'en' ? 'Missed runs:' : '未起動の回数:';
      assert.deepEqual(
        lines.filter(l => l.startsWith(label)),
        c.field === null ? [] : [c.field],
      );
      for (const [kind, which] of [
        ['closed', 'reply'],
        ['closed', 'update'],
        ['recovered', 'post'],
      ] as const) {
        const said = text(kind, closed(c.count, c.language), which);
        assert.ok(said.includes(c.phrase), `${kind} ${which}: ${said}`);
        if (c.count <= 100) {
          assert.ok(!said.includes('more than') && !said.includes('回超'), `${kind} ${which}`);
        }
      }
    });
  }
});
