/**
 * The daily digests' entries on disk, beside the file store's state: one JSON file per channel
 * and day in `<dir>/digests/`. Created with `link()` from a complete temporary file, which
 * fails if the entry exists — the create-if-absent the ledger needs (core/digest/ledger.ts),
 * and never a half-written entry. Changes take the entry's own lock file (`open(…, 'wx')`),
 * read, write a temporary file and rename it over the entry.
 */
import {randomBytes} from 'node:crypto';
import {link, mkdir, open, readFile, rename, stat, unlink} from 'node:fs/promises';
import path from 'node:path';
import type {DigestRecord} from '../core/digest/ledger.js';
import {StoreError} from '../core/errors.js';
import {isObject} from '../core/json.js';

// A change holds the lock for milliseconds: one older than this was left by a process that died.
const STALE_LOCK_MS = 30_000;
// How long a change waits for another process's lock before giving up (LOCKED).
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 25;

function errnoOf(error: unknown): string | undefined {
  return isObject(error) && typeof error['code'] === 'string' ? error['code'] : undefined;
}

function ioError(error: unknown, what: string): StoreError {
  return new StoreError('IO', `Could not ${what}: ${String(error)}`, {cause: error});
}

/** Digest entries under one state directory. */
export class FileDigests {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'digests');
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${encodeURIComponent(id)}.json`);
  }

  private async writeTemp(entry: DigestRecord): Promise<string> {
    await mkdir(this.dir, {recursive: true});
    const temp = path.join(this.dir, `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(entry, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  }

  async read(id: string): Promise<DigestRecord | null> {
    const file = this.fileOf(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      throw ioError(error, `read the digest entry ${file}`);
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isObject(parsed) && parsed['id'] === id) return parsed as unknown as DigestRecord;
    } catch {
      // reported below
    }
    throw new StoreError('CORRUPT', `The digest entry ${file} cannot be read; delete it.`);
  }

  async create(entry: DigestRecord): Promise<DigestRecord | null> {
    const file = this.fileOf(entry.id);
    let temp: string;
    try {
      temp = await this.writeTemp(entry);
    } catch (error) {
      throw ioError(error, `write the digest entry ${file}`);
    }
    try {
      await link(temp, file);
      return null;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw ioError(error, `create the digest entry ${file}`);
      return (await this.read(entry.id)) ?? {...entry, claim: null};
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async update(
    id: string,
    change: (current: DigestRecord | null) => DigestRecord | null,
  ): Promise<DigestRecord | null> {
    const file = this.fileOf(id);
    const lock = `${file}.lock`;
    await mkdir(this.dir, {recursive: true}).catch(() => undefined);
    await this.acquire(lock);
    try {
      const current = await this.read(id);
      const next = change(current);
      if (next === null) return current;
      const temp = await this.writeTemp(next);
      try {
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw ioError(error, `write the digest entry ${file}`);
      }
      return next;
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  private async acquire(lock: string): Promise<void> {
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lock, 'wx');
        await handle.close();
        return;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw ioError(error, `lock the digest entry ${lock}`);
      }
      const held = await stat(lock).catch(() => null);
      if (held !== null && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > giveUpAt) {
        throw new StoreError('LOCKED', `The digest entry lock ${lock} is held by another process.`);
      }
      await new Promise(resolve => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
}
