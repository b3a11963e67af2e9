/**
 * Layer 3: secrets of no known shape, found the way Yelp's detect-secrets finds them — Shannon
 * entropy of a run of base64 / URL-safe base64 or hex characters above a limit — with the
 * guards a log needs, since detect-secrets looks only at quoted strings in source code and a
 * log is all unquoted words, paths and identifiers.
 */
import type {SecretRange} from './ranges.js';

// detect-secrets' default limits (Base64HighEntropyString 4.5, HexHighEntropyString 3.0).
const BASE64_ENTROPY_LIMIT = 4.5;
const HEX_ENTROPY_LIMIT = 3.0;
// Shorter runs cannot reach the base64 limit anyway (log2(22) < 4.5); hex ones could, and a
// 16-hex span ID or a short Docker ID is no secret.
const MIN_TOKEN_CHARS = 20;
// Hex runs of these lengths are the identifiers a log is full of: MongoDB ObjectIds (24),
// trace IDs and MD5s (32), git commits (40), image digests and container IDs (64), SHA-512
// (128). A hex secret of these lengths is masked only by its context (`api_key=…`).
const HEX_ID_LENGTHS = new Set([24, 32, 40, 64, 128]);
// A run of base64 / URL-safe characters; `=` only as trailing padding, so `key=value` splits.
const TOKEN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX = /^[0-9a-fA-F]+$/;
const SRI = /^sha(?:256|384|512)-/;
// Published hashes, not secrets: subresource integrity (`sha512-…`), Go module sums (`h1:…`),
// digests (`sha256:…`).
const HASH_PREFIX = /(?:\bsha(?:1|224|256|384|512)[-:]|\bmd5[-:]|\bh1:)$/i;

/** Shannon entropy, in bits per character, of the characters of `text`. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Whether one run of token characters looks random enough to be a secret. */
export function looksRandom(token: string): boolean {
  const body = token.replace(/=+$/, '');
  if (body.length < MIN_TOKEN_CHARS) return false;
  if (HEX.test(body)) {
    // Digits alone are counters and timestamps; one case of letters alone is a word.
    if (!/[0-9]/.test(body) || !/[a-fA-F]/.test(body)) return false;
    if (HEX_ID_LENGTHS.has(body.length)) return false;
    return shannonEntropy(body) > HEX_ENTROPY_LIMIT;
  }
  // Random base64 of this length has all three classes almost surely; names of Kubernetes
  // objects, paths and most identifiers lack capitals or digits.
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body) || !/[0-9]/.test(body)) return false;
  if (shannonEntropy(body) <= BASE64_ENTROPY_LIMIT) return false;
  return !isPathOfWords(body);
}

// A path is words between slashes: `/home/ci/Build2/Reports/QuarterlySummary`. Random base64
// with slashes has segments that switch character class at most characters. A capital that
// starts a word (`Reports`, `JenkinsHome`, `Db`) is part of the word, not a switch; else every
// short capitalised segment (`/Db/`, `/Vm/`) would make its path look random.
function isPathOfWords(body: string): boolean {
  if (!body.includes('/')) return false;
  const segments = body.split('/').filter(s => s !== '');
  return segments.length >= 2 && segments.every(s => classSwitches(s) <= s.length / 4);
}

const LOWER = 0;
const UPPER = 1;

function classOf(char: string): number {
  if (char >= 'a' && char <= 'z') return LOWER;
  if (char >= 'A' && char <= 'Z') return UPPER;
  if (char >= '0' && char <= '9') return 2;
  return 3;
}

function classSwitches(text: string): number {
  let switches = 0;
  for (let i = 1; i < text.length; i++) {
    const before = classOf(text[i - 1]!);
    const now = classOf(text[i]!);
    const wordStart =
      before === UPPER && now === LOWER && (i < 2 || classOf(text[i - 2]!) !== UPPER);
    if (now !== before && !wordStart) switches++;
  }
  return switches;
}

/** The runs of `line` that look random, as ranges of the line. */
export function randomTokenRanges(line: string): SecretRange[] {
  const ranges: SecretRange[] = [];
  for (const match of line.matchAll(TOKEN)) {
    let token = match[0];
    let start = match.index;
    if (HASH_PREFIX.test(line.slice(Math.max(0, start - 7), start)) || SRI.test(token)) continue;
    // `com/services/…`, `/v1/tokens/…`: the words of a path before a token are no part of it.
    const words = /^\/?(?:[a-z][a-z0-9_-]*\/)+/.exec(token);
    if (words !== null && words[0].length < token.length) {
      token = token.slice(words[0].length);
      start += words[0].length;
    }
    if (looksRandom(token)) ranges.push({start, end: start + token.length});
  }
  return ranges;
}
