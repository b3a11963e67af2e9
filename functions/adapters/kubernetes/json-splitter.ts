/**
 * Cuts a list page into its items without parsing it: the byte-level scan that lets the reader
 * parse one object at a time (short-lived strings instead of one multi-megabyte string per
 * page) and drop the parts of each object nothing reads before parsing them.
 */
import {ownsSuspend} from '../../core/kube-objects.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

// Depths while scanning a list page: 1 inside the list object, 2 inside `items`, 3 inside one
// object, 4 inside its `metadata` / `spec`, 5 inside `metadata.annotations`.
const ITEM_DEPTH = 3;

/**
 * Parts of an object that no parser of this reader reads and that make up most of its bytes:
 * the pod template every Job copies from its CronJob (and the CronJob's own Job template), the
 * managed-fields bookkeeping, and kubectl's copy of the whole applied object. They are cut from
 * an item (replaced by `null`) before it is parsed. Paths are keys from the object down.
 */
const SKIPPED_PATHS: ReadonlyArray<readonly string[]> = [
  ['metadata', 'managedFields'],
  ['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'],
  ['spec', 'template'],
  ['spec', 'jobTemplate'],
];
const SKIPPED_KEYS = SKIPPED_PATHS.map(path => path.map(key => Buffer.from(JSON.stringify(key))));
const MANAGED_FIELDS = 0;
const SUSPEND_KEY = Buffer.from('"f:suspend"');

/**
 * What a CronJob keeps of its `managedFields`: the entries that own `spec.suspend`, reduced to
 * their `time` (when it last changed, see `CronJobInfo.suspendChangedAt`). Only a list that
 * holds `"f:suspend"` at all is parsed; the rest is cut as usual.
 */
function suspendOwners(managedFields: string): string {
  let entries: unknown;
  try {
    entries = JSON.parse(managedFields);
  } catch {
    return 'null';
  }
  if (!Array.isArray(entries)) return 'null';
  const kept = entries
    .filter(ownsSuspend)
    .map(e => ({time: (e as {time?: unknown}).time, fieldsV1: {'f:spec': {'f:suspend': {}}}}));
  return JSON.stringify(kept);
}

/** Options of `splitList`. */
export interface SplitOptions {
  /** Keep the `managedFields` entries that own `spec.suspend` (CronJobs). */
  keepSuspendOwners?: boolean;
}

/** A list page cut into its items (ready to parse) and its envelope (`"items":[]`). */
export interface SplitPage {
  items: string[];
  envelope: string;
}

/**
 * Finds the elements of a list page's top-level `items` array without parsing them, and cuts
 * the `SKIPPED_PATHS` out of each. Null when the bytes are not a complete JSON object with such
 * an array (the caller then parses the whole page and reports what is wrong). Strings are
 * skipped with `indexOf`, so the scan touches little more than the structure.
 */
export function splitList(bytes: Buffer, options: SplitOptions = {}): SplitPage | null {
  const items: string[] = [];
  let depth = 0;
  let itemsOpen = -1;
  let itemsClose = -1;
  let lastStringIsItemsKey = false;
  // The item being scanned: where it starts, and the pieces kept so far.
  let elementStart = -1;
  let kept = '';
  let keptFrom = -1;
  // Per depth inside an item: the index into SKIPPED_PATHS whose key path matches so far.
  const matched: number[] = [];
  // A skipped value being passed over: the depth it started at, where it started.
  let skipDepth = -1;
  let skipStart = -1;
  let skipPath = -1;
  const inItems = () => itemsOpen !== -1 && itemsClose === -1;
  const endElement = (end: number) => {
    if (elementStart !== -1) items.push(kept + bytes.toString('utf8', keptFrom, end));
    elementStart = -1;
    kept = '';
  };
  const startElement = (at: number) => {
    elementStart = at;
    keptFrom = at;
  };
  // Called at the start of a value at `depth` inside an item: cut it when its path is skipped.
  const startValue = (at: number) => {
    if (skipDepth !== -1 || depth < ITEM_DEPTH + 1) return;
    const path = matched[depth];
    if (path !== undefined && path >= 0 && SKIPPED_PATHS[path]?.length === depth - ITEM_DEPTH + 1) {
      skipDepth = depth;
      skipStart = at;
      skipPath = path;
    }
  };
  const endValue = (end: number) => {
    if (skipDepth !== depth) return;
    const owners =
      options.keepSuspendOwners === true && skipPath === MANAGED_FIELDS
        ? bytes.indexOf(SUSPEND_KEY, skipStart)
        : -1;
    const keepOwners = owners !== -1 && owners < end;
    const replacement = keepOwners ? suspendOwners(bytes.toString('utf8', skipStart, end)) : 'null';
    kept += `${bytes.toString('utf8', keptFrom, skipStart)}${replacement}`;
    keptFrom = end;
    skipDepth = -1;
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      const end = closingQuote(bytes, i);
      if (end === -1) return null;
      if (depth === 1) {
        lastStringIsItemsKey = end - i === 6 && bytes.toString('latin1', i + 1, end) === 'items';
      } else if (depth === 2 && inItems()) {
        if (elementStart === -1) startElement(i);
      } else if (depth >= ITEM_DEPTH && inItems() && skipDepth === -1) {
        let next = end + 1;
        while (next < bytes.length && isWhitespace(bytes[next] as number)) next++;
        if (bytes[next] === COLON) {
          // A key: does it continue a skipped path?
          const level = depth - ITEM_DEPTH;
          const parent = level === 0 ? -2 : (matched[depth - 1] ?? -1);
          matched[depth] = -1;
          if (parent !== -1) {
            for (let p = 0; p < SKIPPED_KEYS.length; p++) {
              const key = SKIPPED_KEYS[p]?.[level];
              if (key === undefined || (parent >= 0 && !samePrefix(p, parent, level))) continue;
              if (
                key.length === end + 1 - i &&
                bytes.compare(key, 0, key.length, i, end + 1) === 0
              ) {
                matched[depth] = p;
                break;
              }
            }
          }
        } else {
          // A string value: skipped when its key's path is complete.
          startValue(i);
          endValue(end + 1);
        }
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 2 && inItems() && elementStart === -1) startElement(i);
      if (depth === 1 && c === OPEN_BRACKET && lastStringIsItemsKey && itemsOpen === -1) {
        itemsOpen = i;
      }
      if (inItems()) startValue(i);
      depth++;
      matched[depth] = -1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth < 0) return null;
      if (inItems()) endValue(i + 1);
      if (depth === 1 && c === CLOSE_BRACKET && inItems()) {
        endElement(i);
        itemsClose = i;
      }
    } else if (c === COMMA) {
      if (depth === 2 && inItems()) {
        if (elementStart === -1) return null;
        endElement(i);
      }
    } else if (depth === 2 && inItems() && elementStart === -1 && !isWhitespace(c)) {
      startElement(i);
    }
  }
  if (depth !== 0 || itemsOpen === -1 || itemsClose === -1) return null;
  const envelope = bytes.toString('utf8', 0, itemsOpen + 1) + bytes.toString('utf8', itemsClose);
  return {items, envelope};
}

// Most strings in Kubernetes JSON are short keys and values: looking at a few bytes is cheaper
// than a call to indexOf, which wins for the long ones.
const SHORT_STRING_BYTES = 24;
const indexOfByte = Uint8Array.prototype.indexOf;

/** The index of the quote that closes the string opened at `open`; -1 when there is none. */
function closingQuote(bytes: Buffer, open: number): number {
  let end = open + 1;
  const short = Math.min(bytes.length, open + SHORT_STRING_BYTES);
  while (end < short && bytes[end] !== QUOTE) end++;
  if (end === short) end = indexOfByte.call(bytes, QUOTE, end);
  for (;;) {
    if (end === -1) return -1;
    let backslashes = 0;
    while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = indexOfByte.call(bytes, QUOTE, end + 1);
  }
}

/** True when skipped paths `a` and `b` share their first `level` keys. */
function samePrefix(a: number, b: number, level: number): boolean {
  const pa = SKIPPED_PATHS[a] ?? [];
  const pb = SKIPPED_PATHS[b] ?? [];
  for (let k = 0; k < level; k++) if (pa[k] !== pb[k]) return false;
  return true;
}
