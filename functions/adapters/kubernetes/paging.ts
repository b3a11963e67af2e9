/**
 * Lists with `limit` + `continue`, parsing each page as soon as it arrives.
 *
 * Raw objects are never collected: each page is parsed in one synchronous step, its JSON into
 * model objects, after which nothing refers to the raw page. So the memory of a read is the
 * model objects plus at most two pages of text: the one being parsed and the next one, fetched
 * meanwhile (its continue token is read from the head of the current page).
 */
import {isObject} from '../../core/json.js';
import type {Parsed} from '../../core/kube-objects.js';
import type {ObjectProblem} from '../../core/model.js';
import {splitList, type SplitOptions} from './json-splitter.js';
import {
  BODY_EXCERPT_CHARS,
  ExpiredContinue,
  scopeWords,
  type KubeHttp,
  type Operation,
  type PageText,
} from './transport.js';

/** What one listing gave: parsed objects and the ones that could not be judged. */
export interface Listed<T> {
  values: T[];
  problems: ObjectProblem[];
}

/** Where one listing attempt puts what it parses. */
export interface Sink<T> {
  problems: ObjectProblem[];
  add(value: T): void;
  finish(): Listed<T>;
}

/** Keeps everything. */
class ListSink<T> implements Sink<T> {
  readonly values: T[] = [];
  readonly problems: ObjectProblem[] = [];

  add(value: T): void {
    this.values.push(value);
  }

  finish(): Listed<T> {
    return {values: this.values, problems: this.problems};
  }
}

/** One listing: where, what for, and how each item is parsed. */
export interface Listing<T> {
  path: string;
  operation: Operation;
  labelSelector: string | null;
  parseItem: (raw: unknown) => Parsed<T>;
  /** What `splitList` keeps of each item besides what it always keeps. */
  split?: SplitOptions;
  /** A fresh sink per attempt; default: keep everything. */
  sink?: () => Sink<T>;
  deadline: Date | null;
}

/** A page request in flight; `abandon` cancels it and silences its outcome. */
interface InFlight {
  continueToken: string | null;
  text: Promise<PageText>;
  abandon(): void;
}

// A server that keeps sending continue tokens would otherwise loop forever; 100 000 pages of
// 500 is far beyond any real cluster.
const MAX_PAGES = 100_000;
// The API server writes `metadata` (with `continue`) before `items`; the token is found in the
// first few hundred bytes, so the next page can be requested before this one is parsed.
const CONTINUE_SNIFF_CHARS = 4096;
const CONTINUE_IN_HEAD = /"continue"\s*:\s*"([^"\\]*)"/;

/** Pages through lists of one API server. */
export class Pager {
  constructor(
    private readonly http: KubeHttp,
    readonly pageSize: number,
  ) {}

  /**
   * Every object of a list, parsed page by page. An expired continue token (410 Expired)
   * restarts the listing from the first page once, discarding what the first attempt parsed:
   * the objects changed faster than we paged, and a fresh consistent listing is the only
   * correct answer. A second expiry gives up.
   */
  async list<T>(listing: Listing<T>): Promise<Listed<T>> {
    try {
      return await this.listPages(listing);
    } catch (error) {
      if (!(error instanceof ExpiredContinue)) throw error;
    }
    try {
      return await this.listPages(listing);
    } catch (error) {
      if (!(error instanceof ExpiredContinue)) throw error;
      const {operation} = listing;
      throw this.http.error(
        'EXPIRED',
        `the list of ${operation.resource}${scopeWords(operation)} changed faster than it could be paged: ` +
          `the continue token expired (410 Expired) again after restarting from the first page. ` +
          `The next pass will try again; a larger page size (PAGE_SIZE, now ${this.pageSize}) needs fewer pages.`,
        error.cause,
      );
    }
  }

  /**
   * One attempt at a listing. While a page is parsed, the next one is already on its way: its
   * continue token is read from the head of the text before the whole page is parsed.
   */
  private async listPages<T>(listing: Listing<T>): Promise<Listed<T>> {
    const {path, parseItem} = listing;
    const listed = listing.sink?.() ?? new ListSink<T>();
    let current = this.startPage(listing, null);
    for (let page = 0; page < MAX_PAGES; page++) {
      let next: InFlight | null = null;
      try {
        const page = await current.text;
        const sniffed = sniffContinue(page.bytes);
        if (sniffed !== null && sniffed !== current.continueToken) {
          next = this.startPage(listing, sniffed);
        }
        const continueToken = this.parsePage(page, path, parseItem, listed, listing.split ?? {});
        if (continueToken === null) {
          next?.abandon();
          return listed.finish();
        }
        if (continueToken === current.continueToken) {
          throw this.http.error(
            'BAD_RESPONSE',
            `the API server sent the same continue token twice for GET ${path}; stopped paging`,
          );
        }
        if (next === null || next.continueToken !== continueToken) {
          next?.abandon();
          next = this.startPage(listing, continueToken);
        }
      } catch (error) {
        next?.abandon();
        throw error;
      }
      current = next;
    }
    current.abandon();
    throw this.http.error('BAD_RESPONSE', `GET ${path} did not end after ${MAX_PAGES} pages`);
  }

  private startPage<T>(listing: Listing<T>, continueToken: string | null): InFlight {
    const query: Record<string, string> = {limit: String(this.pageSize)};
    if (listing.labelSelector !== null) query.labelSelector = listing.labelSelector;
    if (continueToken !== null) query.continue = continueToken;
    const abandoned = new AbortController();
    const text = this.http.get(
      listing.path,
      query,
      listing.operation,
      abandoned.signal,
      listing.deadline,
    );
    // A page that is abandoned (an error elsewhere, a token that did not match) may still
    // fail later; that failure means nothing.
    text.catch(() => undefined);
    return {continueToken, text, abandon: () => abandoned.abort()};
  }

  /**
   * Parses one page into `listed`; returns its continue token. Synchronous on purpose: the raw
   * page lives only inside this call, so nothing can keep it once the page is parsed.
   *
   * Items are parsed one at a time from the page's bytes (`splitList`), not the page as one
   * string: a multi-megabyte string lives in V8's large-object space until the next full
   * collection, so whole-page parsing spends its time in full GCs (each marking every model
   * object read so far) and UTF-8 decoding rather than in parsing. Per-item strings and objects
   * die young. A page the splitter does not understand is parsed whole, which also gives the
   * error message for malformed JSON. The parts of each object that nothing reads are cut
   * before parsing (json-splitter.ts).
   */
  private parsePage<T>(
    {bytes, contentType}: PageText,
    path: string,
    parseItem: (raw: unknown) => Parsed<T>,
    listed: Sink<T>,
    options: SplitOptions,
  ): string | null {
    const split = splitList(bytes, options);
    if (split !== null) {
      const values: T[] = [];
      const problems: ObjectProblem[] = [];
      try {
        for (const item of split.items) {
          const parsed = parseItem(JSON.parse(item));
          if (parsed.ok) values.push(parsed.value);
          else problems.push(parsed.problem);
        }
        const envelope: unknown = JSON.parse(split.envelope);
        if (isObject(envelope)) {
          for (const value of values) listed.add(value);
          for (const problem of problems) listed.problems.push(problem);
          return continueOf(envelope);
        }
      } catch {
        // Not what it seemed: the whole-page parse below gives the right answer or error.
      }
    }
    const text = bytes.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw this.http.error(
        'BAD_RESPONSE',
        `the API server's answer to GET ${path} is not valid JSON (${contentType}, ${text.length} bytes: ` +
          `${JSON.stringify(this.http.redact(text.slice(0, BODY_EXCERPT_CHARS)))}); ` +
          `the answer was cut off, or the server URL points at something that is not a Kubernetes API server`,
        error,
      );
    }
    if (!isObject(body) || !Array.isArray(body.items)) {
      throw this.http.error(
        'BAD_RESPONSE',
        `the API server's answer to GET ${path} is JSON but not a list (no "items" array)`,
      );
    }
    for (const raw of body.items) {
      const parsed = parseItem(raw);
      if (parsed.ok) listed.add(parsed.value);
      else listed.problems.push(parsed.problem);
    }
    return continueOf(body);
  }
}

function continueOf(body: Record<string, unknown>): string | null {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const next = metadata.continue;
  return typeof next === 'string' && next !== '' ? next : null;
}

/** The continue token in the head of a list page, when it is there (see `listPages`). */
function sniffContinue(bytes: Buffer): string | null {
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, CONTINUE_SNIFF_CHARS));
  const items = head.indexOf('"items"');
  const match = CONTINUE_IN_HEAD.exec(items === -1 ? head : head.slice(0, items));
  return match?.[1] ? match[1] : null;
}
