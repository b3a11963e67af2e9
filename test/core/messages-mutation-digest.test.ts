/**
 * The daily digest's message line by line, where mutation testing (test/mutation/README.md)
 * found it unpinned: each kind's mark and words, a cluster's own incident, ages that cannot be
 * negative, closings without a readable end, names cut at 80, 15 lines a list, the success
 * share rounded down. Expected segments are written out by hand from digest/messages.ts's rules
 * and the English words of digest/words.ts.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {DigestContent, DigestItem} from '../../functions/core/digest/content.js';
import {digestMessage} from '../../functions/core/digest/messages.js';
import type {Segment, Text} from '../../functions/core/messages/model.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const EMPTY: DigestContent = {
  channel: null,
  language: 'en',
  date: '2024-05-01',
  at: '2024-05-01T09:00:00Z',
  open: [],
  opened: [],
  closed: [],
  flapping: [],
  successShare: [],
};
const ITEM: DigestItem = {
  cluster: 'prod',
  namespace: 'ns',
  name: 'job',
  kind: 'failing',
  openedAt: '2024-05-01T07:00:00Z',
  closedAt: null,
  acknowledged: false,
  snoozedUntil: null,
};
const sections = (content: Partial<DigestContent>) =>
  digestMessage({...EMPTY, ...content}).sections ?? [];
const linesOf = (content: Partial<DigestContent>, i: number): Text[] =>
  sections(content)[i]?.lines ?? [];

describe('the digest: titles and empty lists', () => {
  it('nothing anywhere: every list says none', () => {
    const m = digestMessage(EMPTY);
    assert.deepEqual(m.title, [t('📋 '), t('Daily digest, 2024-05-01: 0 incidents open')]);
    assert.deepEqual(m.summary, m.title);
    assert.equal(m.tone, 'digest');
    assert.deepEqual(m.sections, [
      {title: 'Open now (0)', lines: [[t('none')]], more: null},
      {title: 'Opened in the last 24 hours (0)', lines: [[t('none')]], more: null},
      {title: 'Closed in the last 24 hours (0)', lines: [[t('none')]], more: null},
      {title: 'Flapping: 3 or more incidents in 7 days (0)', lines: [[t('none')]], more: null},
      {title: 'Successful runs over 7 days, by namespace', lines: [[t('none')]], more: null},
    ]);
  });
  it('one open incident', () =>
    assert.deepEqual(digestMessage({...EMPTY, open: [ITEM]}).title, [
      t('📋 '),
      t('Daily digest, 2024-05-01: 1 incident open'),
    ]));
});

describe('open now', () => {
  const kinds: Array<[DigestItem['kind'], string, string]> = [
    ['failing', '🔴', 'failing'],
    ['missed', '⏰', 'missed runs'],
    ['running-too-long', '🐢', 'running too long'],
    ['cluster-unreadable', '🟠', 'cluster unreadable'],
    ['slower-than-usual', '⚠️', 'slower than usual'],
    ['finished-too-fast', '⚠️', 'finished too fast'],
  ];
  for (const [kind, mark, words] of kinds) {
    it(`${kind}: ${mark} ${words}`, () =>
      assert.deepEqual(linesOf({open: [{...ITEM, kind}]}, 0), [
        [
          t(`${mark} `),
          c('ns/job'),
          t(' · prod'),
          t(': '),
          t(`${words}, open for 2h, not acknowledged`),
        ],
      ]));
  }
  it('acknowledged', () =>
    assert.deepEqual(linesOf({open: [{...ITEM, acknowledged: true}]}, 0), [
      [t('🔴 '), c('ns/job'), t(' · prod'), t(': '), t('failing, open for 2h, acknowledged')],
    ]));
  it('snoozed until a time: the time, and no "not acknowledged"', () =>
    assert.deepEqual(linesOf({open: [{...ITEM, snoozedUntil: '2024-05-01T13:00:00Z'}]}, 0), [
      [
        t('🔴 '),
        c('ns/job'),
        t(' · prod'),
        t(': '),
        t('failing, open for 2h'),
        t(', snoozed until '),
        {
          type: 'time',
          epochMs: Date.UTC(2024, 4, 1, 13),
          plain: 'May 1, 13:00 UTC',
          slackFormat: '{date_short_pretty} at {time}',
        },
      ],
    ]));
  it('acknowledged and snoozed until it recovers', () =>
    assert.deepEqual(
      linesOf({open: [{...ITEM, acknowledged: true, snoozedUntil: 'recovery'}]}, 0),
      [
        [
          t('🔴 '),
          c('ns/job'),
          t(' · prod'),
          t(': '),
          t('failing, open for 2h, acknowledged'),
          t(', snoozed until it recovers'),
        ],
      ],
    ));
  it('opened after the digest was built (clock skew): open for 0s', () =>
    assert.deepEqual(linesOf({open: [{...ITEM, openedAt: '2024-05-01T10:00:00Z'}]}, 0), [
      [t('🔴 '), c('ns/job'), t(' · prod'), t(': '), t('failing, open for 0s, not acknowledged')],
    ]));
  it("the cluster's own incident: the cluster alone", () => {
    const own = {...ITEM, kind: 'cluster-unreadable' as const, namespace: null, name: null};
    assert.deepEqual(linesOf({open: [own]}, 0), [
      [t('🟠 '), c('prod'), t(': '), t('cluster unreadable, open for 2h, not acknowledged')],
    ]);
    assert.deepEqual(linesOf({open: [{...ITEM, name: null}]}, 0)[0]?.slice(0, 2), [
      t('🔴 '),
      c('prod'),
    ]);
    assert.deepEqual(linesOf({open: [{...ITEM, namespace: null}]}, 0)[0]?.slice(0, 2), [
      t('🔴 '),
      c('prod'),
    ]);
  });
  it('names cut at 80', () => {
    const long = {
      ...ITEM,
      cluster: 'c'.repeat(81),
      namespace: 'n'.repeat(40),
      name: 'j'.repeat(40),
    };
    assert.deepEqual(linesOf({open: [long]}, 0)[0]?.slice(0, 3), [
      t('🔴 '),
      c(`${'n'.repeat(40)}/${'j'.repeat(38)}…`),
      t(` · ${'c'.repeat(79)}…`),
    ]);
    const exactly = {
      ...ITEM,
      cluster: 'c'.repeat(80),
      namespace: 'n'.repeat(40),
      name: 'j'.repeat(39),
    };
    assert.deepEqual(linesOf({open: [exactly]}, 0)[0]?.slice(1, 3), [
      c(`${'n'.repeat(40)}/${'j'.repeat(39)}`),
      t(` · ${'c'.repeat(80)}`),
    ]);
  });
  it('15 lines a list; past that, how many more', () => {
    const items = (n: number) => Array.from({length: n}, (_, i) => ({...ITEM, name: `j${i}`}));
    const fifteen = sections({open: items(15)})[0];
    assert.equal(fifteen?.lines.length, 15);
    assert.equal(fifteen?.more, null);
    assert.equal(fifteen?.title, 'Open now (15)');
    const sixteen = sections({open: items(16)})[0];
    assert.equal(sixteen?.lines.length, 15);
    assert.equal(sixteen?.more, 'and 1 more');
    assert.equal(sixteen?.title, 'Open now (16)');
    assert.deepEqual(sixteen?.lines[14]?.[1], c('ns/j14'));
  });
});

describe('opened and closed in the last 24 hours', () => {
  it('opened: when', () =>
    assert.deepEqual(linesOf({opened: [ITEM]}, 1), [
      [
        t('🔴 '),
        c('ns/job'),
        t(' · prod'),
        t(': '),
        t('failing, opened '),
        {
          type: 'time',
          epochMs: Date.UTC(2024, 4, 1, 7),
          plain: 'May 1, 07:00 UTC',
          slackFormat: '{date_short_pretty} at {time}',
        },
      ],
    ]));
  const closed: Array<[string | null, string]> = [
    ['2024-05-01T09:05:30Z', 'missed runs, closed after 2h 5m'],
    [null, 'missed runs, closed'],
    ['not a time', 'missed runs, closed'],
  ];
  for (const [closedAt, words] of closed) {
    it(`closed at ${closedAt}: ${words}`, () =>
      assert.deepEqual(linesOf({closed: [{...ITEM, kind: 'missed', closedAt}]}, 2), [
        [t('✅ '), c('ns/job'), t(' · prod'), t(`: ${words}`)],
      ]));
  }
  it('titles count them', () => {
    const s = sections({opened: [ITEM, ITEM], closed: [ITEM]});
    assert.equal(s[1]?.title, 'Opened in the last 24 hours (2)');
    assert.equal(s[2]?.title, 'Closed in the last 24 hours (1)');
  });
});

describe('flapping and the success share', () => {
  it('flapping: how many incidents, no mark', () =>
    assert.deepEqual(
      linesOf({flapping: [{cluster: 'prod', namespace: 'ns', name: 'job', incidents: 4}]}, 3),
      [[c('ns/job'), t(' · prod'), t(': 4 incidents in 7 days')]],
    ));
  const shares: Array<[number, number, string]> = [
    [249, 250, '99% (249 of 250 runs)'],
    [1, 1, '100% (1 of 1 run)'],
    [2, 3, '66% (2 of 3 runs)'],
    [0, 4, '0% (0 of 4 runs)'],
  ];
  for (const [succeeded, runs, words] of shares) {
    it(`${succeeded} of ${runs}: ${words} (rounded down)`, () =>
      assert.deepEqual(
        linesOf({successShare: [{cluster: 'prod', namespace: 'ns', succeeded, runs}]}, 4),
        [[c('ns'), t(` · prod: ${words}`)]],
      ));
  }
  it('long namespace and cluster names cut at 80', () =>
    assert.deepEqual(
      linesOf(
        {
          successShare: [
            {cluster: 'c'.repeat(81), namespace: 'n'.repeat(81), succeeded: 1, runs: 1},
          ],
        },
        4,
      ),
      [[c(`${'n'.repeat(79)}…`), t(` · ${'c'.repeat(79)}…: 100% (1 of 1 run)`)]],
    ));
});
