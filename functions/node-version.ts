/**
 * The Node.js version the watcher needs, checked by the `cronjob-watcher` entry before it
 * loads anything else. Imports nothing: it must run on any Node that can parse it.
 */

/**
 * The oldest Node that runs the watcher: `@kubernetes/client-node` 2.x (through undici)
 * needs 22.19, and on older ones crashes while loading. package.json `engines` says the same
 * (a test keeps them equal).
 */
export const MIN_NODE_VERSION = '22.19.0';

function parts(version: string): [number, number, number] | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Null when `version` (`process.versions.node`) is new enough; else one line saying what is
 * needed and how to get it. `execPath` names the Node that was used, so the user sees which
 * one is on their PATH.
 */
export function nodeVersionProblem(version: string, execPath: string): string | null {
  const have = parts(version);
  const need = parts(MIN_NODE_VERSION) as [number, number, number];
  if (have !== null) {
    const order = have[0] - need[0] || have[1] - need[1] || have[2] - need[2];
    if (order >= 0) return null;
  }
  return (
    `cronjob-watcher needs Node.js ${MIN_NODE_VERSION} or newer, but ${execPath} is ${version}: ` +
    'run it as `npx cronjob-watcher …` (or `npm exec cronjob-watcher -- …`) in the checkout ' +
    'after `npm ci`, which uses the Node 24 the project installs, or install Node 24.'
  );
}
