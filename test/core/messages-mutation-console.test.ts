/**
 * The console renderer, the Cloud Console links and the recent-runs strip at their edges, where
 * mutation testing (test/mutation/README.md) found them unpinned. Expected lines and URLs are
 * written out by hand from the rules in messages/render-console.ts, console-links.ts and
 * recent-runs.ts (and Unicode's East Asian Width for the columns).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {consoleLinksOf} from '../../functions/core/messages/console-links.js';
import type {Message, Segment} from '../../functions/core/messages/model.js';
import {recentRunsPart, runStrip} from '../../functions/core/messages/recent-runs.js';
import {
  columnsOfLine,
  consoleTitleOf,
  renderConsole,
  stripControls,
} from '../../functions/core/messages/render-console.js';
import type {RecentRun} from '../../functions/core/run-history.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const BARE: Message = {
  tone: 'failing',
  title: null,
  lead: null,
  fields: [],
  reason: null,
  details: [],
  quote: null,
  commands: [],
  actions: [],
  notes: [],
  summary: [t('the summary')],
  durationMs: null,
};
const render = (parts: Partial<Message>) => renderConsole({...BARE, ...parts});

describe('columns a character takes in a terminal', () => {
  // Each wide range at its first and last code point, and the code points just outside it.
  const cases: Array<[number, number]> = [
    [0x41, 1],
    [0x10ff, 1],
    [0x1100, 2],
    [0x115f, 2],
    [0x1160, 1],
    [0x25ff, 1],
    [0x2600, 2],
    [0x27bf, 2],
    [0x27c0, 1],
    [0x2e7f, 1],
    [0x2e80, 2],
    [0xa4cf, 2],
    [0xa4d0, 1],
    [0xabff, 1],
    [0xac00, 2],
    [0xd7a3, 2],
    [0xd7a4, 1],
    [0xf8ff, 1],
    [0xf900, 2],
    [0xfaff, 2],
    [0xfb00, 1],
    [0xfe2f, 1],
    [0xfe30, 2],
    [0xfe4f, 2],
    [0xfe50, 1],
    [0xfeff, 1],
    [0xff00, 2],
    [0xff60, 2],
    [0xff61, 1],
    [0xffdf, 1],
    [0xffe0, 2],
    [0xffe6, 2],
    [0xffe7, 1],
    [0x1efff, 1],
    [0x1f000, 2],
    [0x1f534, 2],
  ];
  for (const [cp, want] of cases) {
    it(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}: ${want}`, () =>
      assert.equal(columnsOfLine(String.fromCodePoint(cp)), want));
  }
  it('a line adds them up', () => assert.equal(columnsOfLine('a日本🔴'), 7));
  it('an empty line takes none', () => assert.equal(columnsOfLine(''), 0));
});

describe('renderConsole: every part as lines', () => {
  it('nothing but a summary: the summary', () => assert.equal(render({}), 'the summary'));
  it('the title underlined to its columns, at most 60', () => {
    assert.equal(render({title: [t('abc')]}), 'abc\n───');
    assert.equal(render({title: [t('x'.repeat(61))]}), `${'x'.repeat(61)}\n${'─'.repeat(60)}`);
    assert.equal(render({title: [t('x'.repeat(60))]}), `${'x'.repeat(60)}\n${'─'.repeat(60)}`);
  });
  it('every part, in order', () => {
    assert.equal(
      render({
        mention: '<!here>',
        title: [t('T')],
        lead: [t('lead '), {type: 'link', url: 'https://l', label: 'there'}],
        fields: [
          {label: 'Job', value: [c('j-1')]},
          {label: '', value: [t('unlabelled')]},
          {label: 'Multi', value: [t('a\nb')]},
        ],
        recentRuns: {label: 'Recent runs', strip: '✅ ❌', usual: 'usually 5m'},
        reason: {label: 'Reason', value: [t('R')]},
        details: [{label: 'Container m', value: [t('OOM')]}],
        sections: [
          {title: 'Open', lines: [[t('o1')], [t('o2')]], more: 'and 2 more'},
          {title: 'Flapped', lines: [[t('f1')]], more: null},
        ],
        quote: 'q1\nq2',
        log: {title: 'Log', text: 'l1\nl2', notes: ['cut']},
        commands: ['kubectl a', 'kubectl b'],
        actions: [
          {type: 'button', id: 'acknowledge', label: 'Ack', value: 'v'},
          {type: 'link', id: 'logs', url: 'https://logs', label: 'Logs'},
          {type: 'menu', id: 'snooze', label: 'Snooze', options: []},
        ],
        notes: [[t('note 1')], [t('note 2')]],
      }),
      [
        '<!here>',
        'T',
        '─',
        'lead there: https://l',
        'Job: j-1',
        'unlabelled',
        'Multi: a b',
        'Recent runs: ✅ ❌ · usually 5m',
        'Reason: R',
        'Container m: OOM',
        '',
        'Open:',
        '  o1',
        '  o2',
        '  and 2 more',
        '',
        'Flapped:',
        '  f1',
        '  | q1',
        '  | q2',
        'Log:',
        '    l1',
        '    l2',
        'cut',
        '  $ kubectl a',
        '  $ kubectl b',
        'Logs: https://logs',
        'note 1',
        'note 2',
      ].join('\n'),
    );
  });
  it('recent runs without a usual duration', () =>
    assert.equal(render({recentRuns: {label: 'R', strip: '✅', usual: null}}), 'R: ✅'));
  it('a log without lines: its notes only', () =>
    assert.equal(render({log: {title: 'Log', text: null, notes: ['none']}}), 'none'));
  it('an empty mention is none', () => assert.equal(render({mention: ''}), 'the summary'));
  it('buttons alone are not shown; the summary stands in', () =>
    assert.equal(
      render({actions: [{type: 'button', id: 'acknowledge', label: 'Ack', value: 'v'}]}),
      'the summary',
    ));
  it('what the cluster said is stripped of control sequences everywhere', () => {
    assert.equal(render({title: [t('a\u001b[31mb')], summary: [t('s\u0007')]}), 'ab\n──');
    assert.equal(render({summary: [t('s\u0007')]}), 's');
  });
});

describe('consoleTitleOf', () => {
  it('the title, else the summary, stripped', () => {
    assert.equal(consoleTitleOf({...BARE, title: [t('T\u001b]0;x\u0007'), c('!')]}), 'T!');
    assert.equal(consoleTitleOf({...BARE, summary: [t('s\u0000')]}), 's');
  });
});

describe('stripControls, sequence by sequence', () => {
  const cases: Array<[string, string, string]> = [
    ['a\r\nb', 'a\nb', 'CRLF becomes a newline'],
    ['a\u001b[1;2Hb', 'ab', 'CSI with parameters'],
    ['a\u001b[ qb', 'ab', 'CSI with an intermediate byte'],
    ['a\u001b[', 'a', 'a CSI cut short'],
    ['a\u001bPdata\u001b\\b', 'ab', 'DCS, ST-terminated'],
    ['a\u001bXsos\u0007b', 'ab', 'SOS'],
    ['a\u001b^pm\u0007b', 'ab', 'PM'],
    ['a\u001b_apc\u0007b', 'ab', 'APC'],
    ['a\u0090dcs\u009cb', 'ab', 'C1 DCS, C1 ST'],
    ['a\u0098sos\u009cb', 'ab', 'C1 SOS'],
    ['a\u009epm\u009cb', 'ab', 'C1 PM'],
    ['a\u009fapc\u009cb', 'ab', 'C1 APC'],
    ['a\u001b]0;never ends', 'a', 'an OSC never terminated takes the rest'],
    ['a\u001b(Bb', 'ab', 'a two-character escape with an intermediate'],
    ['a\u001b7b', 'ab', 'a two-character escape'],
    ['a\u001bcb', 'ab', 'RIS'],
    ['a\u001b', 'a', 'a lone ESC'],
    ['a\u000bb\u000cc', 'abc', 'vertical tab and form feed'],
    ['a\u001fb', 'ab', 'the last C0 control'],
    ['a\u0085b', 'ab', 'a C1 control'],
    ['a\u00a0b', 'a\u00a0b', 'a no-break space is text'],
    ['a b~', 'a b~', 'space and tilde are text'],
  ];
  for (const [input, want, why] of cases) {
    it(why, () => assert.equal(stripControls(input), want));
  }
});

const CLUSTER = {id: 'x', name: 'prod eu', project: 'acme', location: 'europe-west1'};
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'u',
  schedule: '@daily',
};
const QUERY =
  'resource.type="k8s_container"\nresource.labels.cluster_name="prod eu"\n' +
  'resource.labels.namespace_name="batch"\n' +
  '(labels."k8s-pod/job-name"="j\\"1" OR labels."k8s-pod/batch_kubernetes_io/job-name"="j\\"1")';
const LOGS = `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(QUERY)}`;

describe('Cloud Console links', () => {
  it('the CronJob page and the logs around a failure, to the second', () => {
    assert.deepEqual(
      consoleLinksOf({cluster: CLUSTER, subject: SUBJECT}, 'j"1', '2024-05-01T10:00:00.750Z'),
      {
        cronJob:
          'https://console.cloud.google.com/kubernetes/cronjob/europe-west1/prod%20eu/batch/backup/details?project=acme',
        logs: `${LOGS};timeRange=2024-04-30T10%3A00%3A00Z%2F2024-05-01T10%3A10%3A00Z?project=acme`,
      },
    );
  });
  it('an unreadable failure time: no time range', () => {
    assert.equal(
      consoleLinksOf({cluster: CLUSTER, subject: SUBJECT}, 'j"1', 'garbage')?.logs,
      `${LOGS}?project=acme`,
    );
  });
  it('none for the cluster, or without a project or a location', () => {
    const none: Array<[typeof CLUSTER | Record<string, unknown>, string]> = [
      [{...CLUSTER, project: null}, 'no project'],
      [{...CLUSTER, project: ''}, 'an empty project'],
      [{...CLUSTER, location: null}, 'no location'],
      [{...CLUSTER, location: ''}, 'an empty location'],
    ];
    for (const [cluster, why] of none) {
      assert.equal(
        consoleLinksOf({cluster: cluster as typeof CLUSTER, subject: SUBJECT}, 'j', null),
        null,
        why,
      );
    }
    assert.equal(consoleLinksOf({cluster: CLUSTER, subject: {type: 'cluster'}}, 'j', null), null);
  });
});

const run = (outcome: RecentRun['outcome'], minutes: number | null): RecentRun => ({
  job: 'j',
  outcome,
  scheduledAt: null,
  startedAt: null,
  durationMs: minutes === null ? null : minutes * 60_000,
});

describe('recent runs: the newest', () => {
  it('the newest few of a strip', () => {
    const runs = [run('failed', 1), run('missed', null), run('succeeded', 2), run('failed', 3)];
    assert.equal(runStrip(runs, 1), '❌');
    assert.equal(runStrip(runs, 3), '⏰ ✅ ❌');
    assert.equal(runStrip(runs), '❌ ⏰ ✅ ❌');
  });
  it('the newest 20 of 30, and the median of those only', () => {
    const runs = [
      ...Array.from({length: 10}, () => run('succeeded', 1)),
      ...Array.from({length: 15}, () => run('failed', 2)),
      ...Array.from({length: 5}, () => run('succeeded', 9)),
    ];
    const words = {
      duration: (ms: number) => `${ms / 60_000}m`,
      recentRuns: {label: 'R', usually: (d: string) => `usually ${d}`},
    };
    assert.deepEqual(recentRunsPart(runs, words), {
      label: 'R',
      strip: `${'❌ '.repeat(15)}${'✅ '.repeat(4)}✅`,
      usual: 'usually 9m',
    });
  });
});
