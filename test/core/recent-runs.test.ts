/** The recent-runs strip every message and `status -o wide` share. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Message} from '../../functions/core/messages/model.js';
import {
  recentRunsLine,
  recentRunsPart,
  runStrip,
  usualDurationMs,
} from '../../functions/core/messages/recent-runs.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {CLOSED_INCIDENT, notification, OPEN_INCIDENT} from '../support/notification-fixtures.js';
import {en} from '../../functions/core/messages/words-en.js';
import type {RecentRun} from '../../functions/core/run-history.js';

const run = (outcome: RecentRun['outcome'], minutes: number | null): RecentRun => ({
  job: outcome === 'missed' ? '' : `j-${minutes}`,
  outcome,
  scheduledAt: null,
  startedAt: null,
  durationMs: minutes === null ? null : minutes * 60_000,
});
const RUNS = [
  run('succeeded', 12),
  run('succeeded', 11),
  run('failed', 2),
  run('missed', null),
  run('succeeded', 14),
  run('failed', 40),
];
const words = {duration: en.duration, usually: (d: string) => `(usually ${d})`};

describe('recent runs', () => {
  it('one mark per run, newest last, missed runs marked', () =>
    assert.equal(runStrip(RUNS), '✅ ✅ ❌ ⏰ ✅ ❌'));
  it('the newest few', () => assert.equal(runStrip(RUNS, 2), '✅ ❌'));
  it('the median of the successful runs only', () =>
    assert.equal(usualDurationMs(RUNS), 12 * 60_000));
  it('the line: strip and median', () =>
    assert.equal(recentRunsLine(RUNS, words), '✅ ✅ ❌ ⏰ ✅ ❌ (usually 12m)'));
  it('no successful run: the strip alone', () =>
    assert.equal(recentRunsLine([run('failed', 3)], words), '❌'));
  it('no runs: nothing', () => assert.equal(recentRunsLine([], words), null));
});

describe('recent runs on messages', () => {
  const ja = {
    duration: (ms: number) => `${ms / 60_000}分`,
    recentRuns: {label: '最近の実行', usually: (d: string) => `通常は${d}`},
  };
  it('the part: label, strip, the median in words', () =>
    assert.deepEqual(recentRunsPart(RUNS, ja), {
      label: '最近の実行',
      strip: '✅ ✅ ❌ ⏰ ✅ ❌',
      usual: '通常は12分',
    }));
  it('no runs: no part', () => assert.equal(recentRunsPart([], ja), null));
  it('only failures: the strip without a median', () =>
    assert.equal(recentRunsPart([run('failed', 3)], ja)?.usual, null));
  it('never more than the history keeps, the newest', () => {
    const many = [
      ...Array.from({length: 25}, () => run('failed', 1)),
      ...Array.from({length: 15}, () => run('succeeded', 6)),
    ];
    const part = recentRunsPart(many, ja);
    assert.equal(part?.strip, `${'❌ '.repeat(5)}${'✅ '.repeat(14)}✅`);
    assert.equal(part?.usual, '通常は6分');
  });

  const subject = {
    type: 'cronjob' as const,
    namespace: 'ns',
    name: 'job',
    uid: 'u',
    schedule: '0 * * * *',
  };
  const cluster = {id: 'kubeconfig/c', name: 'c', project: null, location: null};
  const open = {
    ...OPEN_INCIDENT,
    destination: {channel: null, language: 'en' as const, mention: null, runbook: null},
  };
  const closed = {...CLOSED_INCIDENT, destination: open.destination};
  const strip = (m: Message) => m.recentRuns?.strip ?? null;

  it('every card carries it; one-line replies do not', () => {
    const opened = buildMessages(notification('opened', open), {
      cluster,
      subject,
      recentRuns: RUNS,
    });
    assert.equal(opened.kind === 'opened' && strip(opened.post), '✅ ✅ ❌ ⏰ ✅ ❌');
    const ended = buildMessages(notification('closed', closed), {
      cluster,
      subject,
      recentRuns: RUNS,
    });
    assert.ok(ended.kind === 'closed');
    assert.deepEqual(
      [strip(ended.update), strip(ended.standalone), strip(ended.reply)],
      ['✅ ✅ ❌ ⏰ ✅ ❌', '✅ ✅ ❌ ⏰ ✅ ❌', null],
    );
    const renderedReply = renderConsole(ended.reply);
    assert.doesNotMatch(renderedReply, /Recent runs/);
    assert.match(renderConsole(ended.update), /^Recent runs: ✅ ✅ ❌ ⏰ ✅ ❌ · usually 12m$/m);
  });

  it('no history: no part anywhere', () => {
    const opened = buildMessages(notification('opened', open), {cluster, subject});
    assert.ok(opened.kind === 'opened');
    assert.equal(strip(opened.post), null);
    assert.equal(JSON.stringify(renderSlack(opened.post)).includes('Recent runs'), false);
  });
});
