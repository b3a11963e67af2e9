/**
 * The common words of each language, entry by entry, where mutation testing
 * (test/mutation/README.md) found them unpinned: every cadence, a schedule with and without a
 * zone, times at the ends of the year, a manual run, the maintenance note, the recent runs'
 * "usually", Japanese durations. Expected strings are written out by hand (English as the
 * messages read; Japanese as the on-call wording of words-ja.ts).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {CATALOGUES, COMMON_WORDS} from '../../functions/core/messages/catalogue.js';
import type {Segment} from '../../functions/core/messages/model.js';
import {formatDurationJa} from '../../functions/core/messages/words-ja.js';
import type {Cadence} from '../../functions/core/messages/words.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const {en, ja} = COMMON_WORDS;

describe('cadences', () => {
  const cases: Array<[Cadence, string | null, string, string]> = [
    [{type: 'minutes', step: 1}, null, 'due every minute', '毎分'],
    [{type: 'minutes', step: 15}, null, 'due every 15 minutes', '15分ごと'],
    [{type: 'hourly', minute: 30}, 'Asia/Tokyo', 'due every hour', '毎時'],
    [{type: 'daily', time: '02:30'}, null, 'due every day at 02:30', '毎日 02:30'],
    [
      {type: 'daily', time: '02:30'},
      'Asia/Tokyo',
      'due every day at 02:30 Asia/Tokyo',
      '毎日 02:30 Asia/Tokyo',
    ],
    [{type: 'weekly', day: 0, time: '09:00'}, null, 'due every Sunday at 09:00', '毎週日曜 09:00'],
    [
      {type: 'weekly', day: 6, time: '09:00'},
      null,
      'due every Saturday at 09:00',
      '毎週土曜 09:00',
    ],
    [
      {type: 'weekly', day: 3, time: '09:00'},
      'Europe/Paris',
      'due every Wednesday at 09:00 Europe/Paris',
      '毎週水曜 09:00 Europe/Paris',
    ],
    [{type: 'weekly', day: 7, time: '09:00'}, null, 'due every ? at 09:00', '毎週?曜 09:00'],
  ];
  for (const [cadence, zone, english, japanese] of cases) {
    it(english, () => {
      assert.equal(en.cadence(cadence, zone), english);
      assert.equal(ja.cadence(cadence, zone), japanese);
    });
  }
});

describe('a schedule shown as written', () => {
  it('without a zone', () => {
    assert.deepEqual(en.schedule([c('0 9 1 * *')], null), [t('schedule '), c('0 9 1 * *'), t('')]);
    assert.deepEqual(ja.schedule([c('0 9 1 * *')], null), [
      t('スケジュール '),
      c('0 9 1 * *'),
      t(''),
    ]);
  });
  it('in a zone', () => {
    assert.deepEqual(en.schedule([c('x')], 'Asia/Tokyo'), [
      t('schedule '),
      c('x'),
      t(' in Asia/Tokyo'),
    ]);
    assert.deepEqual(ja.schedule([c('x')], 'Asia/Tokyo'), [
      t('スケジュール '),
      c('x'),
      t(' Asia/Tokyo'),
    ]);
  });
});

describe('times in words', () => {
  const cases: Array<[string, string, string]> = [
    ['2024-01-01T00:00:00Z', 'Jan 1, 00:00 UTC', '1月1日 00:00 UTC'],
    ['2024-12-31T23:59:59Z', 'Dec 31, 23:59 UTC', '12月31日 23:59 UTC'],
    ['2024-03-02T01:06:00Z', 'Mar 2, 01:06 UTC', '3月2日 01:06 UTC'],
  ];
  for (const [iso, english, japanese] of cases) {
    it(iso, () => {
      assert.equal(en.plainTime(Date.parse(iso)), english);
      assert.equal(ja.plainTime(Date.parse(iso)), japanese);
    });
  }
  it('the Slack date tokens', () => {
    assert.equal(en.slackTimeFormat, '{date_short_pretty} at {time}');
    assert.equal(ja.slackTimeFormat, '{date_short_pretty} {time}');
  });
});

describe('the rest of the common words', () => {
  it('counts', () => {
    assert.equal(en.count(3), '3');
    assert.equal(ja.count(3), '3回');
  });
  it('a run, by hand or not', () => {
    assert.deepEqual(en.runValue(c('j'), false), [c('j')]);
    assert.deepEqual(en.runValue(c('j'), true), [c('j'), t(' (manual run)')]);
    assert.deepEqual(ja.runValue(c('j'), false), [c('j')]);
    assert.deepEqual(ja.runValue(c('j'), true), [c('j'), t('（手動実行）')]);
  });
  it('labels of what a container or Pod says', () => {
    assert.equal(en.labels.container('m'), 'Container m');
    assert.equal(en.labels.pod('p'), 'Pod p');
    assert.equal(ja.labels.container('m'), 'コンテナ m');
    assert.equal(ja.labels.pod('p'), 'Pod p');
  });
  it('the maintenance note', () => {
    assert.deepEqual(en.maintenanceNote([t('A')], [t('B')]), [
      t('Began during the maintenance window from '),
      t('A'),
      t(' to '),
      t('B'),
      t('; announced when the window ended.'),
    ]);
    assert.deepEqual(ja.maintenanceNote([t('A')], [t('B')]), [
      t('メンテナンス時間帯（'),
      t('A'),
      t('〜'),
      t('B'),
      t('）に発生したため、時間帯の終了を待って通知しました。'),
    ]);
  });
  it('recent runs', () => {
    assert.deepEqual(
      [en.recentRuns.label, en.recentRuns.usually('5m')],
      ['Recent runs', 'usually 5m'],
    );
    assert.deepEqual(
      [ja.recentRuns.label, ja.recentRuns.usually('5分')],
      ['最近の実行', '通常は5分'],
    );
  });
  it('fixed words', () => {
    assert.deepEqual(
      [en.unknownTime, en.unknownReason, en.unknownDuration, en.never],
      ['unknown time', 'unknown reason', 'unknown', 'never'],
    );
    assert.deepEqual(
      [ja.unknownTime, ja.unknownReason, ja.unknownDuration, ja.never],
      ['時刻不明', '理由不明', '不明', 'なし'],
    );
    assert.deepEqual(en.actions, {logs: 'Logs', console: 'Cloud Console', runbook: 'Runbook'});
    assert.deepEqual(ja.actions, {logs: 'ログ', console: 'Cloud Console', runbook: '手順書'});
    assert.deepEqual(
      [en.labels.job, en.labels.lastSuccess, en.labels.nextRun],
      ['Job', 'Last success', 'Next run'],
    );
    assert.deepEqual(
      [ja.labels.job, ja.labels.lastSuccess, ja.labels.nextRun],
      ['Job', '最後の成功', '次回の実行'],
    );
  });
});

describe('Japanese durations', () => {
  const S = 1000;
  const cases: Array<[number, string]> = [
    [45 * S, '45秒'],
    [(12 * 60 + 5) * S, '12分5秒'],
    [(2 * 3600 + 5 * 60) * S, '2時間5分'],
    [(3 * 86400 + 4 * 3600) * S, '3日4時間'],
    [0, '0秒'],
  ];
  for (const [ms, want] of cases) {
    it(want, () => assert.equal(formatDurationJa(ms), want));
  }
});

describe('the catalogues', () => {
  it("each language: its common words and every kind's section", () => {
    assert.equal(CATALOGUES.en.never, 'never');
    assert.equal(CATALOGUES.ja.never, 'なし');
    assert.equal(CATALOGUES.en.failing.labels.failed, 'Failed');
    assert.equal(CATALOGUES.ja.failing.labels.failed, '失敗時刻');
    assert.equal(CATALOGUES.en.missed.neverStarted, 'never');
    assert.equal(CATALOGUES.en['cluster-unreadable'].cannotRead, 'the watcher cannot read it');
  });
});
