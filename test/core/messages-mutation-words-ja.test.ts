/**
 * Each kind's Japanese sentences, branch by branch, where mutation testing
 * (test/mutation/README.md) found them unpinned (the reviewed fixtures show one path of each):
 * how each incident ended, with and without a duration or a count, a manual run's closing
 * bracket, every problem of an unreadable cluster. Expected sentences are written out by hand
 * as an on-call SRE in Japan reads them (see words-ja.ts); the English ones where a branch is
 * not reached through a message.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {CLUSTER_UNREADABLE_WORDS} from '../../functions/core/detections/cluster-unreadable/words.js';
import {FAILING_WORDS} from '../../functions/core/detections/failing/words.js';
import {FINISHED_TOO_FAST_WORDS} from '../../functions/core/detections/finished-too-fast/words.js';
import {MISSED_WORDS} from '../../functions/core/detections/missed/words.js';
import {RUNNING_TOO_LONG_WORDS} from '../../functions/core/detections/running-too-long/words.js';
import {SLOWER_THAN_USUAL_WORDS} from '../../functions/core/detections/slower-than-usual/words.js';
import {DIGEST_WORDS} from '../../functions/core/digest/words.js';
import type {Segment} from '../../functions/core/messages/model.js';
import type {RunRef} from '../../functions/core/incident-base.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const RUN: RunRef = {
  job: 'j',
  jobUid: 'u',
  manual: false,
  at: null,
  reason: null,
  message: null,
  detail: null,
};
const F = [t('F')];
const E = [t('E')];

describe('failing, in Japanese', () => {
  const w = FAILING_WORDS.ja;
  const fixed = {type: 'fixed' as const, run: RUN};
  const J = [c('j')];
  const MANUAL = [c('j'), t('（手動実行）')];
  it('closing: each ending, with and without a count and a duration', () => {
    const cases: Array<[Parameters<typeof w.closingLine>[0], Segment[]]> = [
      [
        {duration: '2時間5分', failedRuns: 3, end: fixed, fixedBy: J},
        [
          t('2時間5分で復旧しました'),
          t('（'),
          t('失敗3回'),
          t('、'),
          t('Job '),
          c('j'),
          t(' の成功で復旧'),
          t('）'),
        ],
      ],
      [
        {duration: null, failedRuns: 1, end: fixed, fixedBy: MANUAL},
        [t('復旧しました'), t('（'), t('Job '), ...MANUAL, t('の成功で復旧'), t('）')],
      ],
      [{duration: null, failedRuns: 1, end: {type: 'unknown'}, fixedBy: []}, [t('復旧しました')]],
      [
        {duration: '1分', failedRuns: 2, end: {type: 'unknown'}, fixedBy: []},
        [t('1分で復旧しました'), t('（'), t('失敗2回'), t('）')],
      ],
      [
        {duration: '1分', failedRuns: 1, end: {type: 'deleted'}, fixedBy: []},
        [t('クローズしました'), t('（'), t('CronJob が削除されたためクローズ'), t('）')],
      ],
      [
        {duration: '12分', failedRuns: 1, end: {type: 'fixed-job-gone'}, fixedBy: []},
        [t('12分で復旧しました'), t('（'), t('後続の実行（Job は削除済み）の成功で復旧'), t('）')],
      ],
    ];
    for (const [p, want] of cases) assert.deepEqual(w.closingLine(p), want);
  });
  it('the story: each ending', () => {
    const base = {failedAt: F, cause: 'C', endedAt: E};
    assert.deepEqual(w.storyLine({...base, failedRuns: 3, end: fixed, fixedBy: J}), [
      t('F'),
      t(' に失敗しました: C'),
      t('（失敗3回）'),
      t('。'),
      t('E'),
      t(' に '),
      t('Job '),
      c('j'),
      t(' の成功で復旧'),
      t('しました。'),
    ]);
    assert.deepEqual(w.storyLine({...base, failedRuns: 1, end: {type: 'deleted'}, fixedBy: []}), [
      t('F'),
      t(' に失敗しました: C'),
      t(''),
      t('。'),
      t('E'),
      t(' に'),
      t('CronJob が削除されたためクローズ'),
      t('しました。'),
    ]);
    assert.deepEqual(w.storyLine({...base, failedRuns: 1, end: {type: 'unknown'}, fixedBy: []}), [
      t('F'),
      t(' に失敗しました: C'),
      t(''),
      t('。'),
    ]);
  });
  it('headlines', () => {
    assert.equal(w.endedLine('b/x', fixed, '2時間'), 'b/x が2時間で復旧しました');
    assert.equal(w.endedLine('b/x', {type: 'unknown'}, null), 'b/x が復旧しました');
    assert.equal(
      w.endedLine('b/x', {type: 'deleted'}, '2時間'),
      'b/x をクローズしました（CronJob が削除されました）',
    );
    assert.equal(w.failedLine('b/x', 'OOM'), 'b/x が失敗しました: OOM');
    assert.deepEqual(w.failedRunsValue(3, F), [t('3回（最初の失敗: '), t('F'), t('）')]);
  });
  it('recovered before anything was sent', () => {
    const base = {cronJob: 'b/x', failedAt: F, cause: 'C'};
    assert.deepEqual(w.recoveredLine({...base, duration: '12分', end: fixed, fixedBy: J}), [
      t('b/x が '),
      t('F'),
      t(' に失敗し（C）、12分後に復旧しました'),
      t('（'),
      t('Job '),
      c('j'),
      t(' の成功で復旧'),
      t('）'),
    ]);
    assert.deepEqual(
      w.recoveredLine({...base, duration: null, end: {type: 'unknown'}, fixedBy: []}),
      [t('b/x が '), t('F'), t(' に失敗し（C）、復旧しました')],
    );
  });
  it('a Job that ran too long first', () => {
    assert.deepEqual(w.ranTooLongLine({startedAt: F, stuck: null, ranFor: null}), [
      t('F'),
      t(' から実行中でした'),
      t('。強制終了されました'),
    ]);
    assert.deepEqual(w.ranTooLongLine({startedAt: F, stuck: 'X', ranFor: '2時間'}), [
      t('F'),
      t(' から停止していました（X）'),
      t('。2時間後に強制終了されました'),
    ]);
    assert.equal(w.handedOverLine(null, 'C'), '強制終了されました: C');
    assert.equal(w.handedOverLine('2時間', 'C'), '2時間後に強制終了されました: C');
  });
  it('a deleted Job, the reminder', () => {
    assert.equal(
      w.goneNote('failed-jobs-history-limit'),
      'watcher が読み取る前に削除されました（failedJobsHistoryLimit: 0 のため失敗した Job が残りません）',
    );
    assert.equal(
      w.goneNote('ttl-after-finished'),
      'watcher が読み取る前に削除されました（ttlSecondsAfterFinished が watcher の実行間隔より短いため）',
    );
    assert.equal(w.goneNote('unknown'), 'watcher が読み取る前に削除されました');
    assert.equal(
      w.reminderLine({age: '1日', failedRuns: 5, cause: 'OOM'}),
      '発生から1日経ちましたが、失敗が続いています: これまでに5回失敗、直近の原因は OOM',
    );
  });
  it('the log excerpt', () => {
    assert.equal(w.log.title('m', 'p'), 'コンテナ m のログ末尾（Pod p）');
    const reasons: Array<[Parameters<typeof w.log.unavailable>[0], string, string]> = [
      [
        'forbidden',
        'Pod のログを読む権限がありません（pods/log。infra/k8s/rbac-logs.yaml を参照）',
        'the watcher may not read pod logs (pods/log, see infra/k8s/rbac-logs.yaml)',
      ],
      ['gone', 'Pod が既に削除されています', 'the Pod is already deleted'],
      [
        'timeout',
        'API サーバーが時間内に応答しませんでした',
        'the API server did not answer in time',
      ],
      [
        'no-pod',
        '失敗したコンテナを持つ Pod が見つかりません',
        'no Pod of the Job shows a failed container',
      ],
      ['empty', 'コンテナのログが空です', 'the container logged nothing'],
      ['error', 'ログを読み取れませんでした', 'reading it failed'],
    ];
    for (const [reason, japanese, english] of reasons) {
      assert.equal(w.log.unavailable(reason, null), `ログ抜粋なし: ${japanese}`);
      assert.equal(w.log.unavailable(reason, 'd'), `ログ抜粋なし: ${japanese}（d）`);
      assert.equal(FAILING_WORDS.en.log.unavailable(reason, null), `No log excerpt: ${english}.`);
    }
  });
});

describe('missed, in Japanese', () => {
  const w = MISSED_WORDS.ja;
  it('counts', () => {
    assert.equal(w.missedRuns(3, false), '未起動3回');
    assert.equal(w.missedRuns(101, true), '未起動100回超');
    assert.equal(w.missedRunsValue(3, false), '3回');
    assert.equal(w.missedRunsValue(101, true), '100回超');
  });
  it('headlines and replies, each ending', () => {
    assert.equal(w.endedLine('b/x', 'started', '3時間'), 'b/x が3時間ぶりに起動しました');
    assert.equal(w.endedLine('b/x', 'unknown', null), 'b/x が起動しました');
    assert.equal(
      w.endedLine('b/x', 'suspended', '3時間'),
      'b/x をクローズしました（CronJob が一時停止されました）',
    );
    assert.equal(
      w.endedLine('b/x', 'deleted', '3時間'),
      'b/x をクローズしました（CronJob が削除されました）',
    );
    assert.equal(w.closingLine('started', '3時間', 'N'), '3時間ぶりに起動を再開しました（N）');
    assert.equal(w.closingLine('unknown', null, 'N'), '起動を再開しました（N）');
    assert.equal(
      w.closingLine('suspended', '3時間', 'N'),
      'クローズしました: CronJob が一時停止（suspend）されました（N）',
    );
    assert.equal(
      w.closingLine('deleted', '3時間', 'N'),
      'クローズしました: CronJob が削除されました（N）',
    );
  });
  it('the story, each ending', () => {
    const story = (end: Parameters<typeof w.storyLine>[0]['end'], resumedDue: Segment[] | null) =>
      w.storyLine({due: F, end, resumedDue, count: 'N'});
    assert.deepEqual(story('started', E), [
      t('F'),
      t(' に起動しませんでした。'),
      t('E'),
      t(' の実行が起動しました（N）。'),
    ]);
    // Nothing more known: the count inside the one sentence, before its full stop.
    assert.deepEqual(story('started', null), [t('F'), t(' に起動しませんでした（N）。')]);
    assert.deepEqual(story('suspended', null), [
      t('F'),
      t(' に起動しませんでした。その後 CronJob が一時停止されました（N）。'),
    ]);
    assert.deepEqual(story('deleted', null), [
      t('F'),
      t(' に起動しませんでした。その後 CronJob が削除されました（N）。'),
    ]);
    assert.deepEqual(story('unknown', E), [t('F'), t(' に起動しませんでした（N）。')]);
    assert.deepEqual(
      MISSED_WORDS.en.storyLine({due: F, end: 'started', resumedDue: null, count: 'N'}),
      [t('Did not start '), t('F'), t(' (N)')],
    );
  });
  it('recovered, reminder', () => {
    assert.deepEqual(w.recoveredLine({cronJob: 'b/x', due: F, duration: '3時間', count: 'N'}), [
      t('b/x の起動が遅れました: 予定 '),
      t('F'),
      t('、3時間後に起動しました（N）'),
    ]);
    assert.deepEqual(w.recoveredLine({cronJob: 'b/x', due: F, duration: null, count: 'N'}), [
      t('b/x の起動が遅れました: 予定 '),
      t('F'),
      t('、起動しました（N）'),
    ]);
    assert.deepEqual(
      MISSED_WORDS.en.recoveredLine({cronJob: 'b/x', due: F, duration: null, count: 'N'}),
      [t('b/x started late: due '), t('F'), t(', a run started (N)')],
    );
    assert.deepEqual(w.reminderLine({age: '1日', count: '未起動24回', latestDue: F}), [
      t('発生から1日経ちましたが、まだ起動していません: これまでに未起動24回、直近の予定は '),
      t('F'),
    ]);
  });
});

describe('a Job running too long, in Japanese', () => {
  const w = RUNNING_TOO_LONG_WORDS.ja;
  const J = [c('j')];
  it('headlines', () => {
    assert.equal(w.stuckLine('b/x', '2時間', 'X'), 'b/x が2時間停止しています: X');
    assert.equal(w.runningLine('b/x', '2時間', '1時間'), 'b/x が2時間実行中です（上限 1時間）');
    assert.equal(
      w.suspendedLine('b/x', {job: 'j', blocked: 3, capped: false}),
      'b/x が止まっています: Job j は一時停止（suspend）中で、3回の実行をブロックしています',
    );
    // Suspended before its first due time: nothing blocked yet, only what will be.
    assert.equal(
      w.suspendedLine('b/x', {job: 'j', blocked: 0, capped: false}),
      'b/x が止まっています: Job j は一時停止（suspend）中で、再開か削除されるまで次の実行は始まりません',
    );
    assert.equal(
      w.suspendedLine('b/x', {job: 'j', blocked: 101, capped: true}),
      'b/x が止まっています: Job j は一時停止（suspend）中で、100回を超える実行をブロックしています',
    );
    assert.equal(w.limit('1時間', 'annotation'), '1時間（cronjob-watcher/max-duration）');
    assert.equal(w.limit('1時間', 'schedule'), '1時間（スケジュール1周期）');
    assert.equal(w.endedLine('b/x', 'succeeded', '2時間'), 'b/x の長時間実行が2時間で終わりました');
    assert.equal(w.endedLine('b/x', 'unknown', null), 'b/x の長時間実行が終わりました');
    assert.equal(
      w.endedLine('b/x', 'deleted', null),
      'b/x をクローズしました（CronJob が削除されました）',
    );
  });
  it('each outcome', () => {
    const of = (
      outcome: Parameters<typeof w.outcomeLine>[0]['outcome'],
      ran: string | null,
      reason: string | null = null,
    ) => w.outcomeLine({job: J, ran, outcome, reason});
    assert.deepEqual(of('succeeded', '2時間'), [t('Job '), c('j'), t(' が2時間後に成功しました')]);
    assert.deepEqual(of('succeeded', null), [t('Job '), c('j'), t(' が成功しました')]);
    assert.deepEqual(of('failed', '2時間', 'E'), [
      t('Job '),
      c('j'),
      t(' が2時間後に失敗しました: E'),
    ]);
    assert.deepEqual(of('failed', null), [t('Job '), c('j'), t(' が失敗しました: 理由不明')]);
    assert.deepEqual(of('gone', '2時間'), [t('Job '), c('j'), t(' が2時間後に削除されました')]);
    assert.deepEqual(of('deleted', '2時間'), [t('CronJob が削除されました')]);
    assert.deepEqual(of('unknown', '2時間'), [t('Job '), c('j'), t(' は実行中ではなくなりました')]);
  });
  it('since when, the story, the reminder', () => {
    assert.deepEqual(w.sinceLine(F, null), [t('F'), t(' から実行中でした')]);
    assert.deepEqual(w.sinceLine(F, 'X'), [t('F'), t(' から停止していました（X）')]);
    assert.equal(w.storyJoin, '。');
    assert.deepEqual(w.recoveredLine('b/x', F, E), [
      t('b/x の実行が上限を超えました（'),
      t('F'),
      t('）。'),
      t('E'),
    ]);
    assert.equal(w.reminderLine('j', '1日'), 'まだ終わっていません: j は1日実行中です');
  });
});

describe('a run slower than usual, in Japanese', () => {
  const w = SLOWER_THAN_USUAL_WORDS.ja;
  const J = [c('j')];
  it('every sentence', () => {
    assert.equal(w.runningLine('b/x', '2時間', '12分'), 'b/x が2時間実行中です（通常は12分）');
    assert.equal(
      w.endedLine('b/x', 'succeeded', '2時間', '12分'),
      'b/x の実行が2時間で終わりました（通常は12分）',
    );
    assert.equal(
      w.endedLine('b/x', 'unknown', null, '12分'),
      'b/x の実行が終わりました（通常は12分）',
    );
    assert.equal(
      w.endedLine('b/x', 'deleted', '2時間', '12分'),
      'b/x をクローズしました（CronJob が削除されました）',
    );
    const of = (
      outcome: Parameters<typeof w.outcomeLine>[0]['outcome'],
      ran: string | null,
      reason: string | null = null,
    ) => w.outcomeLine({job: J, ran, usual: '12分', outcome, reason});
    assert.deepEqual(of('succeeded', '2時間'), [t('Job '), c('j'), t(' が2時間で成功しました')]);
    assert.deepEqual(of('succeeded', null), [t('Job '), c('j'), t(' が成功しました')]);
    assert.deepEqual(of('failed', null, 'E'), [t('Job '), c('j'), t(' が失敗しました: E')]);
    assert.deepEqual(of('failed', '2時間'), [
      t('Job '),
      c('j'),
      t(' が2時間で失敗しました: 理由不明'),
    ]);
    assert.deepEqual(of('gone', '2時間'), [t('Job '), c('j'), t(' が実行中に削除されました')]);
    assert.deepEqual(of('deleted', null), [t('CronJob が削除されました')]);
    assert.deepEqual(of('unknown', null), [t('Job '), c('j'), t(' は実行中ではなくなりました')]);
    assert.deepEqual(w.sinceLine(F, '12分'), [t('F'), t(' から実行中でした（通常は12分）')]);
    assert.deepEqual(w.recoveredLine('b/x', F, E), [
      t('b/x の実行がいつもより長くかかりました（'),
      t('F'),
      t('）。'),
      t('E'),
    ]);
    assert.equal(
      w.reminderLine('j', '1日', '12分'),
      'まだ終わっていません: j は1日実行中です（通常は12分）',
    );
    assert.deepEqual(
      SLOWER_THAN_USUAL_WORDS.en.outcomeLine({
        job: J,
        ran: null,
        usual: '12m',
        outcome: 'gone',
        reason: null,
      }),
      [c('j'), t(' was deleted')],
    );
  });
});

describe('runs that finished too fast, in Japanese', () => {
  const w = FINISHED_TOO_FAST_WORDS.ja;
  const took = {took: '8秒', usual: '4分12秒', floor: '1分15秒'};
  const noUsual = {...took, usual: null};
  it('every sentence', () => {
    assert.equal(w.fastLine('b/x', took), 'b/x が8秒で終了しました（通常は4分12秒）');
    assert.equal(w.fastLine('b/x', noUsual), 'b/x が8秒で終了しました（基準 1分15秒 未満）');
    assert.equal(w.floor('1分', 'annotation'), '1分（cronjob-watcher/min-duration）');
    assert.equal(w.floor('1分', 'learned'), '1分（通常の所要時間 × 0.3）');
    assert.equal(w.closedLine('b/x', 'usual'), 'b/x の所要時間が通常に戻りました');
    assert.equal(
      w.closedLine('b/x', 'deleted'),
      'b/x をクローズしました（CronJob が削除されました）',
    );
    assert.deepEqual(w.storyLine([c('j')], took, 1), [
      t('Job '),
      c('j'),
      t(' が8秒で終了しました（通常は4分12秒）'),
    ]);
    assert.deepEqual(w.storyLine([c('j')], noUsual, 3), [
      t('Job '),
      c('j'),
      t(' が8秒で終了しました（基準 1分15秒 未満、短すぎた実行 3回）'),
    ]);
    assert.deepEqual(w.endLine({job: [c('k')], took: '4分', end: 'usual'}), [
      t('Job '),
      c('k'),
      t(' の所要時間は4分でした'),
    ]);
    assert.deepEqual(w.endLine({job: [c('k')], took: null, end: 'usual'}), [
      t('Job '),
      c('k'),
      t(' は通常どおりの時間でした'),
    ]);
    assert.deepEqual(w.endLine({job: null, took: null, end: 'usual'}), [
      t('通常の長さの実行がありました'),
    ]);
    assert.deepEqual(FINISHED_TOO_FAST_WORDS.en.endLine({job: null, took: null, end: 'usual'}), [
      t('a run of usual length followed'),
    ]);
    assert.deepEqual(w.endLine({job: null, took: null, end: 'deleted'}), [
      t('CronJob が削除されました'),
    ]);
    assert.deepEqual(w.endLine({job: null, took: null, end: 'unknown'}), [t('クローズしました')]);
    assert.deepEqual(w.recoveredLine('b/x', took, E), [
      t('b/x が8秒で終了しました（通常は4分12秒）。その後、'),
      t('E'),
    ]);
    assert.equal(
      w.reminderLine('1日', 3),
      '発生から1日経ちましたが、まだ短時間で終了しています: これまでに3回連続',
    );
    assert.equal(w.question, '処理は正しく行われましたか？');
  });
});

describe('an unreadable cluster, in Japanese', () => {
  const w = CLUSTER_UNREADABLE_WORDS.ja;
  it('every problem, with and without a status, and its fix', () => {
    const cases: Array<[Parameters<typeof w.problem>[0], string, string, string | null]> = [
      [
        {type: 'forbidden', verb: 'list', resource: 'cronjobs'},
        '403: cronjobs を list する権限がありません',
        'infra/k8s/rbac.yaml を適用してください',
        'cronjobs を list する権限がありません',
      ],
      [
        {type: 'forbidden', verb: null, resource: null},
        '403: クラスタを読み取る権限がありません',
        'infra/k8s/rbac.yaml を適用してください',
        'クラスタを読み取る権限がありません',
      ],
      [
        {type: 'forbidden', verb: null, resource: 'cronjobs'},
        '403: cronjobs を読み取る権限がありません',
        'infra/k8s/rbac.yaml を適用してください',
        'cronjobs を読み取る権限がありません',
      ],
      [
        {type: 'unauthorized'},
        '403: 認証情報が拒否されました',
        'watcher のサービスアカウントまたは kubeconfig の認証情報を確認してください',
        '認証情報が拒否されました',
      ],
      [
        {type: 'not-found'},
        '403: このアドレスに CronJob の API がありません',
        'サーバーのアドレスを確認してください',
        'このアドレスに CronJob の API がありません',
      ],
      [
        {type: 'unreachable'},
        'API サーバーに接続できません',
        'エンドポイントとネットワーク経路（承認済みネットワーク、ファイアウォール）を確認してください',
        'API サーバーに接続できません',
      ],
      [
        {type: 'timeout'},
        'API サーバーが時間内に応答しませんでした',
        'エンドポイントとネットワーク経路（承認済みネットワーク、ファイアウォール）を確認してください',
        'API サーバーが時間内に応答しませんでした',
      ],
      [
        {type: 'tls'},
        'API サーバーの証明書を検証できませんでした',
        'クラスタの CA を確認してください（または DNS ベースのエンドポイントを使ってください）',
        'API サーバーの証明書を検証できませんでした',
      ],
      [
        {type: 'config'},
        'クラスタの設定に誤りがあります',
        '下のエラーにある設定を直してください',
        'クラスタの設定に誤りがあります',
      ],
    ];
    for (const [problem, withStatus, fix, without] of cases) {
      assert.equal(w.problem(problem, '403'), withStatus);
      assert.equal(w.problem(problem, null), without);
      assert.equal(w.fix(problem), fix);
    }
    assert.equal(w.problem({type: 'server'}, '500'), '500: API サーバーのエラーです');
    assert.equal(w.fix({type: 'server'}), null);
  });
  it('the other sentences', () => {
    assert.equal(w.failedReads(3), '読み取り失敗3回');
    assert.equal(w.blind('c'), 'c の CronJob を監視できていません');
    assert.equal(w.endedLine('c', '12分'), 'c を12分ぶりに読み取れるようになりました');
    assert.equal(w.endedLine('c', null), 'c を読み取れるようになりました');
    assert.equal(w.closingLine('12分', 'N'), '12分ぶりに読み取れるようになりました（N）');
    assert.equal(w.closingLine(null, 'N'), '読み取れるようになりました（N）');
    assert.deepEqual(w.storyLine(F, 'P', 'N'), [
      t('F'),
      t(' から読み取れませんでした: P（N）。次回の確認から CronJob の通知を再開します。'),
    ]);
    assert.equal(
      w.reminderLine('1日', 'N', 'P'),
      '発生から1日経ちましたが、まだ読み取れません: これまでにN、直近: P',
    );
    assert.equal(CLUSTER_UNREADABLE_WORDS.en.failedReads(1), '1 failed read');
  });
});

describe('the digest, in Japanese', () => {
  const w = DIGEST_WORDS.ja;
  it('every sentence', () => {
    assert.equal(w.title('2024-05-01', 2), '日次ダイジェスト 2024-05-01: 未解決 2件');
    assert.deepEqual(
      [
        w.sections.open(1),
        w.sections.opened(2),
        w.sections.closed(3),
        w.sections.flapping(4),
        w.sections.successShare,
      ],
      [
        '未解決（1件）',
        '過去24時間に発生（2件）',
        '過去24時間に解決（3件）',
        '不安定: 7日間に3回以上発生（4件）',
        '過去7日間の成功率（Namespace 別）',
      ],
    );
    assert.equal(w.successLine(92, 23, 25), '92%（25回中23回成功）');
    assert.deepEqual(w.openLine('失敗', '2時間', true, null), [t('失敗、発生から2時間、対応中')]);
    assert.deepEqual(w.openLine('失敗', '2時間', false, null), [t('失敗、発生から2時間、未対応')]);
    // A snooze that lasts stands for "not acknowledged" and says until when.
    assert.deepEqual(w.openLine('失敗', '2時間', false, [t('T')]), [
      t('失敗、発生から2時間'),
      t('、'),
      t('T'),
      t(' までスヌーズ中'),
    ]);
    assert.deepEqual(w.openLine('失敗', '2時間', true, 'recovery'), [
      t('失敗、発生から2時間、対応中'),
      t('、復旧するまでスヌーズ中'),
    ]);
    assert.equal(w.openedLine('失敗'), '失敗、発生 ');
    assert.equal(w.closedLine('失敗', '2時間'), '失敗、2時間で解決');
    assert.equal(w.closedLine('失敗', null), '失敗、解決');
    assert.equal(w.flappingLine(4), '7日間に4回');
    assert.equal(w.more(4), '他 4件');
    assert.equal(w.none, 'なし');
    assert.deepEqual(w.kinds, {
      failing: '失敗',
      missed: '未起動',
      'running-too-long': '長時間実行',
      'cluster-unreadable': 'クラスタ読み取り不可',
      'slower-than-usual': '通常より遅い',
      'finished-too-fast': '短時間で終了',
    });
  });
});
