/**
 * Layer 2: the generic places a secret sits in a log line, whatever its vendor — credentials
 * in URLs, `key=value` / `key: value` / JSON pairs under a secret-like key, command-line
 * password flags, `Authorization` and `Cookie` headers, bearer tokens, base64 of a PEM block —
 * and the few token shapes a Slack-bound log must never show even when the vendor detector is
 * not loaded (AWS key IDs, JWTs, Google API keys, Slack and GitHub tokens, Slack webhooks).
 * Each rule masks the value and keeps what names it (`password=[masked]`,
 * `postgres://app:[masked]@db`), so a reader still sees what failed.
 */
import type {SecretRange} from './ranges.js';

/** The words of a key: `DB_PASSWORD` → db, password; `clientSecret` → client, secret. */
function keySegments(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(s => s !== '')
    .map(s => s.toLowerCase());
}

// The key's last word decides: `token` is a secret, `token_ttl`, `prompt_tokens` and
// `secretName` are not.
const SECRET_LAST_WORD =
  /^(?:[a-z0-9]*(?:password|passwd|passphrase|token|secret)|pass|pwd|pw|auth|apikey|accesskey|privatekey|secretkey|accountkey|authkey|sig|signature)$/;
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'account',
  'secret',
  'auth',
  'signing',
  'encryption',
  'master',
  'ssh',
  'client',
  'app',
  'license',
  'session',
]);
// Shell variables that only look like secret keys.
const NOT_SECRET_KEYS = new Set(['PWD', 'OLDPWD']);

/** Whether a key (`DB_PASS`, `x-api-key`, `AccountKey`, `--password`) names a secret. */
export function isSecretKey(key: string): boolean {
  if (NOT_SECRET_KEYS.has(key)) return false;
  const words = keySegments(key);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (SECRET_LAST_WORD.test(last)) return true;
  return last === 'key' && KEY_QUALIFIERS.has(words.at(-2) ?? '');
}

// Values that say a secret is absent or already hidden: a line showing them has nothing to
// mask and stays as it is. Short numbers are counts and ports (`pass: 12`).
const PLACEHOLDER =
  /^(?:\*+|x{3,}|\.{3}|…|<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_]+%?|null|nil|none|undefined|true|false|yes|no|on|off|enabled|disabled|required|optional|set|unset|empty|redacted|hidden|masked|\d{1,4})$/i;

function rangeOf(start: number, end: number, line: string): SecretRange | null {
  const value = line.slice(start, end);
  if (value.trim() === '' || PLACEHOLDER.test(value.trim())) return null;
  return {start, end};
}

/** Where the closing `quote` of a value opened at `from` is (the line's end when missing). */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (line.startsWith(quote, i) && (quote.length > 1 || line[i - 1] !== '\\')) return i;
  }
  return line.length;
}

// After a `key:` with no quote, the value runs to the line's end (`password: a b c` is one
// value) or to where the next pair starts (`{Password:x User:bob}`, `pw: x, host: db`).
const NEXT_PAIR = /(?:[,;]\s*|\s+)["']?[A-Za-z_][\w.-]*["']?[ \t]*(?:[:=])/g;
const UNQUOTED_END_OF_ASSIGNMENT = /[\s,;&"'<>)}\]]/;
const UNQUOTED_END_OF_JSON = /[\s,}\]]/;

/**
 * The range of the value starting at `from`: a quoted string (plain, single or `\"`-escaped)
 * is masked inside its quotes; an unquoted one as far as `separator` says it runs.
 */
function valueRange(
  line: string,
  from: number,
  separator: 'assign' | 'colon' | 'json' | 'word',
): SecretRange | null {
  if (line.startsWith('\\"', from)) {
    return rangeOf(from + 2, closingQuote(line, from + 2, '\\"'), line);
  }
  const first = line[from];
  if (first === '"' || first === "'") {
    return rangeOf(from + 1, closingQuote(line, from + 1, first), line);
  }
  const rest = line.slice(from);
  // `[REDACTED]`, `<hidden>`, `{{ .Values.password }}`: a bracketed placeholder.
  const bracketed = /^(?:\[[^\]]*\]|<[^>]*>|\{[^}]*\})/.exec(rest);
  if (bracketed !== null) return rangeOf(from, from + bracketed[0].length, line);
  let end: number;
  if (separator === 'colon') {
    NEXT_PAIR.lastIndex = 0;
    end = NEXT_PAIR.exec(rest)?.index ?? rest.length;
    while (end > 0 && /[\s,;)}\]]/.test(rest[end - 1]!)) end--;
  } else {
    const stop =
      separator === 'json'
        ? UNQUOTED_END_OF_JSON
        : separator === 'word'
          ? /\s/
          : UNQUOTED_END_OF_ASSIGNMENT;
    const at = rest.search(stop);
    end = at < 0 ? rest.length : at;
  }
  return rangeOf(from, from + end, line);
}

// `key=value`, `key: value`, `key => value`, `"key": "value"`, `\"key\":\"value\"`. The
// backreference makes a quoted key end with the quote it began with.
const PAIR = /(?<![A-Za-z0-9_.])(\\?["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1[ \t]*(=>|:=|[:=])[ \t]*/g;

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_LINE_START = /^(?:[ \t]*(?:\+[ \t]*)?(?:export[ \t]+)?)$/;

function pairRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(PAIR)) {
    const [whole, quote = '', key = '', separator = ''] = match;
    if (!isSecretKey(key)) continue;
    // `https://…` is no pair, nor the user of `https://user:password@`: the URL rule masks it.
    const from = match.index + whole.length;
    if (separator === ':' && line.startsWith('//', from)) continue;
    if (line.slice(0, match.index).endsWith('://')) continue;
    const kind = separator !== ':' ? 'assign' : quote !== '' ? 'json' : 'colon';
    // A line that is one environment variable (`env`, `printenv`, `set -x`, a .env file)
    // shows its value unquoted, spaces and all: `DB_PASS=two words` is one value. Its name in
    // quotes (`"DB_PASS"=two words`) is no shell's output, but the same to the end is masked:
    // the rest of the line is the value or nothing that matters.
    const wholeLine =
      separator === '=' &&
      ENV_NAME.test(key) &&
      !/^\\?["'[<{]/.test(line.slice(from)) &&
      ENV_LINE_START.test(line.slice(0, match.index));
    const range = wholeLine
      ? rangeOf(from, line.trimEnd().length, line)
      : valueRange(line, from, kind);
    if (range !== null) out.push(range);
  }
}

// `--password X`, `--db-password=X`, `--token "a b"`; a value never starts with `-`.
const LONG_FLAG = /(?<![\w-])--([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+|=)(?=[^\s-])/g;

const SHORT_PASSWORD_FLAGS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/\b(?:mysql\w*|mariadb\w*)\b/, /(?<=\s)-p(?=[^\s])/g],
  [/\b(?:sshpass|login)\b/, /(?<=\s)-p[ \t]*(?=[^\s-])/g],
];

function flagRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(LONG_FLAG)) {
    if (!isSecretKey(match[1] ?? '')) continue;
    const range = valueRange(line, match.index + match[0].length, 'word');
    if (range !== null) out.push(range);
  }
  // `mysql -pSecret` (a `-p` followed by a space prompts instead), `sshpass -p X`,
  // `docker login -p X`, `curl -u user:pass`: short flags mean a password only after these,
  // not before (`mkdir -pv /var/lib/mysql`).
  for (const [command, flag] of SHORT_PASSWORD_FLAGS) {
    const named = command.exec(line);
    if (named === null) continue;
    for (const match of line.matchAll(flag)) {
      if (match.index < named.index) continue;
      const range = valueRange(line, match.index + match[0].length, 'word');
      if (range !== null) out.push(range);
    }
  }
  if (/\bcurl\b/.test(line)) {
    const user = /(?<=\s)(?:-u|-U|--user|--proxy-user)(?:[ \t]+|=)?(["']?)[^\s:'"]*:([^\s'"]+)\1/g;
    for (const match of line.matchAll(user)) {
      const secret = match[2] ?? '';
      const end = match.index + match[0].length - (match[1] ?? '').length;
      const range = rangeOf(end - secret.length, end, line);
      if (range !== null) out.push(range);
    }
  }
}

/**
 * Where a header's value lies when it starts at `from`: inside its quotes (plain, or escaped as
 * in a JSON string), else from there to the line's end.
 */
function headerValueAt(line: string, from: number): {start: number; end: number; quoted: boolean} {
  if (line.startsWith('\\"', from)) {
    return {start: from + 2, end: closingQuote(line, from + 2, '\\"'), quoted: true};
  }
  const quote = line[from];
  if (quote === '"' || quote === "'") {
    return {start: from + 1, end: closingQuote(line, from + 1, quote), quoted: true};
  }
  return {start: from, end: line.length, quoted: false};
}

const AUTHORIZATION = /(?<![A-Za-z0-9_-])(?:proxy-)?authorization(\\?["']?)[ \t]*[:=][ \t]*/gi;
const AUTH_SCHEME = /^[A-Za-z][\w-]*[ \t]+(?=\S)/;

function authorizationRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(AUTHORIZATION)) {
    const from = match.index + match[0].length;
    const value = headerValueAt(line, from);
    const start = value.start;
    let end = value.end;
    if (!value.quoted) {
      // An unquoted header value runs to the line's end, or to a quote closing what held it.
      const quote = line.slice(from).search(/["']/);
      if (quote >= 0) end = from + quote;
    }
    // `Bearer`, `Basic`, `token`: the scheme says what kind of credential it was.
    const scheme = AUTH_SCHEME.exec(line.slice(start, end));
    const range = rangeOf(start + (scheme?.[0].length ?? 0), end, line);
    if (range !== null) out.push(range);
  }
}

const BEARER = /\bbearer[ \t]+(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])([A-Za-z0-9._~+/=-]{8,})/gi;

function bearerRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(BEARER)) {
    const token = match[1] ?? '';
    const end = match.index + match[0].length;
    out.push({start: end - token.length, end});
  }
}

const COOKIE = /(?<![A-Za-z0-9_-])(?:set-)?cookie(\\?["']?)[ \t]*[:=][ \t]*/gi;
// Attributes of a Set-Cookie header: what they say is not the cookie.
const COOKIE_ATTRIBUTES = /^(?:path|domain|expires|max-age|samesite|priority|version|comment)$/i;

function cookieRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(COOKIE)) {
    const {start, end} = headerValueAt(line, match.index + match[0].length);
    const header = line.slice(start, end);
    let found = false;
    for (const pair of header.matchAll(/([^;=\s]+)=([^;]*)/g)) {
      if (COOKIE_ATTRIBUTES.test(pair[1] ?? '')) continue;
      const valueEnd = start + pair.index + pair[0].length;
      const range = rangeOf(valueEnd - (pair[2] ?? '').length, valueEnd, line);
      if (range !== null) out.push(range);
      found = true;
    }
    // A cookie header without `name=value` pairs is a bare value: all of it.
    if (!found) {
      const range = rangeOf(start, end, line);
      if (range !== null) out.push(range);
    }
  }
}

// `scheme://user:password@host`, `redis://:password@host`, `https://token@github.com`. The
// userinfo runs to the last `@` before the path, so an unescaped `@` in a password is kept in.
const URL_USERINFO = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s/?#"'<>\\]+)@/g;
// A user alone is a token when it is this long and not a word (`git@`, `deploy@`).
const TOKEN_AS_USER_MIN_CHARS = 16;

function urlRanges(line: string, out: SecretRange[]): void {
  if (!line.includes('://')) return;
  for (const match of line.matchAll(URL_USERINFO)) {
    const userinfo = match[1] ?? '';
    const start = match.index + match[0].length - 1 - userinfo.length;
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const range = rangeOf(start + colon + 1, start + userinfo.length, line);
      if (range !== null) out.push(range);
    } else if (userinfo.length >= TOKEN_AS_USER_MIN_CHARS && /[0-9]/.test(userinfo)) {
      out.push({start, end: start + userinfo.length});
    }
  }
}

// Shapes masked whole, in one alternation so a line is scanned once: AWS access key IDs,
// JWTs, Google API keys, Slack and GitHub tokens.
const TOKEN_SHAPES = new RegExp(
  [
    /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/,
    /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/,
    /\bAIza[0-9A-Za-z_-]{35}/,
    /\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}/,
    /\bgh[pousr]_[A-Za-z0-9]{30,}/,
    /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  ]
    .map(r => r.source)
    .join('|'),
  'g',
);
// A Slack webhook keeps its host and kind.
const SLACK_WEBHOOK = /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]+)/g;
// Base64 of a PEM block (`-----BEGIN`) at each of the three byte alignments; the whole
// base64 run around it is masked.
const BASE64_PEM = /LS0tLS1CRUdJT|LS0tLUJFR0lO|tLS0tQkVHSU4/g;
const BASE64_CHAR = /[A-Za-z0-9+/]/;

function shapeRanges(line: string, out: SecretRange[]): void {
  for (const match of line.matchAll(TOKEN_SHAPES)) {
    out.push({start: match.index, end: match.index + match[0].length});
  }
  if (line.includes('hooks.slack.com')) {
    for (const match of line.matchAll(SLACK_WEBHOOK)) {
      const end = match.index + match[0].length;
      out.push({start: end - (match[1] ?? '').length, end});
    }
  }
  for (const match of line.matchAll(BASE64_PEM)) {
    let start = match.index;
    let end = start + match[0].length;
    while (start > 0 && BASE64_CHAR.test(line[start - 1]!)) start--;
    while (end < line.length && BASE64_CHAR.test(line[end]!)) end++;
    while (end < line.length && line[end] === '=') end++;
    out.push({start, end});
  }
}

/** The ranges of one line (no newline in it) that layer 2 masks. */
export function lineSecretRanges(line: string): SecretRange[] {
  const out: SecretRange[] = [];
  pairRanges(line, out);
  flagRanges(line, out);
  authorizationRanges(line, out);
  bearerRanges(line, out);
  cookieRanges(line, out);
  urlRanges(line, out);
  shapeRanges(line, out);
  return out;
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
// A line of a key's body, possibly after a log prefix (`2024-… stdout F MIIE…`), or a header
// of an encrypted key. The last line of a body may be short; a word alone is not one.
const PEM_BODY = /(?:^|\s)[A-Za-z0-9+/]{16,}={0,2}\s*$|^(?:Proc-Type|DEK-Info):/;
const PEM_LAST_LINE = /^\s*[A-Za-z0-9+/]+={0,2}\s*$/;

/**
 * The private-key lines of `lines`, as [line, start, end) column ranges: everything between
 * a BEGIN and an END marker (or on the marker's line after BEGIN / before END), and, where
 * the text starts inside a key or stops inside one, the body lines next to the lone marker.
 */
export function privateKeyRanges(lines: readonly string[]): Array<[number, SecretRange]> {
  const out: Array<[number, SecretRange]> = [];
  let open = -1;
  // Where the entries of the open key's body lines start in `out`.
  let openAt = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const begin = PEM_BEGIN.exec(line);
    const end = PEM_END.exec(line);
    if (begin !== null && end !== null && end.index > begin.index) {
      // A whole key on one line (`\n` escaped in JSON): its body only.
      out.push([i, {start: begin.index + begin[0].length, end: end.index}]);
      continue;
    }
    if (begin !== null) {
      open = i;
      out.push([i, {start: begin.index + begin[0].length, end: line.length}]);
      openAt = out.length;
      continue;
    }
    if (end !== null) {
      if (open < 0) {
        // The text starts inside the key: its body is the lines just above.
        const isBody = (j: number) => (j === i - 1 ? PEM_LAST_LINE : PEM_BODY).test(lines[j]!);
        for (let j = i - 1; j >= 0 && isBody(j); j--) {
          out.push([j, {start: 0, end: lines[j]!.length}]);
        }
      }
      out.push([i, {start: 0, end: end.index}]);
      open = -1;
      continue;
    }
    if (open >= 0) out.push([i, {start: 0, end: line.length}]);
  }
  if (open >= 0) {
    // The text stops inside the key (or the key was never closed): its body is the lines
    // that look like one, the last maybe short (after a body line, or after a BEGIN line
    // that ends in body); what follows them is the log going on.
    const stop = out.findIndex(
      ([i], k) =>
        k >= openAt &&
        !PEM_BODY.test(lines[i]!) &&
        !(PEM_BODY.test(lines[i - 1]!) && PEM_LAST_LINE.test(lines[i]!)),
    );
    if (stop >= 0) out.length = stop;
  }
  return out;
}
