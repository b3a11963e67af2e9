/**
 * What `npm test` must leave untouched: the compiled tree every test file imports (build/) and
 * the CLI's default state directory in the checkout (.cronjob-watcher/). A test that rewrites
 * build/ while other test files import it makes them fail at random ("does not provide an
 * export named …"), and one that leaves state in the checkout changes what the next `check`
 * there does. The runner snapshots these trees before and after the run and fails naming
 * every path that changed.
 */
import {lstatSync, readdirSync} from 'node:fs';
import path from 'node:path';

/** One file or directory as seen at a moment: enough to tell that it was rewritten. */
export interface Entry {
  size: number;
  mtimeMs: number;
  /** A file renamed over this path has another inode, even with the same size and mtime. */
  ino: number;
  /** Permissions. Not ctime: npx re-applies the bin's unchanged mode, which is no change. */
  mode: number;
  kind: 'file' | 'dir' | 'other';
}

/** Every path under the guarded roots (absolute) with what it was; absent roots hold nothing. */
export type Snapshot = Map<string, Entry>;

export function snapshot(roots: string[]): Snapshot {
  const entries: Snapshot = new Map();
  const visit = (target: string) => {
    let stat;
    try {
      stat = lstatSync(target);
    } catch {
      return;
    }
    const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other';
    // A directory's own times change whenever a file in it is added or removed: those are
    // reported by the file itself, so the directory counts by its existence only.
    entries.set(
      target,
      kind === 'dir'
        ? {kind, size: 0, mtimeMs: 0, ino: 0, mode: 0}
        : {kind, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, mode: stat.mode},
    );
    if (kind !== 'dir') return;
    for (const name of readdirSync(target)) visit(path.join(target, name));
  };
  for (const root of roots) visit(path.resolve(root));
  return entries;
}

/** A path that differs between two snapshots, and how. */
export interface Change {
  path: string;
  change: 'added' | 'removed' | 'modified';
}

/** The paths added, removed or rewritten between `before` and `after`, sorted by path. */
export function changesBetween(before: Snapshot, after: Snapshot): Change[] {
  const changes: Change[] = [];
  for (const [file, was] of before) {
    const now = after.get(file);
    if (now === undefined) changes.push({path: file, change: 'removed'});
    else if (
      now.kind !== was.kind ||
      now.size !== was.size ||
      now.mtimeMs !== was.mtimeMs ||
      now.ino !== was.ino ||
      now.mode !== was.mode
    ) {
      changes.push({path: file, change: 'modified'});
    }
  }
  for (const file of after.keys()) {
    if (!before.has(file)) changes.push({path: file, change: 'added'});
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** At most this many paths are listed; the rest are counted. */
const LISTED = 20;

/** The report printed when a run changed a guarded tree, paths relative to `base`. */
export function describeChanges(changes: Change[], base: string): string {
  const shown = changes
    .slice(0, LISTED)
    .map(c => `  ${c.change}: ${path.relative(base, c.path) || '.'}`);
  if (changes.length > LISTED) shown.push(`  … and ${changes.length - LISTED} more`);
  return [
    `A TEST CHANGED ${changes.length} PATH(S) IT MUST NOT TOUCH (the compiled tree other test files import, or the checkout's state directory):`,
    ...shown,
    'Tests work in temporary directories; a test that needs a built package builds a copy elsewhere.',
  ].join('\n');
}
