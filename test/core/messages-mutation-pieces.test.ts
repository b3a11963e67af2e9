/**
 * The message pieces at their edges, where mutation testing (test/mutation/README.md) found
 * them unpinned: cuts at exactly their limit, unreadable times, a run without a name, the
 * manual-run name's trimming, how a watched run ended. Every expectation is worked out by hand
 * from the rules in messages/pieces.ts and model.ts (a cut text ends with `…` and fits its
 * limit; `&` counts five, `<` and `>` four, as Slack escapes them).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Ending, IncidentBase, RunRef} from '../../functions/core/incident-base.js';
import {COMMON_WORDS} from '../../functions/core/messages/catalogue.js';
import type {Message, Segment, Text} from '../../functions/core/messages/model.js';
import {
  ageAt,
  code,
  consoleActionsOf,
  cronJobContextOf,
  cronJobName,
  cutText,
  cutToWidth,
  durationTextOf,
  emptyRun,
  headline,
  incidentDurationMs,
  kubectl,
  marked,
  message,
  nextRunAfter,
  oneLine,
  parseTime,
  plainOf,
  rerunCommand,
  runOf,
  shellWord,
  time,
  value,
  watchedRunOutcomeOf,
  watchedRunToneOf,
  watchedRunTookOf,
  type CronJobContext,
} from '../../functions/core/messages/pieces.js';

const en = COMMON_WORDS.en;
const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const at = (iso: string): Segment => ({
  type: 'time',
  epochMs: Date.parse(iso),
  plain: 'PLAIN',
  slackFormat: 'F',
});

describe('cutToWidth: at, just over and well over the limit', () => {
  const cases: Array<[string, number, string, string]> = [
    ['abc', 3, 'abc', 'exactly the limit: whole'],
    ['abcd', 3, 'ab…', 'one over: the cut and its mark fit the limit'],
    ['a&b', 7, 'a&b', '& counts five: 7 wide, whole'],
    ['a&b', 6, 'a…', '& counts five: it does not fit before the mark'],
    ['a<b', 6, 'a<b', '< counts four: 6 wide, whole'],
    ['a<b', 5, 'a…', '< counts four'],
    ['a>b', 6, 'a>b', '> counts four: 6 wide, whole'],
    ['a>b', 5, 'a…', '> counts four'],
    ['ab&', 7, 'ab&', 'the wide character last, exactly at the limit'],
    ['abcd&', 8, 'abcd…', 'the character that would reach the limit is left for the mark'],
    ['😀😀', 4, '😀😀', 'a surrogate pair counts two'],
    ['😀😀😀', 4, '😀…', 'never inside a surrogate pair'],
    ['', 0, '', 'empty'],
  ];
  for (const [input, max, want, why] of cases) {
    it(`${JSON.stringify(input)} within ${max}: ${why}`, () =>
      assert.equal(cutToWidth(input, max), want));
  }
  it('by another measure: each character counts its length', () => {
    assert.equal(
      cutToWidth('a&b', 3, ch => ch.length),
      'a&b',
    );
    assert.equal(
      cutToWidth('a&bc', 3, ch => ch.length),
      'a&…',
    );
  });
});

describe('value and code: cut as Slack counts them, at 200', () => {
  it('200 wide stays whole, 201 is cut', () => {
    assert.deepEqual(value('a'.repeat(200)), [t('a'.repeat(200))]);
    assert.deepEqual(value('a'.repeat(201)), [t(`${'a'.repeat(199)}…`)]);
    assert.deepEqual(value('&'.repeat(40)), [t('&'.repeat(40))]);
    assert.deepEqual(value('&'.repeat(41)), [t(`${'&'.repeat(39)}…`)]);
  });
  it('a value with its own limit', () => assert.deepEqual(value('abcd', 3), [t('ab…')]));
  it('code', () => {
    assert.deepEqual(code('a'.repeat(200)), c('a'.repeat(200)));
    assert.deepEqual(code('a'.repeat(201)), c(`${'a'.repeat(199)}…`));
  });
});

describe('times', () => {
  const cases: Array<[string | null | undefined, number | null]> = [
    [null, null],
    [undefined, null],
    ['', null],
    ['not a time', null],
    ['2024-05-01T10:00:00Z', Date.UTC(2024, 4, 1, 10, 0, 0)],
    ['1970-01-01T00:00:00Z', 0],
  ];
  for (const [iso, want] of cases) {
    it(`parseTime(${JSON.stringify(iso)}) = ${want}`, () => assert.equal(parseTime(iso), want));
  }
  it('a readable time is a time segment; an unreadable one says so, never the raw text', () => {
    assert.deepEqual(time('2024-05-01T10:00:00Z', en), [
      {
        type: 'time',
        epochMs: Date.UTC(2024, 4, 1, 10, 0, 0),
        plain: 'May 1, 10:00 UTC',
        slackFormat: '{date_short_pretty} at {time}',
      },
    ]);
    assert.deepEqual(time('garbage', en), [t('unknown time')]);
    assert.deepEqual(time(null, en), [t('unknown time')]);
  });
  it('the epoch itself is a time, not an unknown one', () =>
    assert.equal(time('1970-01-01T00:00:00Z', en)[0]?.type, 'time'));
});

const base: IncidentBase = {
  id: 'i',
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: '2024-05-01T12:05:30Z',
  ending: null,
};

describe('durations of an incident', () => {
  it('from opening to closing', () => {
    assert.equal(incidentDurationMs(base), (2 * 60 + 5) * 60_000 + 30_000);
    assert.equal(durationTextOf(base, en), '2h 5m');
  });
  it('unknown when either time is missing or unreadable', () => {
    assert.equal(incidentDurationMs({...base, closedAt: null}), null);
    assert.equal(incidentDurationMs({...base, openedAt: 'x'}), null);
    assert.equal(durationTextOf({...base, closedAt: null}, en), null);
    assert.equal(durationTextOf({...base, openedAt: 'x'}, en), null);
  });
  it('how long it had been open at a time', () => {
    assert.equal(ageAt(base, '2024-05-01T10:12:05Z', en), '12m 5s');
    assert.equal(ageAt(base, '2024-05-01T09:00:00Z', en), '0s');
    assert.equal(ageAt(base, 'x', en), 'unknown');
    assert.equal(ageAt({...base, openedAt: 'x'}, '2024-05-01T10:12:05Z', en), 'unknown');
  });
});

describe('plainOf: the words of every kind of segment', () => {
  it('text, code, time, link and user', () => {
    assert.equal(
      plainOf([
        t('a'),
        c('b'),
        at('2024-05-01T10:00:00Z'),
        {type: 'link', url: 'https://x', label: 'L'},
        {type: 'user', id: 'U1'},
      ]),
      'abPLAINL@U1',
    );
  });
});

describe('cutText: the words are cut, times and links kept whole or dropped', () => {
  const cases: Array<[Text, number, Text, string]> = [
    [[t('abc'), t('de')], 5, [t('abc'), t('de')], 'exactly the limit: whole'],
    [[t('abc'), t('def')], 5, [t('abc'), t('d…')], 'the text that overflows is cut'],
    [[t('abc'), c('def')], 5, [t('abc'), c('d…')], 'code is cut and stays code'],
    [[t('abc'), c('def')], 4, [t('abc'), t('…')], 'one character of room: only the mark'],
    [[t('abc'), t('def')], 4, [t('abc'), t('…')], 'one character of room, text'],
    [[t('abc'), t('def')], 3, [t('abc')], 'no room left: nothing after'],
    [[t('ab'), at('2024-05-01T10:00:00Z')], 5, [t('ab'), t('…')], 'a time is never cut'],
    [[t('a'), t('bcdef'), t('g')], 3, [t('a'), t('b…')], 'what follows a cut is dropped'],
    [[], 3, [], 'empty'],
  ];
  for (const [input, max, want, why] of cases) {
    it(why, () => assert.deepEqual(cutText(input, max), want));
  }
});

describe('marks and headlines', () => {
  const marks: Array<[Parameters<typeof marked>[0], string]> = [
    ['failing', '🔴'],
    ['unreadable', '🟠'],
    ['missed', '⏰'],
    ['stuck', '🐢'],
    ['warning', '⚠️'],
    ['resolved', '✅'],
    ['recovered', '🟡'],
    ['digest', '📋'],
  ];
  for (const [tone, mark] of marks) {
    it(`${tone}: ${mark}`, () => assert.deepEqual(marked(tone, [t('x')]), [t(`${mark} `), t('x')]));
  }
  it('a headline names the cluster after a dot, cut to 200', () => {
    assert.deepEqual(headline('failing', [t('x')], 'prod'), [t('🔴 '), t('x'), t(' · prod')]);
    assert.deepEqual(headline('failing', [t('x')], 'p'.repeat(201)), [
      t('🔴 '),
      t('x'),
      t(` · ${'p'.repeat(199)}…`),
    ]);
  });
});

describe('message: the parts a detection leaves out, and the cuts', () => {
  const bare: Message = {
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
    summary: [t('s')],
    durationMs: null,
  };
  it('nothing but a summary', () =>
    assert.deepEqual(message('failing', {summary: [t('s')]}), bare));
  it('a null title is none', () =>
    assert.deepEqual(message('failing', {summary: [t('s')], title: null}), bare));
  it('every part given is kept', () => {
    const parts: Message = {
      tone: 'missed',
      title: [t('T')],
      lead: [t('L')],
      fields: [{label: 'F', value: [t('v')]}],
      reason: {label: 'R', value: [t('r')]},
      details: [{label: 'D', value: [t('d')]}],
      quote: 'q',
      commands: ['kubectl'],
      actions: [{type: 'link', id: 'console', url: 'https://x', label: 'C'}],
      notes: [[t('n')]],
      summary: [t('s')],
      durationMs: 5,
      mention: '<!here>',
      log: {title: 'Log', text: 'l', notes: []},
      sections: [{title: 'S', lines: [], more: null}],
    };
    assert.deepEqual(message('missed', parts), parts);
  });
  it('an empty mention, no log and no sections are left out, not set', () => {
    const m = message('failing', {summary: [t('s')], mention: '', log: null});
    assert.deepEqual(Object.keys(m).sort(), Object.keys(bare).sort());
  });
  it('the title is cut at 150, the summary at 300, a command at 300 (its length)', () => {
    const m = message('failing', {
      title: [t('x'.repeat(151))],
      summary: [t('y'.repeat(301))],
      commands: ['&'.repeat(300), '&'.repeat(301)],
    });
    assert.deepEqual(m.title, [t(`${'x'.repeat(149)}…`)]);
    assert.deepEqual(m.summary, [t(`${'y'.repeat(299)}…`)]);
    assert.deepEqual(m.commands, ['&'.repeat(300), `${'&'.repeat(299)}…`]);
  });
  it('a title of exactly 150 and a summary of exactly 300 stay whole', () => {
    const m = message('failing', {title: [t('x'.repeat(150))], summary: [t('y'.repeat(300))]});
    assert.deepEqual(m.title, [t('x'.repeat(150))]);
    assert.deepEqual(m.summary, [t('y'.repeat(300))]);
  });
  it('one line: its lead and summary, no duration unless given', () => {
    assert.deepEqual(oneLine('resolved', [t('x')]), {
      ...bare,
      tone: 'resolved',
      lead: [t('x')],
      summary: [t('x')],
    });
    assert.equal(oneLine('resolved', [t('x')], 7).durationMs, 7);
  });
});

const CLUSTER = {
  id: 'projects/acme/locations/eu/clusters/prod',
  name: 'prod',
  project: 'acme',
  location: 'eu',
};
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'u',
  schedule: '0 9 * * *',
};
const CONTEXT: CronJobContext = {cluster: CLUSTER, subject: SUBJECT};
const CRONJOB_URL =
  'https://console.cloud.google.com/kubernetes/cronjob/eu/prod/batch/backup/details?project=acme';
function logsUrl(job: string, range: string | null): string {
  const query =
    'resource.type="k8s_container"\nresource.labels.cluster_name="prod"\n' +
    'resource.labels.namespace_name="batch"\n' +
    `(labels."k8s-pod/job-name"="${job}" OR labels."k8s-pod/batch_kubernetes_io/job-name"="${job}")`;
  return (
    `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)}` +
    (range === null ? '' : `;timeRange=${encodeURIComponent(range)}`) +
    '?project=acme'
  );
}

describe('a CronJob context', () => {
  it('is the cluster and the CronJob', () => {
    assert.deepEqual(
      cronJobContextOf({id: 'i', kind: 'failing'}, {cluster: CLUSTER, subject: SUBJECT}),
      CONTEXT,
    );
    assert.equal(cronJobName(CONTEXT), 'batch/backup');
  });
  it('a CronJob kind about the cluster is a bug, named', () => {
    assert.throws(
      () =>
        cronJobContextOf(
          {id: 'i-1', kind: 'missed'},
          {cluster: CLUSTER, subject: {type: 'cluster'}},
        ),
      {message: 'missed incident i-1 needs a CronJob subject, got a cluster'},
    );
  });
});

describe('console buttons', () => {
  const logs = (job: string, range: string | null) => ({
    type: 'link',
    id: 'logs',
    url: logsUrl(job, range),
    label: 'Logs',
  });
  const console = {type: 'link', id: 'console', url: CRONJOB_URL, label: 'Cloud Console'};
  it('a run with a time: its logs around that time, and the CronJob', () => {
    assert.deepEqual(consoleActionsOf(CONTEXT, {job: 'backup-1', at: '2024-05-01T10:00:00Z'}, en), [
      logs('backup-1', '2024-04-30T10:00:00Z/2024-05-01T10:10:00Z'),
      console,
    ]);
  });
  it('a run without a time: its logs, unbounded', () => {
    assert.deepEqual(consoleActionsOf(CONTEXT, {job: 'backup-1', at: null}, en), [
      logs('backup-1', null),
      console,
    ]);
  });
  it('no run, or a run without a name: only the CronJob', () => {
    assert.deepEqual(consoleActionsOf(CONTEXT, null, en), [console]);
    assert.deepEqual(consoleActionsOf(CONTEXT, {job: '', at: '2024-05-01T10:00:00Z'}, en), [
      console,
    ]);
  });
  it('none when the project is unknown', () => {
    const local = {...CONTEXT, cluster: {...CLUSTER, project: null}};
    assert.deepEqual(consoleActionsOf(local, {job: 'backup-1', at: null}, en), []);
  });
});

describe('shell words', () => {
  const cases: Array<[string, string]> = [
    ['backup-1', 'backup-1'],
    ['a.b_c/d=e:f-g', 'a.b_c/d=e:f-g'],
    ['-x', '-x'],
    ['9', '9'],
    ['.hidden', "'.hidden'"],
    ['_x', "'_x'"],
    ['', "''"],
    ['a b', "'a b'"],
    ['a;b', "'a;b'"],
    ['a$b', "'a$b'"],
    ["it's", "'it'\\''s'"],
    ["''", "''\\'''\\'''"],
  ];
  for (const [word, want] of cases) {
    it(`${JSON.stringify(word)} → ${want}`, () => assert.equal(shellWord(word), want));
  }
  it('kubectl quotes the namespace only', () => {
    assert.equal(kubectl('a b', 'get', 'x y'), "kubectl -n 'a b' get x y");
  });
});

describe('the manual run command', () => {
  it('a short name is kept whole', () => {
    assert.equal(
      rerunCommand('ns', 'backup'),
      'kubectl -n ns create job --from=cronjob/backup backup-manual-$(date +%s)',
    );
  });
  it('a name cut at 45 characters loses the dots and hyphens it then ends with, only those', () => {
    const name = `db-backup-${'x'.repeat(33)}..tail`;
    assert.equal(
      rerunCommand('ns', name),
      `kubectl -n ns create job --from=cronjob/${name} db-backup-${'x'.repeat(33)}-manual-$(date +%s)`,
    );
    const hyphens = `${'y'.repeat(42)}.-.-tail`;
    assert.equal(
      rerunCommand('ns', hyphens),
      `kubectl -n ns create job --from=cronjob/${hyphens} ${'y'.repeat(42)}-manual-$(date +%s)`,
    );
  });
  it('a name the shell would read otherwise is quoted, the date command is not', () => {
    assert.equal(
      rerunCommand('ns', 'a b'),
      "kubectl -n ns create job '--from=cronjob/a b' 'a b-manual'-$(date +%s)",
    );
  });
});

describe('a run as a value', () => {
  const run: Pick<RunRef, 'job' | 'manual'> = {job: 'backup-1', manual: false};
  it('its name as code, marked when started by hand', () => {
    assert.deepEqual(runOf(run, en), [c('backup-1')]);
    assert.deepEqual(runOf({...run, manual: true}, en), [c('backup-1'), t(' (manual run)')]);
  });
  it('the empty run knows nothing', () => {
    assert.deepEqual(emptyRun, {
      job: '',
      jobUid: '',
      manual: false,
      at: null,
      reason: null,
      message: null,
      detail: null,
    });
  });
});

describe('how a watched run ended', () => {
  const run: RunRef = {...emptyRun, job: 'j'};
  const cases: Array<[Ending | null, string, string, string | null]> = [
    [
      {type: 'finished', at: '2024-05-01T10:12:05Z', run, succeeded: true},
      'succeeded',
      'resolved',
      '12m 5s',
    ],
    [
      {type: 'finished', at: '2024-05-01T10:12:05Z', run, succeeded: false},
      'failed',
      'failing',
      '12m 5s',
    ],
    [{type: 'job-gone', at: '2024-05-01T11:00:00Z'}, 'gone', 'resolved', '1h'],
    [{type: 'cronjob-deleted', at: '2024-05-01T10:00:30Z'}, 'deleted', 'resolved', '30s'],
    [{type: 'muted', at: '2024-05-01T10:00:30Z'}, 'unknown', 'resolved', '30s'],
    [null, 'unknown', 'resolved', null],
  ];
  for (const [ending, outcome, tone, took] of cases) {
    it(`${ending?.type ?? 'still open'}${ending?.type === 'finished' ? ` (${outcome})` : ''}`, () => {
      assert.equal(watchedRunOutcomeOf(ending), outcome);
      assert.equal(watchedRunToneOf(ending), tone);
      assert.equal(watchedRunTookOf('2024-05-01T10:00:00Z', ending, en), took);
    });
  }
  it('an unreadable start: no duration', () =>
    assert.equal(watchedRunTookOf('x', {type: 'job-gone', at: '2024-05-01T11:00:00Z'}, en), null));
});

describe('the next due time', () => {
  const cases: Array<[string, string | null, string, string | null]> = [
    ['0 9 * * *', null, '2024-05-01T10:00:00Z', '2024-05-02T09:00:00.000Z'],
    ['0 9 * * *', 'Asia/Tokyo', '2024-05-01T10:00:00Z', '2024-05-02T00:00:00.000Z'],
    ['0 9 * * *', null, '2024-05-01T08:59:59Z', '2024-05-01T09:00:00.000Z'],
    ['0 9 * * *', null, 'not a time', null],
    ['not a schedule', null, '2024-05-01T10:00:00Z', null],
  ];
  for (const [schedule, zone, after, want] of cases) {
    it(`${schedule} in ${zone ?? 'UTC'} after ${after}: ${want}`, () =>
      assert.equal(nextRunAfter(schedule, zone, after), want));
  }
});
