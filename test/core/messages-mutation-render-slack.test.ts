/**
 * The Slack renderer part by part, on messages built here (not by a detection), so each of
 * its rules is pinned on its own: how every kind of segment is written in mrkdwn, the order of
 * the blocks, and Slack's limits at exactly their value and one over (header 150, section
 * 3,000, field 2,000, 10 fields a section, 50 blocks, button text 75, URL 3,000, 25 elements,
 * 100 options, option value 150). Every expected block is written out by hand from Slack's
 * Block Kit reference and the rules in messages/render-slack.ts.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Action, Message, Segment} from '../../functions/core/messages/model.js';
import {
  renderSlack,
  renderSlackMessages,
  type SlackBlock,
  type SlackElement,
} from '../../functions/core/messages/render-slack.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});
const mrkdwn = (text: string) => ({type: 'mrkdwn' as const, text});
const section = (text: string): SlackBlock => ({type: 'section', text: mrkdwn(text)});
const plain = (text: string) => ({type: 'plain_text' as const, text, emoji: true as const});

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
  summary: [t('s')],
  durationMs: null,
};
const of = (parts: Partial<Message>): Message => ({...BARE, ...parts});
const blocksOf = (parts: Partial<Message>) => renderSlack(of(parts)).blocks;

describe('a segment in mrkdwn', () => {
  const MAY_1 = Date.UTC(2024, 4, 1, 10, 0, 0);
  const cases: Array<[Segment, string, string]> = [
    [t('a&b<c>d'), 'a&amp;b&lt;c&gt;d', 'text: the three control characters escaped'],
    [t('a&&<<>>'), 'a&amp;&amp;&lt;&lt;&gt;&gt;', 'text: every one of them'],
    [c('x`y&z'), "`x'y&amp;z`", 'code: backticks become quotes, the rest escaped'],
    [c('a``b'), "`a''b`", 'code: every backtick'],
    [
      {type: 'time', epochMs: MAY_1, plain: 'May 1 <UTC>', slackFormat: '{time}'},
      `<!date^${MAY_1 / 1000}^{time}|May 1 &lt;UTC&gt;>`,
      'time: a date token in seconds, its words escaped',
    ],
    [
      {type: 'time', epochMs: 1999, plain: 'P', slackFormat: 'F'},
      '<!date^1^F|P>',
      'time: milliseconds are dropped, never rounded up',
    ],
    [{type: 'link', url: 'https://x/y?a=1', label: 'L&M'}, '<https://x/y?a=1|L&amp;M>', 'link'],
    [{type: 'user', id: 'U0123ABC'}, '<@U0123ABC>', 'user: a Slack user ID'],
    [{type: 'user', id: 'W9'}, '<@W9>', 'user: an Enterprise Grid user ID'],
    [{type: 'user', id: 'u123'}, 'u123', 'user: lower case is not an ID'],
    [{type: 'user', id: 'U'}, 'U', 'user: a letter alone is not an ID'],
    [{type: 'user', id: 'XU1'}, 'XU1', 'user: an ID starts with U or W'],
    [{type: 'user', id: 'U1a'}, 'U1a', 'user: an ID is upper case to the end'],
    [{type: 'user', id: 'U1 <!channel>'}, 'U1 &lt;!channel&gt;', 'user: anything else is shown'],
    [{type: 'user', id: 'operator'}, 'operator', 'user: the CLI operator by name'],
  ];
  for (const [segment, want, why] of cases) {
    it(why, () => assert.deepEqual(blocksOf({lead: [segment]}), [section(want)]));
  }
});

describe('the push text', () => {
  it('is the summary, names in plain text, escaped', () => {
    assert.equal(renderSlack(of({summary: [t('a & '), c('b<c>')]})).text, 'a &amp; b&lt;c&gt;');
  });
  it('starts with the mention, when there is one', () => {
    const rendered = renderSlack(of({mention: '<!subteam^S1>', summary: [t('s')]}));
    assert.equal(rendered.text, '<!subteam^S1> s');
    assert.deepEqual(rendered.blocks, [section('<!subteam^S1>')]);
  });
  it('an empty mention is none', () => {
    assert.deepEqual(renderSlack(of({mention: ''})), {text: 's', blocks: []});
    assert.deepEqual(renderSlack(of({mention: null})), {text: 's', blocks: []});
  });
});

describe('the title', () => {
  it('plain words: a header block, shown literally (not escaped)', () => {
    assert.deepEqual(blocksOf({title: [t('🔴 a & <b>'), c('x*y')]}), [
      {type: 'header', text: plain('🔴 a & <b>x*y')},
    ]);
  });
  it('a header is cut at 150 characters', () => {
    assert.deepEqual(blocksOf({title: [t('x'.repeat(150))]}), [
      {type: 'header', text: plain('x'.repeat(150))},
    ]);
    assert.deepEqual(blocksOf({title: [t('x'.repeat(151))]}), [
      {type: 'header', text: plain(`${'x'.repeat(149)}…`)},
    ]);
  });
  it('a user is no reason to leave the header', () => {
    assert.deepEqual(blocksOf({title: [t('by '), {type: 'user', id: 'U1'}]}), [
      {type: 'header', text: plain('by @U1')},
    ]);
  });
  it('with a time: a bold section, its stars turned into look-alikes', () => {
    assert.deepEqual(
      blocksOf({
        title: [
          t('a*b & '),
          c('c*d'),
          {type: 'time', epochMs: 2000, plain: 'P*', slackFormat: 'F'},
        ],
      }),
      [section('*a∗b &amp; `c∗d`<!date^2^F|P*>*')],
    );
  });
  it('with a link: a bold section', () => {
    assert.deepEqual(
      blocksOf({title: [t('see '), {type: 'link', url: 'https://x', label: 'it'}]}),
      [section('*see <https://x|it>*')],
    );
  });
});

describe('the lead and other sections: cut at 3,000 characters', () => {
  it('3,000 whole, 3,001 cut', () => {
    assert.deepEqual(blocksOf({lead: [t('x'.repeat(3000))]}), [section('x'.repeat(3000))]);
    assert.deepEqual(blocksOf({lead: [t('x'.repeat(3001))]}), [section(`${'x'.repeat(2999)}…`)]);
  });
});

describe('fields', () => {
  const f = (n: number) => ({label: `L${n}`, value: [t(`v${n}`)]});
  it('label in bold, value on the next line, escaped', () => {
    assert.deepEqual(blocksOf({fields: [{label: 'a&b', value: [t('<v>'), c('j')]}]}), [
      {type: 'section', fields: [mrkdwn('*a&amp;b*\n&lt;v&gt;`j`')]},
    ]);
  });
  it('ten fit one section; the eleventh starts another', () => {
    const ten = Array.from({length: 10}, (_, i) => f(i));
    assert.deepEqual(blocksOf({fields: ten}), [
      {type: 'section', fields: ten.map(x => mrkdwn(`*${x.label}*\n${x.label.replace('L', 'v')}`))},
    ]);
    const eleven = Array.from({length: 11}, (_, i) => f(i));
    const blocks = blocksOf({fields: eleven});
    assert.equal(blocks.length, 2);
    assert.deepEqual(blocks[1], {type: 'section', fields: [mrkdwn('*L10*\nv10')]});
    assert.ok(blocks[0] !== undefined && 'fields' in blocks[0]);
    assert.equal(blocks[0].fields.length, 10);
  });
  it('a field is cut at 2,000 characters', () => {
    // `*L*\n` takes four.
    assert.deepEqual(blocksOf({fields: [{label: 'L', value: [t('x'.repeat(1996))]}]}), [
      {type: 'section', fields: [mrkdwn(`*L*\n${'x'.repeat(1996)}`)]},
    ]);
    assert.deepEqual(blocksOf({fields: [{label: 'L', value: [t('x'.repeat(1997))]}]}), [
      {type: 'section', fields: [mrkdwn(`*L*\n${'x'.repeat(1995)}…`)]},
    ]);
  });
});

describe('recent runs: small print', () => {
  it('the strip, and how long a success usually takes', () => {
    assert.deepEqual(
      blocksOf({recentRuns: {label: 'Recent runs', strip: '✅ ❌ ⏰', usual: 'usually 12m'}}),
      [{type: 'context', elements: [mrkdwn('*Recent runs:* ✅ ❌ ⏰  ·  usually 12m')]}],
    );
  });
  it('no usual duration: the strip alone; escaped', () => {
    assert.deepEqual(blocksOf({recentRuns: {label: 'R&R', strip: '<✅>', usual: null}}), [
      {type: 'context', elements: [mrkdwn('*R&amp;R:* &lt;✅&gt;')]},
    ]);
    assert.deepEqual(blocksOf({recentRuns: {label: 'R', strip: '✅', usual: 'a<b'}}), [
      {type: 'context', elements: [mrkdwn('*R:* ✅  ·  a&lt;b')]},
    ]);
  });
  it('none: no block', () => assert.deepEqual(blocksOf({recentRuns: null}), []));
});

describe('why: the reason, the details and the quoted message, one section', () => {
  it('all three', () => {
    assert.deepEqual(
      blocksOf({
        reason: {label: 'Reason', value: [t('Back&Off')]},
        details: [
          {label: 'Container m', value: [t('OOM')]},
          {label: 'Pod <p>', value: [t('Evicted')]},
        ],
        quote: 'line <1>\nline 2',
      }),
      [
        section(
          '*Reason:* Back&amp;Off\n*Container m:* OOM\n*Pod &lt;p&gt;:* Evicted\n>line &lt;1&gt;\n>line 2',
        ),
      ],
    );
  });
  it('a quote alone', () => assert.deepEqual(blocksOf({quote: 'q'}), [section('>q')]));
  it('a detail alone', () =>
    assert.deepEqual(blocksOf({details: [{label: 'D', value: [t('d')]}]}), [section('*D:* d')]));
});

describe('titled lists (the digest)', () => {
  it('the title in bold, a line each, what was left out in italics', () => {
    assert.deepEqual(
      blocksOf({
        sections: [
          {title: 'Open & old', lines: [[t('a')], [c('b')]], more: 'and <2> more'},
          {title: 'Flapped', lines: [[t('c')]], more: null},
        ],
      }),
      [section('*Open &amp; old*\na\n`b`\n_and &lt;2&gt; more_'), section('*Flapped*\nc')],
    );
  });
});

describe('a log excerpt and commands: code blocks', () => {
  it('the log under its title, its notes as small print, escaped, fences defused', () => {
    assert.deepEqual(
      blocksOf({log: {title: 'Log <main>', text: 'a & b\n```x```', notes: ['n<1>', 'n2']}}),
      [
        section("*Log &lt;main&gt;*\n```\na &amp; b\n'''x'''\n```"),
        {type: 'context', elements: [mrkdwn('n&lt;1&gt;'), mrkdwn('n2')]},
      ],
    );
  });
  it('no lines: the notes alone; no notes: the lines alone', () => {
    assert.deepEqual(blocksOf({log: {title: 'L', text: null, notes: ['why']}}), [
      {type: 'context', elements: [mrkdwn('why')]},
    ]);
    assert.deepEqual(blocksOf({log: {title: 'L', text: 'x', notes: []}}), [
      section('*L*\n```\nx\n```'),
    ]);
  });
  // `*T*\n```\n` and `\n```` leave 3,000 - 8 - 4 = 2,988 characters for the lines.
  it('lines that fit exactly are all kept', () => {
    const text = `${'a'.repeat(1000)}\n${'b'.repeat(1000)}\n${'c'.repeat(986)}`;
    assert.deepEqual(blocksOf({log: {title: 'T', text, notes: []}}), [
      section(`*T*\n\`\`\`\n${text}\n\`\`\``),
    ]);
  });
  it('one character more: the oldest line goes', () => {
    const text = `${'a'.repeat(1000)}\n${'b'.repeat(1000)}\n${'c'.repeat(987)}`;
    assert.deepEqual(blocksOf({log: {title: 'T', text, notes: []}}), [
      section(`*T*\n\`\`\`\n${'b'.repeat(1000)}\n${'c'.repeat(987)}\n\`\`\``),
    ]);
  });
  it('one line too long: its end is kept', () => {
    const text = `${'a'.repeat(112)}${'b'.repeat(2988)}`;
    assert.deepEqual(blocksOf({log: {title: 'T', text, notes: []}}), [
      section(`*T*\n\`\`\`\n${'b'.repeat(2988)}\n\`\`\``),
    ]);
  });
  it('commands: one a line, no title', () => {
    assert.deepEqual(blocksOf({commands: ['kubectl a', 'b && c']}), [
      section('```\nkubectl a\nb &amp;&amp; c\n```'),
    ]);
  });
  it('a command block without a title has 2,992 characters for its lines', () => {
    const long = `${'a'.repeat(10)}\n${'b'.repeat(2990)}`;
    assert.deepEqual(blocksOf({commands: [long]}), [
      section(`\`\`\`\n${'b'.repeat(2990)}\n\`\`\``),
    ]);
  });
});

describe('notes: small print', () => {
  it('one element each, escaped', () => {
    assert.deepEqual(blocksOf({notes: [[t('n1')], [t('n<2>')]]}), [
      {type: 'context', elements: [mrkdwn('n1'), mrkdwn('n&lt;2&gt;')]},
    ]);
  });
});

const LINK: Action = {type: 'link', id: 'logs', url: 'https://x', label: 'Logs'};
const LINK_ELEMENT: SlackElement = {
  type: 'button',
  action_id: 'link-logs',
  text: plain('Logs'),
  url: 'https://x',
};

describe('the order of the parts', () => {
  it('title, mention, lead, fields, recent runs, why, lists, log, commands, notes, buttons', () => {
    const blocks = blocksOf({
      title: [t('T')],
      mention: '<!here>',
      lead: [t('L')],
      fields: [{label: 'F', value: [t('f')]}],
      recentRuns: {label: 'R', strip: '✅', usual: null},
      reason: {label: 'Why', value: [t('w')]},
      sections: [{title: 'S', lines: [], more: null}],
      log: {title: 'Log', text: 'l', notes: ['ln']},
      commands: ['cmd'],
      notes: [[t('n')]],
      actions: [LINK],
    });
    assert.deepEqual(blocks, [
      {type: 'header', text: plain('T')},
      section('<!here>'),
      section('L'),
      {type: 'section', fields: [mrkdwn('*F*\nf')]},
      {type: 'context', elements: [mrkdwn('*R:* ✅')]},
      section('*Why:* w'),
      section('*S*'),
      section('*Log*\n```\nl\n```'),
      {type: 'context', elements: [mrkdwn('ln')]},
      section('```\ncmd\n```'),
      {type: 'context', elements: [mrkdwn('n')]},
      {type: 'actions', block_id: 'actions', elements: [LINK_ELEMENT]},
    ]);
  });
});

describe('50 blocks at most, the buttons last', () => {
  const lists = (n: number) =>
    Array.from({length: n}, (_, i) => ({title: `S${i}`, lines: [], more: null}));
  it('exactly 50: all kept', () => {
    const blocks = blocksOf({sections: lists(50)});
    assert.equal(blocks.length, 50);
    assert.deepEqual(blocks.at(-1), section('*S49*'));
  });
  it('51: the last is cut off', () => {
    const blocks = blocksOf({sections: lists(51)});
    assert.equal(blocks.length, 50);
    assert.deepEqual(blocks.at(-1), section('*S49*'));
  });
  it('with buttons: 49 and the buttons', () => {
    const blocks = blocksOf({sections: lists(50), actions: [LINK]});
    assert.equal(blocks.length, 50);
    assert.deepEqual(blocks.at(-2), section('*S48*'));
    assert.deepEqual(blocks.at(-1), {
      type: 'actions',
      block_id: 'actions',
      elements: [LINK_ELEMENT],
    });
  });
});

describe('buttons and menus', () => {
  const actionsOf = (actions: Action[]) => {
    const last = blocksOf({actions}).at(-1);
    return last?.type === 'actions' ? last.elements : null;
  };
  it('a link, a button and a menu, each with its action id', () => {
    assert.deepEqual(
      actionsOf([
        {type: 'link', id: 'runbook', url: 'https://r', label: 'Runbook'},
        {type: 'button', id: 'acknowledge', label: 'Ack', value: '{"v":1}'},
        {
          type: 'menu',
          id: 'snooze',
          label: 'Snooze',
          options: [
            {label: '1 hour', value: '1h'},
            {label: 'Until it recovers', value: 'recovery'},
          ],
        },
      ]),
      [
        {type: 'button', action_id: 'link-runbook', text: plain('Runbook'), url: 'https://r'},
        {
          type: 'button',
          action_id: 'cronjob-watcher:acknowledge',
          text: plain('Ack'),
          value: '{"v":1}',
        },
        {
          type: 'static_select',
          action_id: 'cronjob-watcher:snooze',
          placeholder: plain('Snooze'),
          options: [
            {text: plain('1 hour'), value: '1h'},
            {text: plain('Until it recovers'), value: 'recovery'},
          ],
        },
      ],
    );
  });
  it('none: no actions block', () => assert.equal(actionsOf([]), null));
  it('a URL of 3,000 characters is kept, one of 3,001 left out', () => {
    const url = (n: number) => `https://x/${'a'.repeat(n - 10)}`;
    const links = [3000, 3001].map(
      n => ({type: 'link', id: 'logs', url: url(n), label: `${n}`}) as Action,
    );
    assert.deepEqual(
      actionsOf(links)?.map(e => (e.type === 'button' ? e.text : null)),
      [plain('3000')],
    );
    assert.equal(actionsOf([links[1] as Action]), null);
  });
  it('a button value of 2,000 characters is kept, one of 2,001 left out', () => {
    const buttons = [2000, 2001].map(
      n => ({type: 'button', id: 'acknowledge', label: `${n}`, value: 'v'.repeat(n)}) as Action,
    );
    assert.deepEqual(
      actionsOf(buttons)?.map(e => (e.type === 'button' ? e.text : null)),
      [plain('2000')],
    );
  });
  it('25 elements at most', () => {
    const many = Array.from(
      {length: 26},
      (_, i) => ({type: 'link', id: 'logs', url: `https://x/${i}`, label: `${i}`}) as Action,
    );
    const kept = actionsOf(many);
    assert.equal(kept?.length, 25);
    assert.deepEqual(kept?.at(-1), {
      type: 'button',
      action_id: 'link-logs',
      text: plain('24'),
      url: 'https://x/24',
    });
  });
  it('a label is cut at 75 characters', () => {
    const labels = [75, 76].map(
      n => ({type: 'link', id: 'logs', url: 'https://x', label: 'x'.repeat(n)}) as Action,
    );
    assert.deepEqual(
      actionsOf(labels)?.map(e => (e.type === 'button' ? e.text.text : null)),
      ['x'.repeat(75), `${'x'.repeat(74)}…`],
    );
  });
  it('a menu holds 100 options at most, each value 150 characters at most', () => {
    const options = Array.from({length: 101}, (_, i) => ({label: `${i}`, value: `${i}`}));
    options[0] = {label: 'long', value: 'v'.repeat(151)};
    options[1] = {label: 'just', value: 'w'.repeat(150)};
    const menu = actionsOf([{type: 'menu', id: 'snooze', label: 'x'.repeat(76), options}])?.[0];
    assert.ok(menu?.type === 'static_select');
    assert.equal(menu.options.length, 100);
    assert.deepEqual(menu.options[0], {text: plain('long'), value: 'v'.repeat(150)});
    assert.deepEqual(menu.options[1], {text: plain('just'), value: 'w'.repeat(150)});
    assert.deepEqual(menu.options[99], {text: plain('99'), value: '99'});
    assert.deepEqual(menu.placeholder, plain(`${'x'.repeat(74)}…`));
  });
});

describe('every message of a notification', () => {
  const A = of({summary: [t('a')]});
  const B = of({summary: [t('b')]});
  const C = of({summary: [t('c')]});
  const r = (s: string) => ({text: s, blocks: []});
  it('closed: the update, the reply and the standalone; quiet only when it is', () => {
    assert.deepEqual(
      renderSlackMessages({kind: 'closed', update: A, reply: B, standalone: C, quiet: true}),
      {kind: 'closed', update: r('a'), reply: r('b'), standalone: r('c'), quiet: true},
    );
    assert.deepEqual(
      renderSlackMessages({kind: 'closed', update: A, reply: B, standalone: C, quiet: false}),
      {kind: 'closed', update: r('a'), reply: r('b'), standalone: r('c')},
    );
    assert.deepEqual(renderSlackMessages({kind: 'closed', update: A, reply: B, standalone: C}), {
      kind: 'closed',
      update: r('a'),
      reply: r('b'),
      standalone: r('c'),
    });
  });
  it('opened: the post, and the thread reply when there is one', () => {
    assert.deepEqual(renderSlackMessages({kind: 'opened', post: A}), {
      kind: 'opened',
      post: r('a'),
    });
    assert.deepEqual(renderSlackMessages({kind: 'opened', post: A, reply: B}), {
      kind: 'opened',
      post: r('a'),
      reply: r('b'),
    });
  });
  it('recovered, reminder, acted', () => {
    assert.deepEqual(renderSlackMessages({kind: 'recovered', post: A}), {
      kind: 'recovered',
      post: r('a'),
    });
    assert.deepEqual(renderSlackMessages({kind: 'reminder', reply: B}), {
      kind: 'reminder',
      reply: r('b'),
    });
    assert.deepEqual(renderSlackMessages({kind: 'acted', update: A, reply: B}), {
      kind: 'acted',
      update: r('a'),
      reply: r('b'),
    });
  });
});
