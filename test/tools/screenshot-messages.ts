/**
 * Pictures of the messages for the README (docs/pictures/*.png): the golden table's
 * notifications (test/support/message-cases.ts) rendered to Block Kit by today's code, drawn
 * as a Slack channel at Slack's 600-pixel message column in a small HTML page, and
 * photographed with headless Chromium. Times are drawn as Slack draws its date tokens, in a
 * reader's zone (UTC for English, Asia/Tokyo for Japanese) at the moment the picture is "viewed".
 *
 * Not a test and not run by `npm test`. Needs Debian's Chromium and fonts:
 *
 *   apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji
 *   npx tsc -p tsconfig.json && node build/test/tools/screenshot-messages.js [OUT_DIR [FILES]]
 *
 * OUT_DIR defaults to docs/pictures; the HTML pages are left beside the pictures' work dir.
 * FILES (comma-separated, e.g. digest-en.png,digest-ja.png) draws only those pictures.
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {buildMessages} from '../../functions/core/messages/build.js';
import {
  renderSlack,
  renderSlackMessages,
  type SlackBlock,
  type SlackMessage,
} from '../../functions/core/messages/render-slack.js';
import {buildStormMessage} from '../../functions/core/storms/messages.js';
import {messageCases, stormCases, type MessageCase} from '../support/message-cases.js';
import {digestCases} from '../support/digest-cases.js';
import {digestMessage} from '../../functions/core/digest/messages.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';

type Language = 'en' | 'ja';

/** What one picture shows: messages in a channel, some with a thread reply under them. */
interface Picture {
  file: string;
  language: Language;
  channel: string;
  /** When the reader looks, for Slack's relative dates. */
  viewedAt: string;
  height: number;
  /** Rows of the golden table; a closed one shows its update with its reply in the thread. */
  rows: string[];
  /**
   * A storm parent of the golden table (`stormCases`) drawn after the rows, with these rows'
   * messages in its thread and a line for the rest of its replies.
   */
  storm?: {name: string; thread: string[]};
}

const PICTURES: Picture[] = [
  {
    file: 'channel-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-02T03:45:00Z',
    height: 1750,
    rows: [
      'failing-closed.en',
      'recovered.en',
      'missed-opened.en',
      'stuck-then-failed.en',
      'unreadable-opened.en',
    ],
  },
  {
    file: 'channel-ja.png',
    language: 'ja',
    channel: '#alerts',
    viewedAt: '2026-03-02T03:45:00Z',
    height: 1750,
    rows: [
      'failing-closed.ja',
      'recovered.ja',
      'missed-opened.ja',
      'stuck-then-failed.ja',
      'unreadable-opened.ja',
    ],
  },
  {
    file: 'failing-opened-en.png',
    language: 'en',
    channel: '#team-backups',
    viewedAt: '2026-03-02T01:22:00Z',
    height: 900,
    rows: ['failing-opened.en'],
  },
  {
    file: 'stuck-opened-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-02T02:22:00Z',
    height: 700,
    rows: ['stuck-opened.en'],
  },
  {
    file: 'unreadable-opened-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-02T03:42:00Z',
    height: 700,
    rows: ['unreadable-opened.en'],
  },
  {
    file: 'storm-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-02T02:45:00Z',
    height: 2000,
    rows: [],
    storm: {
      name: 'storm-progress.en',
      thread: ['failing-opened.en', 'stuck-opened.en'],
    },
  },
  {
    file: 'storm-ja.png',
    language: 'ja',
    channel: '#alerts',
    viewedAt: '2026-03-02T02:45:00Z',
    height: 2000,
    rows: [],
    storm: {
      name: 'storm-progress.ja',
      thread: ['failing-opened.ja', 'stuck-opened.ja'],
    },
  },
  {
    file: 'failing-opened-ja.png',
    language: 'ja',
    channel: '#team-backups',
    viewedAt: '2026-03-02T01:22:00Z',
    height: 900,
    rows: ['failing-opened.ja'],
  },
  {
    file: 'durations-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-02T03:40:00Z',
    height: 700,
    rows: ['slower-closed.en', 'too-fast-opened.en'],
  },
  {
    file: 'durations-ja.png',
    language: 'ja',
    channel: '#alerts',
    viewedAt: '2026-03-02T03:40:00Z',
    height: 700,
    rows: ['slower-closed.ja', 'too-fast-opened.ja'],
  },
  {
    file: 'digest-en.png',
    language: 'en',
    channel: '#alerts',
    viewedAt: '2026-03-03T00:01:00Z',
    height: 520,
    rows: ['digest.en'],
  },
  {
    file: 'digest-ja.png',
    language: 'ja',
    channel: '#alerts',
    viewedAt: '2026-03-03T00:01:00Z',
    height: 520,
    rows: ['digest.ja'],
  },
  {
    file: 'quiet-hours-en.png',
    language: 'en',
    channel: '#team-backups',
    viewedAt: '2026-03-03T01:10:00Z',
    height: 660,
    rows: ['failing-opened-after-maintenance.en', 'failing-reminder.en'],
  },
];

function html(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's mrkdwn is already escaped (`&amp;`, `&lt;`, `&gt;`): only its markup is turned into HTML. */
class Mrkdwn {
  constructor(
    readonly language: Language,
    private readonly viewedAt: Date,
  ) {}

  private zone(): string {
    return this.language === 'ja' ? 'Asia/Tokyo' : 'UTC';
  }

  private dayOf(d: Date): string {
    return new Intl.DateTimeFormat('en-CA', {timeZone: this.zone()}).format(d);
  }

  /** A Slack date token as a reader in `zone` would see it. */
  date(epochS: number, format: string): string {
    const d = new Date(epochS * 1000);
    const zone = this.zone();
    const locale = this.language === 'ja' ? 'ja-JP' : 'en-US';
    const days = Math.round(
      (Date.parse(this.dayOf(d)) - Date.parse(this.dayOf(this.viewedAt))) / 86_400_000,
    );
    const pretty =
      days === 0
        ? this.language === 'ja'
          ? '今日'
          : 'today'
        : days === -1
          ? this.language === 'ja'
            ? '昨日'
            : 'yesterday'
          : days === 1
            ? this.language === 'ja'
              ? '明日'
              : 'tomorrow'
            : new Intl.DateTimeFormat(locale, {
                timeZone: zone,
                month: 'short',
                day: 'numeric',
                year: 'numeric',
              }).format(d);
    const time = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      hour: 'numeric',
      minute: '2-digit',
      hour12: this.language !== 'ja',
    }).format(d);
    return format.replace('{date_short_pretty}', pretty).replace('{time}', time);
  }

  inline(text: string): string {
    return text
      .replace(/<!date\^(\d+)\^([^|>]+)\|[^>]*>/g, (_, s: string, f: string) =>
        this.date(Number(s), f),
      )
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
      .replace(/<!subteam\^[^>]+>/g, '<span class="mention">@oncall</span>')
      .replace(/`([^`\n]+)`/g, '<code>$1</code>')
      .replace(/\*([^*\n]+)\*/g, '<b>$1</b>');
  }

  block(text: string): string {
    const parts = text.split('```');
    return parts
      .map((part, i) => {
        if (i % 2 === 1) return `<pre>${part.replace(/^\n/, '').replace(/\n$/, '')}</pre>`;
        return part
          .split('\n')
          .map(line =>
            line.startsWith('&gt;')
              ? `<blockquote>${this.inline(line.slice(4))}</blockquote>`
              : this.inline(line),
          )
          .join('<br>')
          .replace(/(<\/blockquote>)<br>/g, '$1')
          .replace(/^<br>|<br>$/g, '');
      })
      .join('');
  }
}

function blocksHtml(blocks: SlackBlock[], md: Mrkdwn): string {
  return blocks
    .map(b => {
      switch (b.type) {
        case 'header':
          return `<div class="header">${html(b.text.text)}</div>`;
        case 'section':
          return 'fields' in b
            ? `<div class="fields">${b.fields.map(f => `<div>${md.block(f.text)}</div>`).join('')}</div>`
            : `<div class="section">${md.block(b.text.text)}</div>`;
        case 'context':
          return `<div class="context">${b.elements.map(e => md.block(e.text)).join(' ')}</div>`;
        case 'actions':
          return `<div class="actions">${b.elements.map(e => `<span class="button">${html(e.type === 'button' ? e.text.text : `${e.placeholder.text} ▾`)}</span>`).join('')}</div>`;
      }
    })
    .join('\n');
}

function messageHtml(
  message: SlackMessage,
  at: string,
  md: Mrkdwn,
  edited = false,
  push = true,
): string {
  const time = md.date(Date.parse(at) / 1000, '{time}');
  return `<div class="message"><div class="avatar">CW</div><div class="body">
<div class="who"><b>cronjob-watcher</b> <span class="app">APP</span> <span class="time">${time}</span></div>
${blocksHtml(message.blocks, md)}${edited ? '<div class="edited">(edited)</div>' : ''}
${push ? `<div class="push">${md.language === 'ja' ? '通知' : 'Notification'}: ${md.inline(message.text)}</div>` : ''}
</div></div>`;
}

function rowHtml(row: MessageCase, md: Mrkdwn): string {
  const rendered = renderSlackMessages(buildMessages(row.notification, row.context));
  const at = row.notification.createdAt;
  switch (rendered.kind) {
    case 'opened':
      if (rendered.reply !== undefined) {
        // Continues the 🐢 thread: the opening now shows the failure, the thread says one line.
        return (
          messageHtml(rendered.post, row.notification.incident.openedAt, md, true) +
          `<div class="thread">${messageHtml(rendered.reply, at, md, false, false)}</div>`
        );
      }
      return messageHtml(rendered.post, at, md);
    case 'recovered':
      return messageHtml(rendered.post, at, md);
    case 'closed':
      return (
        messageHtml(rendered.update, row.notification.incident.openedAt, md, true) +
        `<div class="thread">${messageHtml(rendered.reply, at, md, false, false)}</div>`
      );
    case 'reminder':
      return `<div class="thread">${messageHtml(rendered.reply, at, md, false, false)}</div>`;
    case 'acted':
      return (
        messageHtml(rendered.update, row.notification.incident.openedAt, md, true) +
        (rendered.reply === null
          ? ''
          : `<div class="thread">${messageHtml(rendered.reply, at, md, false, false)}</div>`)
      );
  }
}

/** A storm parent (edited: it is kept current) with a few of its members' messages in its thread. */
function stormHtml(
  picture: NonNullable<Picture['storm']>,
  rows: MessageCase[],
  md: Mrkdwn,
): string {
  const stormCase = stormCases().find(c => c.name === picture.name);
  if (stormCase === undefined) throw new Error(`no storm ${picture.name} in the message table`);
  const parent = renderSlack(buildStormMessage(stormCase.storm, stormCase.cluster));
  const replies = picture.thread.map(name => {
    const row = rows.find(r => r.name === name);
    if (row === undefined) throw new Error(`no row ${name} in the message table`);
    const rendered = renderSlackMessages(buildMessages(row.notification, row.context));
    if (rendered.kind !== 'opened') throw new Error(`${name} is not an opening`);
    return messageHtml(rendered.post, row.notification.createdAt, md, false, false);
  });
  const rest = stormCase.storm.members.length - replies.length;
  const more = md.language === 'ja' ? `ほか ${rest} 件の返信` : `${rest} more replies`;
  return (
    messageHtml(parent, stormCase.storm.openedAt, md, true) +
    `<div class="thread">${replies.join('')}<div class="more">${more}</div></div>`
  );
}

const STYLE = `
.more { padding: 6px 20px 10px; font-size: 13px; color: #1264a3; font-weight: 700; }
body { margin: 0; font: 15px/1.46 'Lato', 'Noto Sans', 'Noto Sans CJK JP', 'DejaVu Sans', sans-serif; color: #1d1c1d; background: #fff; }
.page { width: 720px; }
.top { padding: 14px 20px; border-bottom: 1px solid #ddd; font-weight: 900; font-size: 18px; }
.top span { font-weight: 400; font-size: 13px; color: #616061; margin-left: 8px; }
.message { display: flex; padding: 8px 20px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #2eb67d; color: #fff; font-weight: 900; display: flex; align-items: center; justify-content: center; margin-right: 8px; flex: none; }
.body { width: 600px; }
.who .app { font-size: 10px; background: #ddd; color: #555; padding: 0 3px; border-radius: 2px; }
.who .time { font-size: 12px; color: #616061; }
.header { font-size: 18px; font-weight: 900; margin: 4px 0; }
.section { margin: 4px 0; white-space: normal; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; margin: 6px 0; }
.context { font-size: 12px; color: #616061; margin: 4px 0; }
code { font: 12px 'DejaVu Sans Mono', monospace; color: #e01e5a; background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px; }
pre { font: 12px/1.5 'DejaVu Sans Mono', monospace; background: #f8f8f8; border: 1px solid #ddd; border-radius: 4px; padding: 8px; white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
blockquote { border-left: 4px solid #ddd; margin: 2px 0; padding-left: 12px; }
a { color: #1264a3; text-decoration: none; }
.actions { margin: 8px 0 4px; }
.button { display: inline-block; border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px; margin-right: 8px; font-weight: 700; font-size: 13px; }
.mention { background: #e8f5fa; color: #1264a3; }
.edited { font-size: 12px; color: #616061; }
.thread { margin-left: 64px; border-left: 3px solid #ddd; }
.push { margin-top: 6px; font-size: 12px; color: #616061; border: 1px dashed #bbb; border-radius: 4px; padding: 4px 8px; }
`;

function pageHtml(picture: Picture): string {
  const md = new Mrkdwn(picture.language, new Date(picture.viewedAt));
  const rows = messageCases();
  const body = picture.rows
    .map(name => {
      const digest = digestCases().find(c => c.name === name);
      if (digest !== undefined) {
        return messageHtml(renderSlack(digestMessage(digest.content)), digest.content.at, md);
      }
      const row = rows.find(r => r.name === name);
      if (row === undefined) throw new Error(`no row ${name} in the message table`);
      return rowHtml(row, md);
    })
    .join('\n');
  const storm = picture.storm === undefined ? '' : stormHtml(picture.storm, rows, md);
  const viewed = md.date(Date.parse(picture.viewedAt) / 1000, '{time}');
  return `<!doctype html><html lang="${picture.language}"><meta charset="utf-8"><style>${STYLE}</style>
<div class="page"><div class="top">${picture.channel}<span>viewed ${viewed} (${picture.language === 'ja' ? 'Asia/Tokyo' : 'UTC'})</span></div>${body}${storm}</div></html>`;
}

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs', 'pictures'));
mkdirSync(out, {recursive: true});
const work = mkdtempSync(path.join(tmpdir(), 'cw-pictures-'));
// Optional: only these pictures (comma-separated file names), leaving the others as they are.
const only = process.argv[3]?.split(',');
for (const picture of PICTURES.filter(p => only === undefined || only.includes(p.file))) {
  const page = path.join(work, picture.file.replace(/\.png$/, '.html'));
  writeFileSync(page, pageHtml(picture));
  // A fresh profile each time: nothing of a previous run, no network, no updates.
  const profile = mkdtempSync(path.join(work, 'profile-'));
  execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      `--screenshot=${path.join(out, picture.file)}`,
      `--window-size=720,${picture.height}`,
      `file://${page}`,
    ],
    {stdio: 'ignore'},
  );
  console.log(`${picture.file}: ${path.join(out, picture.file)}`);
}
console.log(`pages: ${work}`);
